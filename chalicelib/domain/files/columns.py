"""The columns of each import file: canonical name, French header of the
template, synonyms accepted in a file's header, whether required, the help
text of the template's instructions sheet, allowed values (drop-downs), and,
where given, the format of a value and the other spellings the reader accepts.

Validators match headers with these specs; templates are generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.imports import FileType
from chalicelib.domain.structure import SECTORS, SPECIALTIES


@dataclass(frozen=True)
class Column:
    name: str  # canonical, snake_case
    header: str  # as written in the template
    help: str  # French, for the instructions sheet
    required: bool = True
    synonyms: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()  # drop-down values, if a closed list
    example: str = ""
    format: str = ""  # French: how a value is written (instructions sheet, documentation)
    variants: tuple[str, ...] = ()  # other spellings the reader also accepts for the allowed values


STRUCTURE = (
    Column(
        "code_uf",
        "code_uf",
        "Code de l'unité fonctionnelle (UF), tel que dans le système d'information.",
        synonyms=("uf", "code uf", "unite fonctionnelle", "code unite fonctionnelle"),
        example="1204",
    ),
    Column(
        "libelle_uf",
        "libelle_uf",
        "Libellé de l'UF.",
        synonyms=("libelle", "nom uf", "intitule uf"),
        example="Médecine interne A",
    ),
    Column("code_pole", "code_pole", "Code du pôle (facultatif).", required=False, synonyms=("pole",), example="P03"),
    Column("libelle_pole", "libelle_pole", "Libellé du pôle (facultatif).", required=False, example="Pôle médecine"),
    Column("code_service", "code_service", "Code du service (facultatif).", required=False, synonyms=("service",), example="S12"),
    Column("libelle_service", "libelle_service", "Libellé du service (facultatif).", required=False, example="Médecine interne"),
    Column(
        "code_ta",
        "code_ta",
        "Type d'activité SAE de l'UF (03 hospitalisation complète, 20 de semaine, 08 bloc, 97 UF bébés…).",
        synonyms=("ta", "type activite", "type d activite", "code type activite"),
        example="03",
    ),
    Column(
        "code_de",
        "code_de",
        "Discipline d'équipement SAE de l'UF (détermine le secteur).",
        synonyms=("de", "discipline", "discipline equipement", "code discipline"),
        example="38",
    ),
    Column(
        "secteur",
        "secteur",
        "Secteur d'activité, pour remplacer celui déduit de la DE (obligatoire si la DE est ambiguë).",
        required=False,
        allowed=SECTORS,
        example="",
    ),
    Column(
        "specialite",
        "specialite",
        "Spécialité pour les analyses antifongiques (facultatif).",
        required=False,
        synonyms=("specialite uf",),
        allowed=SPECIALTIES,
        example="",
    ),
    Column("date_debut", "date_debut", "Date d'ouverture de l'UF (JJ/MM/AAAA, facultatif).", required=False, example=""),
    Column("date_fin", "date_fin", "Date de fermeture de l'UF (JJ/MM/AAAA, facultatif).", required=False, example=""),
)

#: The columns every data file shares: the key linking all files, and the period.
UNIT = Column("code_uf", "code_uf", "Code de l'UF.", synonyms=("uf", "code uf"), example="1204")
PERIOD = Column(
    "periode",
    "periode",
    "Période : l'année (2025) ou le trimestre (2025-T1).",
    synonyms=("période", "period", "trimestre"),
    example="2025-T1",
)

BEDS = (
    UNIT,
    Column("annee", "annee", "Année (AAAA).", synonyms=("année", "an", "year"), example="2025"),
    Column(
        "lits",
        "lits",
        "Nombre de lits installés (entier ≥ 0).",
        synonyms=("nombre de lits", "nb lits", "lits installes"),
        example="28",
    ),
)

PATIENT_DAYS = (
    UNIT,
    PERIOD,
    Column(
        "journees",
        "journees",
        "Journées d'hospitalisation (entier ≥ 0).",
        synonyms=("journées", "jh", "journees hospitalisation", "nb journees", "journees d hospitalisation"),
        example="2450",
    ),
    Column(
        "entrees", "entrees", "Nombre d'entrées (facultatif).", required=False, synonyms=("entrées", "admissions"), example="310"
    ),
)

CONSUMPTION = (
    UNIT,
    Column(
        "code_ucd",
        "code_ucd",
        "Code UCD du produit (7 chiffres, ou 13 chiffres commençant par 34008).",
        synonyms=("ucd", "code ucd", "ucd13", "ucd7", "code produit"),
        example="3400809000084",  # amoxicillin 1 g injectable in the demo catalogue (a valid check digit)
    ),
    Column(
        "libelle",
        "libelle",
        "Libellé du produit (facultatif, pour vous relire).",
        required=False,
        synonyms=("libelle produit", "designation", "produit"),
        example="AMOXICILLINE 1 G INJ",
    ),
    Column(
        "quantite",
        "quantite",
        "Unités dispensées (décimales acceptées ; une quantité nette négative est signalée).",
        synonyms=("quantité", "qte", "quantite dispensee", "unites"),
        example="120",
    ),
    PERIOD,
)

COLUMNS: dict[FileType, tuple[Column, ...]] = {
    FileType.STRUCTURE: STRUCTURE,
    FileType.BEDS: BEDS,
    FileType.PATIENT_DAYS: PATIENT_DAYS,
    FileType.CONSUMPTION: CONSUMPTION,
}


def synonyms_spec(file_type: FileType) -> dict[str, list[str]]:
    """The ``{canonical: [header, synonyms...]}`` mapping a HeaderMatcher takes."""
    return {c.name: [c.header, *c.synonyms] for c in COLUMNS[file_type]}


def required(file_type: FileType) -> set[str]:
    return {c.name for c in COLUMNS[file_type] if c.required}
