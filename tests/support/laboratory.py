"""A world whose establishment has a laboratory with every demo label mapped: where antibiograms are imported."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.structure import Unit
from infra.local.demo_antibiograms import ANTIBIOTICS, EXTRA, SPECIES, SPECIMENS
from tests.fakes.wiring import FakeWorld, fake_world


def a_world_with_a_laboratory(finess: str, ufs: Sequence[str]) -> tuple[FakeWorld, Principal, str]:
    """The in-memory stores and real services; the establishment ``finess`` with its UFs, its référent
    (r@chu.fr) and a laboratory whose species, specimen and antibiotic labels are all confirmed."""
    world = fake_world()
    services = world.services
    admin = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    services.tenants.create_establishment(admin, finess, "CHU", "CHU", "52")
    lab = services.tenants.create_laboratory(admin, "Labo", None).lab_id
    services.tenants.link_laboratory(admin, finess, lab)
    world.units.replace_units(Finess(finess), [Unit.create(code, "UF", "03", "38") for code in ufs])
    world.access.put_membership(Membership(Finess(finess), Email("r@chu.fr"), Status.REFERENT, "t"))
    referent = Principal(Email("r@chu.fr"), memberships={Finess(finess): Status.REFERENT})
    for kind, labels in (
        (MappingKind.SPECIES, sorted({s[0] for s in SPECIES})),
        (MappingKind.SPECIMEN, [s[0] for s in SPECIMENS]),
        (MappingKind.ANTIBIOTIC, [label for label, _ in ANTIBIOTICS + EXTRA]),
    ):
        services.mappings.resolve(lab, kind, labels)
        services.mappings.confirm_all_proposals(referent, lab, kind.value)
    return world, referent, lab
