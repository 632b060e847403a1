"""Units of a small hospital's structure, and the map by UF code that validators and controls receive."""

from __future__ import annotations

from chalicelib.domain.structure import Unit

CARDIOLOGY = Unit.create("0412", "Cardiologie", "03", "38")  # full hospitalisation, medicine
WEEK_MEDICINE = Unit.create("1204", "Médecine de semaine", "20", "38")  # week hospitalisation, medicine
VISCERAL_SURGERY = Unit.create("1204", "Chirurgie viscérale", "03", "137")  # full hospitalisation, surgery
THEATRE = Unit.create("0800", "Bloc central", "08", "137")  # an operating theatre: never patient-days
CONSULTATIONS = Unit.create("0700", "Consultations", "07", "38")  # outpatients: no patient-days


def by_code(*units: Unit) -> dict[str, Unit]:
    """The units by their UF code, as a file's context holds them."""
    return {u.code_uf: u for u in units}
