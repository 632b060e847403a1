"""The query parameters of the routes, each declared once: name, meaning in French, values.

Closed lists are derived from the domain's own (enums, tuples), never copied. A route names the
ones its view reads (``endpoint(params=…)``); ``http.query`` refuses any other."""

from __future__ import annotations

from chalicelib.domain.access import RequestState
from chalicelib.domain.alerts import AlertStatus
from chalicelib.domain.combined import PAIRS
from chalicelib.domain.imports import FileType
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.tickets.model import TicketStatus
from chalicelib.handlers.contract import QueryParam, values
from chalicelib.services.mappings import CONFIRMED, PROPOSED, UNMAPPED

_YEAR = r"^\d{4}$"
_REGION = r"^\d{2,3}$"

SCOPE = QueryParam(
    "scope", "Périmètre : establishment:<FINESS>, region:<code> ou national", pattern=r"^(establishment:.+|region:.+|national)$"
)
SCOPE_REQUIRED = QueryParam(SCOPE.name, SCOPE.description, required=True, pattern=SCOPE.pattern)
YEAR = QueryParam("year", "Année (AAAA)")
YEAR_REQUIRED = QueryParam(YEAR.name, YEAR.description, required=True)
REGION = QueryParam("region", "Code de la région", pattern=_REGION)
PERIOD = QueryParam("period", "Période : AAAA, ou AAAA-T1…T4 pour un trimestre")
VERSION = QueryParam("version", "Numéro d'une version antérieure (la dernière sinon)", pattern=r"^\d+$")
DDD_VERSION = QueryParam("version", "Version de la table ATC/DDD de l'OMS (AAAA ; toutes sinon)")
FINESS = QueryParam("finess", "FINESS de l'établissement")
SINCE = QueryParam("since", "Date ISO à partir de laquelle lire (AAAA-MM-JJ)")

ACCESS_REQUEST_STATUS = QueryParam("status", "Statut des demandes", enum=values(RequestState))
ALERT_STATUS = QueryParam("status", "Statut des alertes", enum=values(AlertStatus))
TICKET_STATUS = QueryParam("status", "Statut des demandes de support", enum=values(TicketStatus))
TEAM = QueryParam("team", "Équipe : national, ou region:<code>", pattern=r"^(national|(region:)?\d{2,3})$")
FILE_TYPE = QueryParam("type", "Type de fichier", enum=values(FileType))
MAPPING_KIND = QueryParam("kind", "Type de correspondance", enum=values(MappingKind))
MAPPING_STATE = QueryParam("state", "État des correspondances", enum=(UNMAPPED, PROPOSED, CONFIRMED))

#: Every ``by`` some indicator takes (each indicator's own list is in GET /api/indicators).
BY = QueryParam(
    "by", "Ventilation (les valeurs admises par chaque indicateur sont dans GET /api/indicators)",
    enum=tuple(sorted({dimension for i in INDICATORS.values() for dimension in i.dimensions})),
)  # fmt: skip
PHENOTYPE = QueryParam("phenotype", "Phénotype de résistance (pct_phenotype, density_1000jh)", enum=PHENOTYPES)
SPECIMEN = QueryParam(
    "specimen", "Catégorie de prélèvement (pct_r : code HEMOC, URINE… ; density_1000jh : all ou blood) ; absent ou all : tous"
)
SECTOR = QueryParam("sector", "Secteur d'activité (pct_r : MED, CHIR, REA…) ; absent ou all : tous")
PAIR = QueryParam("pair", "Paire consommation × résistance (combined)", enum=tuple(PAIRS))
#: The options every indicator route reads besides scope, year and by (indicators.py).
INDICATOR_OPTIONS = (PHENOTYPE, SPECIMEN, SECTOR, PAIR)
FROM = QueryParam("from", "Première année (AAAA)")
TO = QueryParam("to", "Dernière année (AAAA)")
ESTABLISHMENT = QueryParam("establishment", "FINESS de l'établissement à situer", required=True)
ITEMS = QueryParam(
    "items",
    "Jusqu'à 24 éléments séparés par des virgules : [trend/|benchmark/]<indicateur>[:nom=valeur]… (docs/api-extensions.md)",
    required=True,
)
