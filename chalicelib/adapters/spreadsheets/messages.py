"""The French refusals of the readers."""

from __future__ import annotations

from chalicelib.adapters.spreadsheets.model import MB
from chalicelib.domain.errors import Unprocessable

# --------------------------------------------------------------------------- messages


def display_name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1] or "sans nom"


def megabytes(size: float) -> str:
    """Megabytes the French way: 262,1 / 4\u00a0000."""
    text = f"{size / MB:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return text.removesuffix(",0")


def french_count(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u00a0")


def refused(message: str, problem: str, **details: object) -> Unprocessable:
    return Unprocessable(message, details=[{"problem": problem, **details}])


def damaged(name: str) -> Unprocessable:
    return refused(
        f"Le fichier « {name} » est endommagé et ne peut pas être lu : ouvrez-le dans Excel, "
        "enregistrez-le au format .xlsx ou .csv puis réimportez-le.",
        "file.damaged",
    )


def empty_sheet() -> Unprocessable:
    return refused("Le fichier est vide.", "file.empty")


def wrong_format(name: str, what: str, problem: str = "file.format") -> Unprocessable:
    return refused(
        f"Le fichier « {name} » {what} : seuls les classeurs Excel (.xlsx) et les fichiers CSV sont acceptés ; "
        "enregistrez-le en .xlsx ou .csv.",
        problem,
    )


def encrypted(name: str) -> Unprocessable:
    return refused(
        f"Le classeur « {name} » est protégé par un mot de passe : ouvrez-le dans Excel, retirez le mot de passe "
        "(Fichier > Informations > Protéger le classeur), enregistrez-le puis réimportez-le.",
        "file.encrypted",
    )
