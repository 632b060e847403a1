"""The columns of a resistance file (DOMAIN.md §4.5), and the headers it must never have.

A resistance file has **identity** columns (template order: ``code_uf``,
``id_patient``, ``age`` or ``date_naissance``, ``date_prelevement``,
``nature_prelevement``, ``espece``, ``sexe``), then one column per antibiotic
tested, then optional **phenotype** columns (``blse``, ``carbapenemase``,
``erv``). Every header that is neither an identity, a phenotype nor an ignored
column is an **antibiotic** column: its header is the laboratory's label of the
molecule, mapped later to the reference list (``ANTIBIOTIC`` describes them all).

These specs are the one source of the reader (``matcher``), of the template
(``adapters/xlsx_templates.py``) and of the documentation (``GUIDE``, generated
into the web client by ``python -m infra.local.web_docs``; a test keeps them equal).

Admission dates are no longer collected: a column of them is recognised (so that
it is not mistaken for an antibiotic) and **ignored** — its values are never read
(``IGNORED``; never in the template).

Some headers refuse the whole file (DOMAIN.md §4.5, §5): a person's name
(``nom``, ``prénom``, ``nom de naissance``, ``nom marital``, ``patient name``…),
or a social-security number (``NIR``, ``n° de sécurité sociale``, ``numéro SS``,
``INS``…). A bare ``Patient`` header is refused as well: in laboratory exports it
holds "NOM Prénom"; a column holding the IPP is named ``id_patient`` or ``IPP``.
Only headers that match no known column are tested, so ``nom du germe`` (a
synonym of ``espece``) is not a name.
"""

from __future__ import annotations

import re
from functools import cache

from chalicelib.domain.cells import HeaderMatcher, normalise_header
from chalicelib.domain.files.columns import Column
from chalicelib.domain.resistance.model import Carbapenemase, Sir, VanGene

__all__ = [
    "ADMISSION",
    "ALL",
    "ANTIBIOTIC",
    "GUIDE",
    "IDENTITY",
    "IGNORED",
    "PHENOTYPES",
    "RESISTANCE",
    "RESULTS",
    "antibiotic_column",
    "matcher",
    "other_headers",
    "personal_header",
    "presence",
    "synonyms_spec",
]

RESULTS = tuple(s.value for s in Sir)  # drop-down of an antibiotic column: S, SFP, R
_NOT_SEARCHED = "Une valeur de la liste ; vide, « NT », « ND » ou « non recherché » si non recherché."

