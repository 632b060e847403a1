"""Unit doses of WHO's combined products, from a strength given as a mass (DOMAIN.md §10.4).

WHO counts cotrimoxazole (J01EE01) in unit doses, the table's explicit row stating the
convention: 1 UD = 400 mg sulfamethoxazole + 80 mg trimethoprim. A catalogue entry in
grams or milligrams is read as the combination (an 800/160 mg tablet, 0.96 g: 2 UD) or
as its sulfamethoxazole (0.8 g: 2 UD), whichever gives whole (or half) unit doses, the
component's reading first when the catalogue names it alone; a mass that is neither
is refused rather than guessed.
"""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.drugs.codes import AtcCode, Unit, convert

#: ATC -> (grams of the combination per UD, grams of its reference component per UD, that component).
CONVENTIONS: dict[str, tuple[Decimal, Decimal, str]] = {
    "J01EE01": (Decimal("0.48"), Decimal("0.4"), "sulfamethoxazole"),
}


def unit_doses(atc: AtcCode, substance: str, strength: Decimal, unit: Unit) -> Decimal | None:
    """``strength`` (a mass) in unit doses of ``atc``'s convention; None without a convention, for a
    non-mass, or for a mass that is a whole number of half unit doses in neither reading."""
    convention = CONVENTIONS.get(str(atc))
    grams = convert(strength, unit, Unit.G)
    if convention is None or grams is None:
        return None
    combination, component, name = convention
    readings = [grams / combination, grams / component]
    if substance.casefold().strip() == name:  # the catalogue names the component alone: its reading first
        readings.reverse()
    for doses in readings:
        if (doses * 2) == (doses * 2).to_integral_value():
            return doses
    return None
