"""The first administrator of a cloud stage, with the operator's AWS credentials:

    make first-admin STAGE=dev EMAIL=prenom.nom@sante.fr      (python -m infra.cloud.first_admin --stage dev --email …)

The stage's resources are those its API function runs with: the stack ``consores-<stage>`` names the
function in its outputs (``ApiHandlerName``), the function's environment names the pool, the tables and
the rest, and the command wires the app's own services on it (``chalicelib.bootstrap``), as the function
does: the account and the profile are written as the app writes them, the grant audited with the
operator's identity. ``chalicelib.services.installation`` says what is created, kept or secured; running
it again changes nothing.

The account is given a password nobody knows: its owner chooses one through the site's "Mot de passe
oublié" (a code the platform e-mails), which also proves they read the address. The login has no
"new password required" step, hence no temporary password sent by Cognito.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.factory import real_adapters
from chalicelib.bootstrap import build_services
from chalicelib.config import Settings
from chalicelib.domain import second_factor
from chalicelib.domain.access import ProfileType
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput
from chalicelib.services.installation import FirstAdministrator

#: The stack's output naming the API function (``infra/cloud/stack.py``).
API_FUNCTION_OUTPUT = "ApiHandlerName"
SITE_URL_OUTPUT = "SiteUrl"
DEFAULT_REGION = "eu-west-3"

Client = Callable[[str], Any]


class StageNotFound(Exception):
    """The stage's stack or its API function cannot be read (French message)."""


def stack_name(stage: str) -> str:
    return f"consores-{stage}"


def stack_outputs(client: Client, stage: str) -> dict[str, str]:
    try:
        [stack] = client("cloudformation").describe_stacks(StackName=stack_name(stage))["Stacks"]
    except (ClientError, ValueError) as error:
        raise StageNotFound(
            f"Pile {stack_name(stage)} introuvable : déployez d'abord l'étape (make deploy STAGE={stage}), "
            "avec les identifiants et la région du compte."
        ) from error
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def stage_environment(client: Client, stage: str, outputs: Mapping[str, str], region: str) -> dict[str, str]:
    """The environment the stage's API function runs with (what ``Settings.from_env`` reads)."""
    function = outputs.get(API_FUNCTION_OUTPUT)
    if not function:
        raise StageNotFound(
            f"La pile {stack_name(stage)} ne publie pas la sortie {API_FUNCTION_OUTPUT} : redéployez-la "
            f"(make deploy STAGE={stage})."
        )
    try:
        configuration = client("lambda").get_function_configuration(FunctionName=function)
    except ClientError as error:
        raise StageNotFound(f"Fonction {function} illisible : {error}") from error
    variables = dict(configuration.get("Environment", {}).get("Variables", {}))
    return {**variables, "AWS_REGION": region, "AWS_DEFAULT_REGION": region}


def operator(client: Client) -> str:
    """Who the audit names for the grant: the AWS identity that ran the command."""
    return f"installation ({client('sts').get_caller_identity()['Arn']})"


def report(result: FirstAdministrator, site_url: str, by: str, second_factor_required: bool) -> str:
    """What the command did and what the administrator does next, in French."""
    email = result.email.value
    lines = []
    if result.account_created:
        lines.append(f"Compte créé pour {email} et confirmé, avec un mot de passe aléatoire que personne ne connaît.")
    elif result.account_secured:
        lines.append(
            f"Un compte non confirmé existait pour {email} : son mot de passe a été remplacé par un mot de passe "
            "aléatoire (quiconque l'avait choisi ne peut pas s'en servir), puis le compte a été confirmé."
        )
    else:
        lines.append(f"Le compte {email} existait déjà et confirmé : il est conservé tel quel.")
    if result.profile_granted:
        lines.append(f"Profil administrateur accordé, inscrit au journal d'audit au nom de {by}.")
    else:
        lines.append(f"{email} était déjà administrateur : rien d'autre n'a changé.")
    site = site_url.rstrip("/") or "<adresse du site>"
    if result.account_created or result.account_secured:
        lines.append(
            f"Pour choisir son mot de passe, l'administrateur ouvre {site}/mot-de-passe-oublie, saisit son "
            f"adresse, reçoit un code par e-mail et choisit son mot de passe ; il se connecte ensuite sur {site}/connexion."
        )
        lines.append(
            "Tant que le compte SES est en mode bac à sable, l'adresse doit avoir été vérifiée dans SES pour "
            "recevoir ce code."
        )
    else:
        lines.append(f"Il se connecte sur {site}/connexion avec son mot de passe (oublié : {site}/mot-de-passe-oublie).")
    if second_factor_required:
        lines.append(
            "Ce profil exige la double authentification : sa première connexion lui fait enrôler une "
            "application d'authentification."
        )
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.cloud.first_admin", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, help="dev or prod: the stack consores-<stage>")
    parser.add_argument("--email", required=True, help="the administrator's address (their login)")
    parser.add_argument("--region", default=DEFAULT_REGION, help=f"the stage's region ({DEFAULT_REGION})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, client: Client | None = None) -> int:
    """``client(service)``: a boto3 client of the stage's account and region (tests give theirs)."""
    args = _arguments(argv)
    try:
        Email.parse(args.email)  # refused before anything is read or written
    except InvalidInput as error:
        print(error.message, file=sys.stderr)
        return 2
    aws: Client = client or (lambda service: boto3.client(service, region_name=args.region))
    try:
        outputs = stack_outputs(aws, args.stage)
        settings = Settings.from_env(stage_environment(aws, args.stage, outputs, args.region))
        by = operator(aws)
    except StageNotFound as error:
        print(error, file=sys.stderr)
        return 1
    except (ClientError, BotoCoreError) as error:
        print(f"AWS a refusé la lecture de l'étape {args.stage} : {error}", file=sys.stderr)
        return 1
    services = build_services(settings, real_adapters(settings))
    result = services.installation.ensure_administrator(args.email, by=by)
    required = second_factor.required_profiles(settings.mfa_required_profiles, settings.embedded)
    print(report(result, outputs.get(SITE_URL_OUTPUT, ""), by, ProfileType.ADMIN in required))
    return 0


if __name__ == "__main__":
    sys.exit(main())
