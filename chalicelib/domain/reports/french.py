"""Numbers, intervals and dates written the French way, as a hospital reads them in a report:
``1 234,5`` (a narrow no-break space between thousands, a decimal comma), ``12,5 %``."""

from __future__ import annotations

from datetime import datetime

#: Between thousands and before a unit sign: the narrow no-break space of French typography.
NNBSP = "\u202f"
#: What a missing value reads.
MISSING = "—"


def decimal(value: float | None, digits: int = 1) -> str:
    """``1234.56`` -> ``1 234,6`` (``digits`` after the comma); None -> ``—``."""
    if value is None:
        return MISSING
    rounded = round(value, digits) or 0.0  # never "-0,0"
    return f"{rounded:,.{digits}f}".replace(",", NNBSP).replace(".", ",")


def count(value: float | None) -> str:
    """A whole number: ``12345`` -> ``12 345``."""
    return decimal(value, 0)


def percent(value: float | None, digits: int = 1) -> str:
    """``12.5`` (already a percentage) -> ``12,5 %``."""
    return MISSING if value is None else f"{decimal(value, digits)}{NNBSP}%"


def interval(low: float | None, high: float | None, digits: int = 1) -> str:
    """A 95 % interval: ``[10,2 ; 15,3]``; empty when unknown."""
    if low is None or high is None:
        return ""
    return f"[{decimal(low, digits)} ; {decimal(high, digits)}]"


def change(current: float | None, previous: float | None) -> float | None:
    """The relative change from ``previous`` to ``current``, in %; None when either is unknown or zero."""
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


def signed_percent(value: float | None, digits: int = 1) -> str:
    """``4.25`` -> ``+4,3 %``, ``-2`` -> ``−2,0 %`` (a true minus sign)."""
    if value is None:
        return MISSING
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{percent(abs(value), digits)}"


def date(moment: datetime) -> str:
    """``05/03/2026`` (the date only)."""
    return moment.strftime("%d/%m/%Y")


def iso_date(text: str) -> str:
    """``2025-03-05`` -> ``05/03/2025``; a text that is not an ISO date is kept as it is."""
    year, _, rest = text.partition("-")
    month, _, day = rest.partition("-")
    return f"{day}/{month}/{year}" if len(year) == 4 and len(month) == 2 and len(day) == 2 else text
