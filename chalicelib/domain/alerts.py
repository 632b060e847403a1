"""Alerts on emerging or rare phenotypes (DOMAIN.md §10.10): which isolates raise one, and what one is.

An isolate kept after deduplication raises one alert per rare phenotype it shows:

=================  ======================================================================================
kind               when (the phenotype rules are ``resistance/phenotypes.py``'s: one owner)
=================  ======================================================================================
``epc``            EPC (carbapenemase flag positive, or the species label's hint), with its type
``erg``            ERG (E. faecium / E. faecalis: vanA/vanB gene or R to vancomycin)
``colistin_r``     an Enterobacterales R to colistin (``COLISTIN_R``)
``vrsa``           S. aureus R to vancomycin (``VRSA``)
``candida_auris``  an isolate of *Candidozyma* (*Candida*) *auris*, whatever its results
``pan_r``          R to every antibiotic tested, at least ``PAN_R_MIN_TESTED`` tested (SFP is not R)
=================  ======================================================================================

An alert's id is derived from the establishment, the isolate's identity (the patient's pseudonym,
species, specimen category and date) and the kind: the same isolate imported again (a retried task, the
same file sent again, the year's file after the quarters) names the same alert, which is written once.
The alert itself keeps no patient identifier, not even the pseudonym: only the id, a hash of it.

Statuses: ``nouvelle`` when raised; the establishment marks it ``vue`` or ``traitée``, with a comment
(plain text, kept as typed, shown as text).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.model import Isolate, Sir
from chalicelib.domain.resistance.phenotypes import COLISTIN_R, VRSA, Basis, by_antibiotics, phenotypes

#: Candidozyma auris (formerly Candida auris), the reference species code.
CANAUR = "CANAUR"
#: An isolate R to everything tested raises an alert only when at least this many antibiotics were tested.
PAN_R_MIN_TESTED = 8
MAX_COMMENT = 2_000
ALERTS_RULE = "alerts-v1"
#: An EPC alert's phenotype: this prefix, then its carbapenemase type (``EPC OXA-48-like``).
EPC_PREFIX = "EPC "
#: The type of an EPC whose carbapenemase was not typed.
UNTYPED = "type non précisé"


class AlertKind(enum.StrEnum):
    EPC = "epc"
    ERG = "erg"
    COLISTIN_R = "colistin_r"
    VRSA = "vrsa"
    CANDIDA_AURIS = "candida_auris"
    PAN_R = "pan_r"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: Mapping[AlertKind, str] = {
    AlertKind.EPC: "Entérobactérie productrice de carbapénémase (EPC)",
    AlertKind.ERG: "Entérocoque résistant aux glycopeptides (ERG)",
    AlertKind.COLISTIN_R: "Entérobactérie résistante à la colistine",
    AlertKind.VRSA: "Staphylococcus aureus résistant à la vancomycine",
    AlertKind.CANDIDA_AURIS: "Candidozyma (Candida) auris",
    AlertKind.PAN_R: "Résistance à tous les antibiotiques testés",
}

#: What each kind reads of an isolate: the resistance file's columns (``espece``, the flags) and the
#: reference antibiotics whose results decide (``*``: every antibiotic tested). The integrity test
#: checks that the file carries each of them.
KIND_INPUTS: Mapping[AlertKind, tuple[str, ...]] = {
    AlertKind.EPC: ("espece", "carbapenemase"),
    AlertKind.ERG: ("espece", "erv", "VAN"),
    AlertKind.COLISTIN_R: ("espece", *COLISTIN_R.antibiotics),
    AlertKind.VRSA: ("espece", *VRSA.antibiotics),
    AlertKind.CANDIDA_AURIS: ("espece",),
    AlertKind.PAN_R: ("espece", "*"),
}


class AlertStatus(enum.StrEnum):
    NEW = "nouvelle"
    SEEN = "vue"
    HANDLED = "traitée"


#: What a person may set (an alert is never made new again).
SETTABLE = (AlertStatus.SEEN, AlertStatus.HANDLED)


@dataclass(frozen=True)
class Finding:
    """One rare phenotype of one isolate: its kind and how a person reads it ("EPC OXA-48-like")."""

    kind: AlertKind
    phenotype: str


def findings(isolate: Isolate, group_of: Callable[[str], str | None]) -> tuple[Finding, ...]:
    """The rare phenotypes of one isolate, in ``AlertKind`` order (none: an empty tuple)."""
    found: list[Finding] = []
    known = phenotypes(isolate, group_of)
    if known.epc is True:
        kind = known.carbapenemase_type.value if known.carbapenemase_type is not None else UNTYPED
        found.append(Finding(AlertKind.EPC, f"{EPC_PREFIX}{kind}"))
    if known.erg is True:
        erg = known.findings["erg"]
        gene = f" {erg.evidence[0]}" if erg.basis is Basis.GENE_POSITIVE else ""
        found.append(Finding(AlertKind.ERG, f"ERG{gene}"))
    if by_antibiotics(isolate, COLISTIN_R, group_of).value is True:
        found.append(Finding(AlertKind.COLISTIN_R, "Entérobactérie R à la colistine"))
    if by_antibiotics(isolate, VRSA, group_of).value is True:
        found.append(Finding(AlertKind.VRSA, "S. aureus R à la vancomycine (SARV)"))
    if isolate.species == CANAUR:
        found.append(Finding(AlertKind.CANDIDA_AURIS, "Candidozyma auris"))
    tested = len(isolate.results)
    if tested >= PAN_R_MIN_TESTED and all(sir == Sir.R for sir in isolate.results.values()):
        found.append(Finding(AlertKind.PAN_R, f"R à tous les antibiotiques testés ({tested})"))
    return tuple(found)


def alert_id(finess: str, pseudonym: str, species: str, specimen: str, specimen_date: str, kind: AlertKind) -> str:
    """The alert's id: the same isolate and kind always give the same id; nothing in it can be read back."""
    identity = "|".join((ALERTS_RULE, finess, pseudonym, species, specimen, specimen_date, kind.value))
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Alert:
    alert_id: str
    finess: str
    region: str
    year: int
    kind: AlertKind
    phenotype: str
    species: str  # reference code
    species_name: str
    specimen: str  # specimen category code
    specimen_date: str  # ISO date
    upload_id: str  # the import that raised it
    created_at: str
    status: AlertStatus = AlertStatus.NEW
    comment: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    version: int = 1

    def acknowledged(self, status: AlertStatus, comment: str | None, by: str, at: str) -> Alert:
        """This alert marked ``status`` with ``comment`` (None keeps the one it has), one version later."""
        return replace(
            self, status=status, comment=self.comment if comment is None else comment, updated_at=at, updated_by=by,
            version=self.version + 1,
        )  # fmt: skip

    @property
    def acknowledged_yet(self) -> bool:
        """Marked ``vue`` or ``traitée`` by the establishment (a new alert is still to handle)."""
        return self.status is not AlertStatus.NEW

    @property
    def carbapenemase(self) -> str | None:
        """An EPC alert's carbapenemase type as its phenotype reads it (``OXA-48-like``, ``type non précisé``);
        None for another kind."""
        if self.kind is not AlertKind.EPC:
            return None
        return self.phenotype.removeprefix(EPC_PREFIX) or UNTYPED

    def in_closed(self, closed: Collection[str]) -> bool:
        """Whether the alert's isolate is of closed data: ``closed`` names the establishment's closed periods
        (the year, or the quarter of the specimen's date)."""
        day = date.fromisoformat(self.specimen_date)
        return str(self.year) in closed or any(q.contains(day) and str(q) in closed for q in Period(self.year).quarters())

    def row(self) -> dict[str, object]:
        """The API's row (API.md "Follow-up"), with the labels beside the codes."""
        row: dict[str, object] = {
            "alert_id": self.alert_id, "finess": self.finess, "kind": self.kind.value, "kind_label": self.kind.label,
            "phenotype": self.phenotype, "species": self.species, "species_name": self.species_name,
            "specimen": self.specimen, "specimen_date": self.specimen_date, "created_at": self.created_at,
            "status": self.status.value, "year": self.year,
        }  # fmt: skip
        if self.comment:
            row["comment"] = self.comment
        if self.updated_at:
            row["updated_at"] = self.updated_at
        return row


def status_of(raw: object) -> AlertStatus:
    """A status a person may set. Raises InvalidInput."""
    for status in SETTABLE:
        if raw == status.value:
            return status
    allowed = ", ".join(f"« {s.value} »" for s in SETTABLE)
    raise InvalidInput(f"Statut inconnu : « {raw} » (attendu : {allowed}).", details=[{"field": "status"}])


def listed_status_of(raw: str | None) -> AlertStatus | None:
    """The listing's filter (None: every status). Raises InvalidInput."""
    if raw is None or raw == "":
        return None
    for status in AlertStatus:
        if raw == status.value:
            return status
    allowed = ", ".join(f"« {s.value} »" for s in AlertStatus)
    raise InvalidInput(f"Statut inconnu : « {raw} » (attendu : {allowed}).", details=[{"field": "status"}])


def comment_of(raw: object) -> str | None:
    """A comment as typed (trimmed; None when absent). Plain text: never interpreted. Raises InvalidInput."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidInput("Le commentaire doit être un texte.", details=[{"field": "comment"}])
    text = raw.strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            f"Commentaire trop long : {len(text)} caractères pour {MAX_COMMENT} au plus.", details=[{"field": "comment"}]
        )
    return text or None
