"""Every route declares the query parameters it reads and the answer it gives (handlers/contract.py);
the shared test clients check each answer against it (tests/support/contract.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import app  # noqa: F401  (registers every route)
from chalicelib.handlers import params as q
from chalicelib.handlers.http import ROUTES
from tests.support.contract import ContractBroken, check_answer


def test_every_route_declares_its_answer():
    assert [f"{route.method} {route.path}" for route in ROUTES if route.response is None] == []


def _names_read(module: str) -> set[str]:
    source = Path(sys.modules[module].__file__ or "").read_text(encoding="utf-8")
    read = set(re.findall(r'query\(bp, "(\w+)"\)', source))
    if "query(bp, p.name)" in source and "q.INDICATOR_OPTIONS" in source:  # indicators._options
        read |= {p.name for p in q.INDICATOR_OPTIONS}
    return read


def test_every_query_parameter_a_handler_reads_is_declared_by_a_route_of_its_module_and_every_declared_one_is_read():
    modules = {route.module for route in ROUTES}
    for module in modules:
        declared = {p.name for route in ROUTES if route.module == module for p in route.query}
        assert _names_read(module) == declared, module


def test_an_answer_carrying_a_field_its_model_does_not_name_breaks_the_contract():
    body = b'{"status": "ok", "version": "1", "debug": true}'
    with pytest.raises(ContractBroken, match="debug"):
        check_answer("GET", "/api/health", 200, "application/json", body)
    check_answer("GET", "/api/health", 200, "application/json", b'{"status": "ok", "version": "1"}')


def test_an_answer_missing_a_field_or_of_another_type_breaks_the_contract():
    with pytest.raises(ContractBroken):
        check_answer("GET", "/api/regions", 200, "application/json", b'[{"code": "11"}]')
    with pytest.raises(ContractBroken):
        rule = b'{"min_length": "10", "requires": [], "text": ""}'
        check_answer("GET", "/api/auth/password-rule", 200, "application/json", rule)


def test_an_error_is_checked_against_the_error_shape_and_an_undeclared_status_breaks_the_contract():
    with pytest.raises(ContractBroken):
        check_answer("GET", "/api/me", 401, "application/json", b'{"message": "x"}')
    with pytest.raises(ContractBroken, match="201"):
        check_answer("GET", "/api/health", 201, "application/json", b'{"status": "ok", "version": "1"}')


def test_the_document_is_valid_openapi_3_1_and_each_operation_names_its_query_parameters_and_answer_schema():
    from openapi_spec_validator import validate

    from chalicelib.handlers.openapi import document

    published = document("test")
    validate(published)
    operation = published["paths"]["/api/establishments/{finess}/access-requests"]["get"]
    status = next(p for p in operation["parameters"] if p["in"] == "query")
    assert (status["name"], status["schema"]["enum"]) == ("status", ["pending", "accepted", "refused"])
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"type": "array", "items": {"$ref": "#/components/schemas/RequestWithRequester"}}
