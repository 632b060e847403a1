"""Request bodies at the boundary: unknown fields are refused."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignUp(Body):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class Confirm(Body):
    email: str = Field(max_length=254)
    code: str = Field(min_length=1, max_length=20)


class EmailOnly(Body):
    email: str = Field(max_length=254)


class Login(Body):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)


class SecondFactorAnswer(Body):
    email: str = Field(max_length=254)
    session: str = Field(min_length=1, max_length=8192)
    code: str = Field(min_length=1, max_length=20)


class TotpSetup(Body):
    #: The enrolment's session from the login, or a logged-in user's access token.
    session: str = Field(min_length=1, max_length=8192)


class TotpConfirm(Body):
    session: str = Field(min_length=1, max_length=8192)
    code: str = Field(min_length=1, max_length=20)


class Refresh(Body):
    refresh_token: str = Field(min_length=1, max_length=8192)


class ResetPassword(Body):
    email: str = Field(max_length=254)
    code: str = Field(min_length=1, max_length=20)
    new_password: str = Field(min_length=1, max_length=256)


class AccessRequestBody(Body):
    charter_accepted: bool | None = None
    direction_email: str | None = Field(default=None, max_length=254)
    dpo_email: str | None = Field(default=None, max_length=254)


class DecisionBody(Body):
    decision: Literal["accept", "refuse"]
    role: Literal["contributeur", "observateur"] | None = None


class RoleBody(Body):
    role: Literal["referent", "contributeur", "observateur"]


class ReferentBody(Body):
    email: str = Field(max_length=254)


class EstablishmentCreate(Body):
    finess: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(max_length=20)
    region: str = Field(max_length=5)


class EstablishmentPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    category: str | None = Field(default=None, max_length=20)
    region: str | None = Field(default=None, max_length=5)


class LaboratoryCreate(Body):
    name: str = Field(min_length=1, max_length=200)
    ears_net_code: str | None = Field(default=None, max_length=50)


class ProfileGrant(Body):
    email: str = Field(max_length=254)
    type: Literal["regional", "national", "admin"]
    region: str | None = Field(default=None, max_length=5)


class UploadCreate(Body):
    type: str = Field(max_length=30)
    period: str = Field(max_length=10)
    filename: str = Field(min_length=1, max_length=255)
    size: int = Field(ge=0)
    laboratory_id: str | None = Field(default=None, max_length=64)


class UnitPut(Body):
    libelle_uf: str = Field(min_length=1, max_length=200)
    code_ta: str = Field(max_length=5)
    code_de: str = Field(max_length=5)
    secteur: str | None = Field(default=None, max_length=10)
    specialite: str | None = Field(default=None, max_length=50)
    code_pole: str | None = Field(default=None, max_length=50)
    libelle_pole: str | None = Field(default=None, max_length=200)
    code_service: str | None = Field(default=None, max_length=50)
    libelle_service: str | None = Field(default=None, max_length=200)


class BedLine(Body):
    code_uf: str = Field(min_length=1, max_length=50)
    lits: int


class BedsPut(RootModel[list[BedLine]]):
    pass


class SettingsPut(Body):
    """The settings given are set, the others left as they are (at least one)."""

    consumption_periodicity: Literal["quarter", "year"] | None = None
    resistance_periodicity: Literal["quarter", "year"] | None = None
    #: Do the year's consumption files cover antifungals (J02)? DOMAIN.md §10.5; true while never stated.
    antifungals_reported: StrictBool | None = None


class MappingLine(Body):
    label: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=20)


class MappingsPut(RootModel[list[MappingLine]]):
    pass


class ReopenBody(Body):
    reason: str = Field(min_length=1, max_length=1000)


class RemovalBody(Body):
    reason: str = Field(min_length=3, max_length=1000)
