"""How a laboratory label is keyed: the same label whatever its case or spacing."""

from __future__ import annotations

from chalicelib.domain.resistance.mapping import normalise_label


def label_key(label: str) -> str:
    """ "E. Coli " and "e. coli" are one label of a laboratory; accents and punctuation are kept
    ("BLSE+" is not "BLSE-"). One key for the store and for the proposals: ``normalise_label``."""
    return normalise_label(label)
