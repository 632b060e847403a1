"""Cell text → numbers: a decimal or a whole number typed in a cell, as French and English
exports write them, read without guessing; a French refusal quoting the text otherwise.
Re-exported by ``cells`` (the module that turns cell text into typed values)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from chalicelib.domain.errors import InvalidInput

__all__ = ["cell_problem", "parse_decimal", "parse_int"]

_SPACES = "\u0020\u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_SPACE_GROUPS = re.compile(rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+")
_MINUSES = "\\-\u2212\u2012\u2013"  # (escaped) hyphen-minus, minus sign, figure dash, en dash
_NUMBER = re.compile(rf"(?P<sign>[{_MINUSES}+])?(?P<body>[\d{_SPACES}.,]*\d[\d{_SPACES}.,]*)(?P<exp>[eE][+-]?\d{{1,3}})?")
_PLAIN = re.compile(r"\d*[.,]?\d+")


def cell_problem(message: str, text: str, problem: str) -> InvalidInput:
    """A refusal of one cell's text: ``details`` hold ``{"value": text, "problem": <stable code>}``."""
    return InvalidInput(message, details=[{"value": text, "problem": problem}])


def parse_decimal(text: str) -> Decimal | None:
    """Read a decimal number typed in a cell; ``None`` for blank text.

    The rule, in order:

    1. Spaces (ordinary, no-break, narrow no-break, thin) are thousands separators
       and must split the integer part in groups of three (``1 234 567,5``).
    2. When both ``,`` and ``.`` appear, the one written last is the decimal mark
       (once) and the other the thousands separator, in groups of three:
       ``1.234,5`` and ``1,234.5`` both read 1234.5.
    3. When only one of them appears once, it is the decimal mark: ``12,5`` and
       ``12.5`` read 12.5, and ``1,234`` or ``1.234`` read 1.234 — never 1234.
       (Spreadsheets render numbers with a point, French exports with a comma;
       neither uses a lone thousands separator.)
    4. When only one of them appears several times, it separates thousands and
       must form groups of three (``1.234.567``).

    Anything the rule cannot read without guessing (``1.23,4``, ``1,2.3,4``,
    ``12 5``) is refused rather than guessed. A leading ``+``/``-`` (or the
    typographic minus) and an exponent (``1e-07``, as spreadsheets render very
    small numbers) are accepted.

    Raises:
        InvalidInput: with a French message quoting the text.
    """
    stripped = text.strip(" \t\r\n\u00a0\u202f\u2009")
    if not stripped:
        return None
    match = _NUMBER.fullmatch(stripped)
    if match is None:
        raise _not_a_number(stripped)
    body = match.group("body")
    if match.group("exp") and not _PLAIN.fullmatch(body):
        raise _not_a_number(stripped)  # an exponent only follows a plain number, never grouped digits
    integer, fraction = _split_number(stripped, body)
    sign = "-" if match.group("sign") and match.group("sign") != "+" else ""
    literal = f"{sign}{integer or '0'}{'.' + fraction if fraction else ''}{match.group('exp') or ''}"
    try:
        value = Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the regular expression already guarantees the shape
        raise _not_a_number(stripped) from None
    if value and not -_MAX_EXPONENT <= value.adjusted() <= _MAX_EXPONENT:
        raise _number_out_of_range(stripped)
    return value


def _split_number(text: str, body: str) -> tuple[str, str]:
    """Return the integer digits and fraction digits of ``body`` under the documented rule."""
    commas, points = body.count(","), body.count(".")
    if commas and points:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        integer, _, fraction = body.rpartition(decimal_mark)
        if grouping in fraction or decimal_mark in integer:
            raise _ambiguous(text)
        return _ungroup(text, integer, grouping), _digits(text, fraction)
    mark = "," if commas else "." if points else ""
    count = commas or points
    if count == 1:
        integer, _, fraction = body.partition(mark)
        return _ungroup(text, integer, None), _digits(text, fraction)
    if count > 1:
        return _ungroup(text, body, mark), ""
    return _ungroup(text, body, None), ""


def _ungroup(text: str, integer: str, grouping: str | None) -> str:
    if not integer:
        return ""
    if grouping is not None:
        groups = integer.split(grouping)
        if not (1 <= len(groups[0]) <= 3) or any(len(group) != 3 for group in groups[1:]):
            raise _ambiguous(text)
        integer = "".join(groups)
    if any(space in integer for space in _SPACES):
        if not _SPACE_GROUPS.fullmatch(integer):
            raise _ambiguous(text)
        integer = "".join(char for char in integer if char.isdigit())
    if not integer.isdigit():
        raise _ambiguous(text)
    return integer


def _digits(text: str, fraction: str) -> str:
    # A decimal mark needs digits after it: "12," may be a truncated "12,5".
    if not fraction.isdigit():
        raise _ambiguous(text)
    return fraction


def _not_a_number(text: str) -> InvalidInput:
    return cell_problem(f"Nombre invalide : « {text} ».", text, "number.format")


# A number must fit the lake's 64-bit floats (about 1.8e308) and integers (2^63).
_MAX_EXPONENT = 307
_INT64_LIMIT = 2**63


def _number_out_of_range(text: str) -> InvalidInput:
    return cell_problem(
        f"Nombre hors limites : « {text} » (trop grand ou trop petit pour être enregistré).", text, "number.range"
    )


def _ambiguous(text: str) -> InvalidInput:
    return cell_problem(
        f"Nombre invalide : « {text} » ; séparez les décimales par une virgule et "
        "n'utilisez ni point ni virgule entre les milliers (exemple : 1234,5).",
        text,
        "number.ambiguous",
    )


def parse_int(text: str) -> int | None:
    """Read a whole number typed in a cell; ``None`` for blank text.

    Follows :func:`parse_decimal` (so ``1 234`` and ``12,0`` are accepted) and
    refuses a value with a non-zero fractional part rather than rounding it.

    Raises:
        InvalidInput: with a French message quoting the text.
    """
    value = parse_decimal(text)
    if value is None:
        return None
    if abs(value) >= _INT64_LIMIT:
        raise _number_out_of_range(text.strip())
    if value != value.to_integral_value():
        stripped = text.strip()
        raise cell_problem(f"Nombre entier attendu : « {stripped} ».", stripped, "number.not_integer")
    return int(value)
