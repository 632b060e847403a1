"""The web client's API types are generated from the OpenAPI document (infra/local/web_api_types.py)."""

from __future__ import annotations

from infra.local import web_api_types


def test_the_generated_api_types_are_those_of_the_current_openapi_document():
    assert web_api_types.TARGET.read_text(encoding="utf-8") == web_api_types.render(), (
        "web/src/generated/api.ts is stale: run `.venv/bin/python -m infra.local.web_api_types`"
    )


def test_every_operation_has_its_answer_type_and_a_declared_model_becomes_an_interface():
    text = web_api_types.render()
    assert "  'GET /api/me': Me;" in text
    assert "export interface Me {\n  email: string;" in text
    assert "  'GET /api/regions': Region[];" in text
    assert "  'GET /api/templates/{name}': Blob;" in text


def test_optional_nullable_enum_and_union_schemas_render_as_typescript():
    render = web_api_types.type_of
    assert render({"anyOf": [{"type": "string"}, {"type": "null"}]}) == "string | null"
    assert render({"enum": ["a", "b"], "type": "string"}) == '"a" | "b"'
    assert render({"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}}) == "(A | null)[]"
    assert render({"type": "object", "additionalProperties": {"type": "integer"}}) == "Record<string, number>"
    assert render({}) == "unknown"