IDENTITY = (
    Column(
        "code_uf",
        "code_uf",
        "Code de l'UF où le patient était hospitalisé au prélèvement, tel que dans la structure.",
        synonyms=(
            "uf",
            "code uf",
            "unite fonctionnelle",
            "code unite fonctionnelle",
            "uf demandeuse",
            "uf prescriptrice",
            "uf d'hospitalisation",
            "uf hospitalisation",
        ),
        example="1204",
        format="Texte : le code de l'UF dans la structure, zéros initiaux compris (0412).",
    ),
    Column(
        "id_patient",
        "id_patient",
        "Identifiant permanent du patient à l'hôpital (IPP), stable sur la période ; il sert seulement à "
        "dédoublonner puis est pseudonymisé. Jamais de nom ni de NIR.",
        synonyms=(
            "ipp",
            "nip",
            "n° ipp",
            "n° patient",
            "no patient",
            "num patient",
            "numero patient",
            "numero de patient",
            "n° de patient",
            "identifiant patient",
            "id patient",
            "code patient",
            "identifiant permanent du patient",
        ),
        example="00012345",
        format="Texte (lettres et chiffres), sans nom ni numéro de sécurité sociale.",
    ),
    Column(
        "age",
        "age",
        "Âge en années à la date du prélèvement (0 à 120), ou la date de naissance à sa place.",
        required=False,
        synonyms=("âge", "age (ans)", "âge (ans)", "age ans", "age en annees", "âge en années", "age patient", "âge du patient"),
        example="67",
        format="Nombre d'années (une décimale est arrondie à l'année inférieure) ; « 6 mois » ou « 12 jours » acceptés.",
    ),
    Column(
        "date_naissance",
        "date_naissance",
        "Date de naissance (JJ/MM/AAAA), à la place de l'âge : elle est convertie en âge à la date du prélèvement "
        "et n'est jamais conservée.",
        required=False,
        synonyms=("date de naissance", "date naissance", "ddn", "date naiss", "né le", "née le", "naissance"),
        example="",
        format="Date JJ/MM/AAAA, ou date saisie comme date dans Excel.",
    ),
    Column(
        "date_prelevement",
        "date_prelevement",
        "Date du prélèvement (JJ/MM/AAAA), dans la période déclarée.",
        synonyms=(
            "date prélèvement",
            "date de prélèvement",
            "date du prélèvement",
            "date prel",
            "date prélevé",
            "date de recueil",
            "date recueil",
            "date specimen",
        ),
        example="14/01/2025",
        format="Date JJ/MM/AAAA, ou date saisie comme date dans Excel.",
    ),
    Column(
        "nature_prelevement",
        "nature_prelevement",
        "Nature du prélèvement, avec le libellé de votre laboratoire (hémoculture, ECBU…). "
        "Les prélèvements de dépistage sont exclus.",
        synonyms=(
            "prélèvement",
            "nature",
            "nature prélèvement",
            "nature du prélèvement",
            "type de prélèvement",
            "type prélèvement",
            "libellé prélèvement",
            "échantillon",
            "type d'échantillon",
            "specimen",
        ),
        example="Hémoculture",
        format="Texte libre : le libellé du laboratoire, associé une fois pour toutes à l'une des catégories de "
        "prélèvement (liste de choix).",
    ),
    Column(
        "espece",
        "espece",
        "Espèce bactérienne isolée, avec le libellé de votre laboratoire.",
        synonyms=(
            "espèce",
            "germe",
            "bactérie",
            "micro-organisme",
            "microorganisme",
            "organisme",
            "souche",
            "espèce bactérienne",
            "nom du germe",
            "libellé germe",
            "libellé espèce",
            "identification",
        ),
        example="Escherichia coli",
        format="Texte libre : le libellé du laboratoire, associé une fois pour toutes à l'espèce de référence (liste de choix).",
    ),
    Column(
        "sexe",
        "sexe",
        "Sexe du patient : F ou M (facultatif).",
        required=False,
        synonyms=("sex", "genre", "sexe patient", "sexe du patient"),
        allowed=("F", "M"),
        example="F",
        format="Une lettre ; vide si inconnu.",
        variants=("féminin", "femme", "2", "masculin", "homme", "H", "1"),
    ),
)

PHENOTYPES = (
    Column(
        "blse",
        "blse",
        "Production de bêta-lactamase à spectre étendu (BLSE) : oui ou non (facultatif).",
        required=False,
        synonyms=("esbl", "phénotype blse", "bêta-lactamase à spectre étendu", "beta-lactamase a spectre etendu"),
        allowed=("oui", "non"),
        example="non",
        format=_NOT_SEARCHED,
        variants=("o", "n", "positif", "négatif", "+", "-", "1", "0"),
    ),
    Column(
        "carbapenemase",
        "carbapenemase",
        "Carbapénémase : OXA-48-like, KPC, NDM, VIM, IMP, autre ou négatif (facultatif).",
        required=False,
        synonyms=("carbapénémase", "type de carbapénémase", "type carbapénémase", "epc", "cpe"),
        allowed=tuple(c.value for c in Carbapenemase),
        example="négatif",
        format=_NOT_SEARCHED + " Deux enzymes (« NDM + OXA-48 ») : la première est gardée, avec un avertissement.",
        variants=("OXA-48", "OXA-181", "OXA-232", "KPC-2", "NDM-1", "VIM-2", "IMP-1", "OXA-23", "non", "-"),
    ),
    Column(
        "erv",
        "erv",
        "Entérocoque résistant à la vancomycine : vanA, vanB ou non (facultatif).",
        required=False,
        synonyms=("erg", "evr", "vre", "gène van", "gene van", "vanA/vanB", "ERV/ERG"),
        allowed=tuple(v.value for v in VanGene),
        example="",
        format=_NOT_SEARCHED,
        variants=("négatif", "-"),
    ),
)

ADMISSION = "date_admission"

IGNORED = (
    Column(
        ADMISSION,
        "date_entree",
        "Date d'entrée : n'est plus recueillie ; une telle colonne est ignorée et ses valeurs ne sont pas conservées.",
        required=False,
        synonyms=(
            "date d'entrée",
            "date entrée",
            "date d'admission",
            "date admission",
            "date entrée hôpital",
            "date d'entrée à l'hôpital",
            "date entrée établissement",
            "date d'entrée dans l'établissement",
            "date entrée uf",
            "date d'entrée dans l'uf",
            "date entrée service",
            "date d'hospitalisation",
            "date hospitalisation",
            "date de séjour",
            "date debut sejour",
            "date de début de séjour",
        ),
    ),
)

