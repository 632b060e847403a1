"""The first administrator of a cloud stage: the command finds the stage's resources through its stack and its
API function, and grants the profile through the app's services (the stage's resources made by the embedded
runtime's provisioning, in the emulator)."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters.factory import real_adapters
from chalicelib.bootstrap import Services, build_services
from chalicelib.config import Settings
from chalicelib.domain.access import ProfileType
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Unauthenticated
from infra.cloud import first_admin
from infra.local import provision

SITE = "https://d111111abcdef8.cloudfront.net"
ADMIN = "Marie.Curie@sante.example"


class FakeStacks:
    """CloudFormation's description of the stage's stack: its outputs."""

    def __init__(self, stage: str, outputs: dict[str, str]) -> None:
        self._stage = stage
        self._outputs = outputs

    def describe_stacks(self, StackName: str) -> dict[str, Any]:  # noqa: N803 (boto3's name)
        if StackName != first_admin.stack_name(self._stage):
            raise ClientError({"Error": {"Code": "ValidationError", "Message": "does not exist"}}, "DescribeStacks")
        outputs = [{"OutputKey": key, "OutputValue": value} for key, value in self._outputs.items()]
        return {"Stacks": [{"StackName": StackName, "Outputs": outputs}]}


class Stage:
    """A deployed stage: its resources, an API function running with their names, its stack's outputs."""

    def __init__(self, endpoint: str) -> None:
        prefix = f"t{uuid.uuid4().hex[:10]}"
        self.endpoint = endpoint
        self.env = {
            **provision.create_resources(endpoint, prefix=prefix),
            "CONSORES_RUNTIME": "cloud",
            "CONSORES_STAGE": "dev",
            "CONSORES_MFA_REQUIRED_PROFILES": "admin,national",
            # The emulator stands for the account's endpoints.
            "CONSORES_AWS_ENDPOINT_URL": endpoint,
        }
        function = f"{prefix}-APIHandler"
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("app.py", "")
        self.aws("lambda").create_function(
            FunctionName=function,
            Runtime="python3.11",
            Role=self.aws("iam").get_role(RoleName=provision.ROLE_NAME)["Role"]["Arn"],
            Handler="app.app",
            Code={"ZipFile": archive.getvalue()},
            Environment={"Variables": self.env},
        )
        self.stacks = FakeStacks("dev", {"ApiHandlerName": function, "SiteUrl": SITE})
        settings = Settings.from_env({**self.env, "AWS_REGION": provision.REGION})
        self.services: Services = build_services(settings, real_adapters(settings))

    def aws(self, service: str) -> Any:
        return self.stacks if service == "cloudformation" else provision.client(service, self.endpoint)

    def run(self, email: str = ADMIN, stage: str = "dev") -> int:
        return first_admin.main(["--stage", stage, "--email", email, "--region", provision.REGION], client=self.aws)

    def grants(self) -> list[Any]:
        since = datetime.now(UTC) - timedelta(hours=1)
        return [e for e in self.services.adapters.audit_log.since(since) if e.action == "profile.grant"]


@pytest.fixture
def stage(emulator) -> Stage:
    return Stage(emulator.url)


def test_a_fresh_stage_gets_its_administrator_through_its_own_resources(stage: Stage, capsys) -> None:
    assert stage.run() == 0
    email = Email.parse(ADMIN)
    user = stage.services.adapters.identity.get_user(email)
    assert user is not None and user.confirmed
    assert [p.type for p in stage.services.adapters.access.profiles_of(email)] == [ProfileType.ADMIN]
    [grant] = stage.grants()
    assert grant.target == "user:marie.curie@sante.example" and grant.after == {"type": "admin", "region": None}
    assert grant.actor.startswith("installation (arn:aws:")
    said = capsys.readouterr().out
    assert "Compte créé pour marie.curie@sante.example" in said
    assert f"{SITE}/mot-de-passe-oublie" in said and "double authentification" in said


def test_running_it_again_changes_nothing(stage: Stage, capsys) -> None:
    assert stage.run() == 0
    assert stage.run() == 0
    assert len(stage.grants()) == 1
    said = capsys.readouterr().out
    assert "existait déjà et confirmé" in said and "était déjà administrateur" in said


def test_an_existing_confirmed_account_keeps_its_password(stage: Stage) -> None:
    identity = stage.services.adapters.identity
    identity.sign_up(Email.parse(ADMIN), "Mon-mot-de-passe-2026", "Marie", "Curie")
    identity.confirm(Email.parse(ADMIN))
    assert stage.run() == 0
    identity.login(Email.parse(ADMIN), "Mon-mot-de-passe-2026")  # no error: still its owner's password


def test_an_unconfirmed_account_someone_else_made_gets_a_new_password_before_it_is_confirmed(stage: Stage, capsys) -> None:
    identity = stage.services.adapters.identity
    identity.sign_up(Email.parse(ADMIN), "Choisi-par-un-tiers-2026", "Marie", "Curie")
    assert stage.run() == 0
    user = identity.get_user(Email.parse(ADMIN))
    assert user is not None and user.confirmed
    with pytest.raises(Unauthenticated):
        identity.login(Email.parse(ADMIN), "Choisi-par-un-tiers-2026")
    assert "son mot de passe a été remplacé" in capsys.readouterr().out


def test_an_invalid_address_is_refused_before_anything_is_read(capsys) -> None:
    def no_aws(service: str) -> Any:
        raise AssertionError(f"{service} called")

    assert first_admin.main(["--stage", "dev", "--email", "pas-une-adresse"], client=no_aws) == 2
    assert "Adresse e-mail invalide" in capsys.readouterr().err


def test_a_stage_not_deployed_is_named_in_french(stage: Stage, capsys) -> None:
    assert stage.run(stage="prod") == 1
    assert "Pile consores-prod introuvable" in capsys.readouterr().err
    assert stage.grants() == []


@pytest.mark.slow
def test_the_stack_names_its_api_function_in_its_outputs(template) -> None:
    """What the command reads first: the function whose environment names the stage's resources."""
    assert template.to_json()["Outputs"][first_admin.API_FUNCTION_OUTPUT]["Value"] == {"Ref": "APIHandler"}
