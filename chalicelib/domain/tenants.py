"""Tenants: regions, establishments and laboratories (DOMAIN.md §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib import reference
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.errors import InvalidInput


def known_region(raw: object) -> RegionCode:
    """Parse a region code and check it is one of the 18 French regions."""
    code = RegionCode.parse(raw)
    if code.value not in reference.regions():
        raise InvalidInput(
            f"Région inconnue : « {raw} ».",
            details=[{"field": "region", "value": str(raw)}],
        )
    return code


def known_category(raw: object) -> str:
    """Check an establishment category against the reference list."""
    code = str(raw or "").strip().upper()
    if code not in reference.establishment_categories():
        allowed = ", ".join(reference.establishment_categories())
        raise InvalidInput(
            f"Catégorie d'établissement inconnue : « {raw} » (valeurs possibles : {allowed}).",
            details=[{"field": "category", "value": str(raw)}],
        )
    return code


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Establishment:
    """A health establishment (ES), identified by its FINESS number."""

    finess: Finess
    name: str
    category: str
    region: RegionCode
    laboratories: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def create(cls, finess: object, name: str, category: object, region: object) -> Establishment:
        clean_name = (name or "").strip()
        if not clean_name:
            raise InvalidInput("Le nom de l'établissement est obligatoire.", details=[{"field": "name"}])
        return cls(
            finess=Finess.parse(finess),
            name=clean_name,
            category=known_category(category),
            region=known_region(region),
        )


@dataclass(frozen=True)
class Laboratory:
    """A laboratory; it may serve several establishments."""

    lab_id: str
    name: str
    ears_net_code: str | None = None


_EARS_NET_LABORATORY = re.compile(r"FR(?:\d{3}|n\d{4})")


def ears_net_laboratory_code(raw: str | None) -> str | None:
    """A laboratory's EARS-Net code as TESSy lists them for France (MDS57 LaboratoryCodeAMR:
    FR001..FR583, FRn0001..FRn1138 — the ECDC assigns them); empty: none yet."""
    text = (raw or "").strip()
    if not text:
        return None
    code = "FR" + text[2:] if text[:2].upper() == "FR" else text
    if not _EARS_NET_LABORATORY.fullmatch(code):
        raise InvalidInput(
            f"Code EARS-Net du laboratoire invalide : « {text} ». Ce code est attribué par l'ECDC (TESSy) et a la forme "
            "FR001 ou FRn0001 ; laissez le champ vide si le laboratoire n'en a pas encore.",
            details=[{"field": "ears_net_code"}],
        )
    return code


def all_regions() -> list[Region]:
    return [Region(code, name) for code, name in reference.regions().items()]