RESISTANCE = IDENTITY + PHENOTYPES  # the columns whose values are read, template order (antibiotics between)
ALL = RESISTANCE + IGNORED  # every recognised header

#: What every antibiotic column is: any header that is none of ``ALL``, holding results.
ANTIBIOTIC = Column(
    "antibiotique",
    "(libellé de l'antibiotique)",
    "Une colonne par antibiotique testé, après les colonnes d'identification : l'en-tête est le libellé de la "
    "molécule dans votre laboratoire (Amoxicilline, Céfotaxime…), associé une fois pour toutes à l'antibiotique "
    "de référence. Interprétation selon le CA-SFM (2020 ou plus récent).",
    allowed=RESULTS,
    example="R",
    format="S (sensible), SFP (sensible à forte posologie) ou R (résistant) ; vide si non testé. "
    "Un ancien « I » est lu comme SFP, avec un avertissement.",
)

#: The columns in the order a template and the documentation list them (the antibiotics between).
GUIDE = (*IDENTITY, ANTIBIOTIC, *PHENOTYPES, *IGNORED)


def antibiotic_column(label: str) -> Column:
    """The column of one antibiotic, headed by the laboratory's ``label`` (a template's example column)."""
    return Column(label, label, ANTIBIOTIC.help, required=False, allowed=RESULTS, format=ANTIBIOTIC.format)


def other_headers(column: Column) -> tuple[str, ...]:
    """The headers recognised for ``column`` besides its template header (for an antibiotic, any label: none)."""
    if column.name == ANTIBIOTIC.name:
        return ()
    return tuple(label for label in dict.fromkeys((column.name, *column.synonyms)) if label != column.header)


def presence(column: Column) -> str:
    """Whether a file must have ``column``, in French: obligatoire, facultatif, au moins une, ignorée."""
    if column.name == ANTIBIOTIC.name:
        return "au moins une"
    if column in IGNORED:
        return "ignorée"
    return "obligatoire" if column.required else "facultatif"


def synonyms_spec() -> dict[str, list[str]]:
    """The ``{canonical: [header, synonyms...]}`` mapping a HeaderMatcher takes, ignored columns included."""
    return {c.name: [c.header, *c.synonyms] for c in ALL}


@cache
def matcher() -> HeaderMatcher:
    return HeaderMatcher(synonyms_spec(), required=[c.name for c in RESISTANCE if c.required])


# --------------------------------------------------------------------------- headers that refuse a file

_WORDS = re.compile(r"[a-z0-9]+")
_NAME_WORDS = frozenset(
    {
        "nom",
        "noms",
        "prenom",
        "prenoms",
        "patronyme",
        "name",
        "names",
        "surname",
        "firstname",
        "lastname",
        "forename",
        "givenname",
        "nomprenom",
        "nomdenaissance",
        "nomnaissance",
        "nommarital",
        "nomusage",
        "nomjf",
        "identite",
    }
)
# A "nom …" header about a thing, not a person (nom du service, nom de l'antibiotique…).
_THING_WORDS = frozenset(
    {
        "uf",
        "service",
        "unite",
        "pole",
        "germe",
        "espece",
        "bacterie",
        "organisme",
        "microorganisme",
        "souche",
        "prelevement",
        "echantillon",
        "antibiotique",
        "atb",
        "molecule",
        "commercial",
        "produit",
        "etablissement",
        "hopital",
        "laboratoire",
        "labo",
        "site",
        "fichier",
    }
)
_NIR_WORDS = frozenset({"nir", "nss", "ins", "insee", "secu", "vitale", "inss"})
_NUMBER_WORDS = frozenset({"n", "no", "num", "numero", "nr"})


def personal_header(header: str) -> str | None:
    """``"name"`` or ``"nir"`` when a header (that matched no known column) names a person or a
    social-security number; ``None`` otherwise (an antibiotic label)."""
    words = _WORDS.findall(normalise_header(header))
    if not words:
        return None
    compact = "".join(words)
    present = set(words)
    if present & _NIR_WORDS or "securitesociale" in compact or ("ss" in present and present & _NUMBER_WORDS):
        return "nir"
    if (present & _NAME_WORDS or compact in _NAME_WORDS) and not present & _THING_WORDS:
        return "name"
    if compact in ("patient", "patients", "nompatient", "patientname"):
        return "name"
    return None
