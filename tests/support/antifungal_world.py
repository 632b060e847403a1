"""A generated year for the antifungal coverage rule (DOMAIN.md §10.5): establishments with and
without J02 lines, stating true, false, or never stating, in two regions; every establishment's
year both current (drafts) and closed. DDD are quarter units, exact in binary."""

from __future__ import annotations

import random
from dataclasses import dataclass

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import InvalidInput
from chalicelib.services.ports import CurrentDataset
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support.lake_fixture import Lake

YEAR = 2025
ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
#: UF -> (sector, specialty)
UFS = {"0412": ("MED", None), "0413": ("MED", "hématologie"), "1204": ("CHIR", None), "2001": ("REA", None)}
ANTIBIOTICS = (("J01CR02", "AMOXICILLIN_CLAVULANATE"), ("J01DD04", "C3G"), ("J01MA02", "FLUOROQUINOLONES"))
ANTIFUNGALS = (("J02AC01", "TRIAZOLES"), ("J02AX04", "ECHINOCANDINS"), ("J02AA01", "AMPHOTERICIN_B"))


def finess(prefix: str) -> str:
    """A FINESS number with its Luhn key."""
    for key in "0123456789":
        try:
            return Finess.parse(prefix + key).value
        except InvalidInput:
            continue
    raise AssertionError(prefix)


@dataclass(frozen=True)
class Establishment:
    finess: str
    region: str
    has_antifungals: bool  # J02 lines in its files
    stated: bool | None  # its antifungals_reported of the year (None: never stated)


ESTABLISHMENTS = (
    Establishment(finess("44000001"), "52", True, True),
    Establishment(finess("44000002"), "52", True, None),  # never stated: counts
    Establishment(finess("44000003"), "52", False, None),  # never stated, no J02 line: counts with zero
    Establishment(finess("44000004"), "52", False, True),  # states it, none dispensed: counts with zero
    Establishment(finess("75000005"), "11", True, False),  # J02 lines, but says its files do not cover them
    Establishment(finess("75000006"), "11", False, False),
    Establishment(finess("75000007"), "11", True, True),
    Establishment(finess("75000008"), "11", True, None),
)
BY_FINESS = {e.finess: e for e in ESTABLISHMENTS}
SAYS_FALSE = ESTABLISHMENTS[4]
ZERO = ESTABLISHMENTS[2]


def generated(seed: int = 15) -> Lake:
    rng = random.Random(seed)
    lake = Lake({"consumption": [], "patient_days": [], "isolates": [], "results": []})
    for es in ESTABLISHMENTS:
        where = {"year": str(YEAR), "region": es.region, "es": es.finess, "finess": es.finess, "period": str(YEAR)}
        for uf, (sector, specialty) in UFS.items():
            lake.rows["patient_days"].append({**where, "code_uf": uf, "sector": sector, "specialty": specialty,
                                              "patient_days": rng.randint(800, 6000)})  # fmt: skip
        drugs = [(atc, family, "antibiotic") for atc, family in ANTIBIOTICS]
        drugs += [(atc, family, "antifungal") for atc, family in ANTIFUNGALS] if es.has_antifungals else []
        drugs += [("J04AB01", "ANTITUBERCULOSIS", "antituberculosis")]
        for index in range(36):
            atc, family, scope = drugs[index % len(drugs)]
            uf = rng.choice(tuple(UFS))
            sector, specialty = UFS[uf]
            ddd = rng.randint(1, 2400) / 4
            lake.rows["consumption"].append({
                **where, "code_uf": uf, "sector": sector, "specialty": specialty, "reallocated_uf": None, "atc": atc,
                "route": rng.choice(("O", "P")), "family": family, "scope": scope, "ddd": ddd, "quantity": ddd,
                "counted": index % 7 != 6, "ucd": "0900001", "ddd_version": 2024,
            })  # fmt: skip
    return lake


def build_world(lake: Lake) -> FakeWorld:
    """Every establishment's year both current (drafts) and closed; the statements as above."""
    world = fake_world()
    for es in ESTABLISHMENTS:
        world.services.tenants.create_establishment(ADMIN, es.finess, f"CH {es.finess}", "CHU", es.region)
        if es.stated is not None:
            world.settings.put_antifungals_reported(Finess(es.finess), YEAR, es.stated)
    bucket = world.services.settings.buckets["lake"]
    drafts = lake.keys(world.objects, bucket, "lake")
    lake.keys(world.objects, bucket, "closed")
    for dataset, keys in drafts.items():
        for key in keys:
            es = key.split("/")[4].removeprefix("es=")
            world.uploads.replace_current(CurrentDataset(Finess(es), dataset, str(YEAR), "generated", (key,), 1), None)
    return world


def member(es: Establishment) -> Principal:
    return Principal(Email(f"r@{es.finess}.fr"), memberships={Finess(es.finess): Status.REFERENT})
