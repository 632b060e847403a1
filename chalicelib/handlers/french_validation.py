"""pydantic's validation errors, told in French."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "bool_type": "vrai ou faux attendu",
    "bool_parsing": "vrai ou faux attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_type": "objet attendu",
    "literal_error": "valeur non autorisée",
    "enum": "valeur non autorisée",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "too_long": "trop d'éléments",
    "too_short": "pas assez d'éléments",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "value_error": "valeur invalide",
}


def french_details(error: ValidationError) -> list[dict[str, Any]]:
    details = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem.get("loc", ())) or "(corps)"
        kind = str(problem.get("type", ""))
        message = _MESSAGES.get(kind, "valeur invalide")
        if kind in {"literal_error", "enum"} and "expected" in problem.get("ctx", {}):
            message += f" (attendu : {problem['ctx']['expected']})"
        details.append({"field": field, "code": kind, "message": f"{field} : {message}"})
    return details
