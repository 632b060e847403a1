"""Which function may touch what: the Chalice functions in families, each family with its own IAM role.

One table (``FAMILIES``) says, for each family, its functions and everything they need: the tables
(read, write, delete), the objects (bucket, prefixes, read, write, delete, list), the workflows they
start, and whether they query the lake (Athena), administer accounts (Cognito), send mail (SES) or use
the pseudonymisation key (KMS). The stack builds one role per family from it (``infra/cloud/roles.py``)
and the tests check the synthesised roles against it and against the rules below.

Found by reading each function's code path (the services ``chalicelib/bootstrap.py`` wires for its
handler, the adapters they reach in ``chalicelib/adapters/factory.py``) and checked by recording every
AWS call the embedded platform makes while the flows run (see the session note). Rules:

- the raw bucket (files not yet pseudonymised) is read only by the import and pseudonymisation
  families; the API only signs the browser's upload (write). To send a file to be imported again
  (mappings completed, catalogue grown) it reopens the upload and asks the import function, an
  asynchronous invocation of ``on_upload`` (``invokes``), which copies the file onto itself;
- the audit table is append-only for everyone (``PutItem``; the app writes with ``attribute_not_exists``),
  read (``Query``) only by the API, whose routes list it; never updated or deleted;
- the pseudonymisation key is used only by the function that pseudonymises.

Pure data: no CDK here, so that the tests read the same table the stack is built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.lake import CLOSED_CHANGES
from infra.resources import BUCKETS

#: Chalice's name of the REST handler (its CloudFormation logical id is ``APIHandler``).
API_HANDLER = "api_handler"

READ, WRITE, DELETE = "read", "write", "delete"


@dataclass(frozen=True)
class Objects:
    """What a family does with the objects under ``prefixes`` of one bucket (``list``: list them too); a prefix
    without its final slash names one object."""

    bucket: str
    prefixes: tuple[str, ...]
    access: frozenset[str]
    list: bool = False


def objects(bucket: str, *prefixes: str, access: str, list: bool = False) -> Objects:
    """``access``: "read", "read write", "read write delete"..."""
    return Objects(bucket, prefixes, frozenset(access.split()), list)


@dataclass(frozen=True)
class Family:
    name: str
    #: What its functions do, and why they need what they are granted.
    purpose: str
    #: Chalice handler names.
    functions: tuple[str, ...]
    #: table -> "read", "read write", "read write delete" (indexes follow their table).
    tables: dict[str, str] = field(default_factory=dict)
    objects: tuple[Objects, ...] = ()
    #: State machines (``infra.resources.STATE_MACHINES``) its functions start.
    starts: tuple[str, ...] = ()
    #: Runs Athena queries in the stage's workgroup (reads the lake's ``lake/`` and ``closed/`` objects).
    queries: bool = False
    #: Administers the user pool (sign-up, confirmation, passwords, attributes, deletion).
    identity: bool = False
    mail: bool = False
    #: Generates and decrypts the establishments' pseudonymisation secrets.
    pseudonymises: bool = False
    #: Lists the audit (besides appending to it, which every family does).
    reads_audit: bool = False
    #: Functions its functions invoke (asynchronously), by handler name.
    invokes: tuple[str, ...] = ()

    def table_access(self, table: str) -> frozenset[str]:
        return frozenset(self.tables.get(table, "").split())


#: The two classes of data, each under its own KMS key (``infra/cloud/keys.py``): the raw uploads, identifiers
#: not yet pseudonymised, and the rest (the lake, the exports, every table).
IDENTIFYING_KEY, DATA_KEY = "identifying", "data"
BUCKET_KEYS = {bucket.name: IDENTIFYING_KEY if bucket.identifying else DATA_KEY for bucket in BUCKETS}
TABLE_KEY = DATA_KEY
#: Where Athena reads and writes with the rights of a family that queries (``LakeCatalogue.grant_query``).
QUERIED_BUCKETS = ("lake", "exports")

AUDIT_TABLE = "audit"
RAW_BUCKET = "raw"
#: The function that imports an upload, which the API (a resume, the catalogue grown) and the import family's
#: schedules (the catalogue's daily revalidation) ask to process a reopened upload again.
IMPORT_FUNCTION = "on_upload"

#: Who reads which mails' recipients: the établissement's référents and the national team (memberships, profiles).
_RECIPIENTS = {"establishments": READ, "memberships": READ, "profiles": READ}
#: What the completeness of a year reads (``adapters/dynamo_year_records.py``).
_YEAR_RECORDS = {"datasets": READ, "uploads": READ, "periods": READ, "settings": READ}

FAMILIES: tuple[Family, ...] = (
    Family(
        "api",
        "the REST handler: every route of the API, accounts included",
        (API_HANDLER,),
        tables={
            "establishments": "read write",
            "laboratories": "read write",
            "memberships": "read write delete",
            "access_requests": "read write delete",
            "profiles": "read write delete",
            "codes": "read write delete",
            "uploads": "read write",
            "datasets": "read write",
            "periods": "read write",
            "settings": "read write",
            "units": "read write delete",
            "beds": "read write delete",
            "catalogue": "read write delete",
            "mappings": "read write delete",
            "ears_net": "read write",
            "methods": "read write",
            "campaigns": "read write delete",
            "tickets": "read write",
            "alerts": "read write",
        },
        objects=(
            # Signs the browser's upload, nothing more: never read (patient identifiers), deleted nor listed here.
            objects("raw", "uploads/", access="write"),
            # Datasets removed and recomputed, the uploads' reports; closed copies only removed (on reopening):
            # publishing them is the closure workflow's.
            objects("lake", "lake/", access="read write delete", list=True),
            objects("lake", "closed/", access="read delete", list=True),
            # A removal from the closed area ends by writing its new state (chalicelib/adapters/s3_lake.py).
            objects("lake", CLOSED_CHANGES, access="write"),
            objects("lake", "reports/", access="read write"),
            # Each establishment's rows over closed data, kept for the benchmarks (services/indicators/establishment_rows.py).
            objects("lake", "derived/", access="read write"),
            # Reports and syntheses archived, the generations' log, tickets' attachments, EARS-Net files (downloads).
            objects("exports", "reports/", "tickets/", access="read write", list=True),
            objects("exports", "ears-net/", access="read"),
        ),
        starts=("closure", "ears_net_export", "annotated_report", "report_generation"),
        queries=True,
        identity=True,
        mail=True,
        reads_audit=True,
        # A resume or the catalogue grown: the upload reopened, its file imported again by on_upload.
        invokes=(IMPORT_FUNCTION,),
    ),
    Family(
        "import",
        "imports an uploaded file (on_upload, the deduplication workflow's tasks but pseudonymisation), "
        "settles stuck imports and sends waiting ones to be imported again (sweeper, catalogue sync, revalidation)",
        (
            "on_upload",
            "wf_deduplicate",
            "wf_phenotypes",
            "wf_publish_results",
            "wf_prepare_isolates",
            "wf_publish",
            "wf_finish",
            "wf_fail",
            "sweep_uploads",
            "revalidate_waiting_uploads",
            "sync_catalogue",
        ),
        tables={
            **_RECIPIENTS,
            "laboratories": READ,
            "uploads": "read write",
            "datasets": "read write",
            "periods": "read write",
            "settings": "read write",
            "units": "read write delete",
            "beds": "read write delete",
            "catalogue": "read write delete",
            "mappings": "read write",
            "tickets": "read write",
            "alerts": "read write",
        },
        objects=(
            # The raw file (read, touched to be imported again, dropped once imported) and its work area.
            objects("raw", "uploads/", "work/", access="read write delete", list=True),
            objects("lake", "lake/", "work/", access="read write delete", list=True),
            objects("lake", "reports/", access="read write"),
        ),
        starts=("deduplication",),
        mail=True,
        # The catalogue's daily revalidation and sync hand each waiting upload to on_upload, as the API does.
        invokes=(IMPORT_FUNCTION,),
    ),
    Family(
        "pseudonymisation",
        "turns the patients' identifiers of an import into pseudonyms with its establishment's secret",
        ("wf_pseudonymise",),
        tables={"keys": "read write"},
        objects=(
            objects("raw", "work/", access="read delete", list=True),
            objects("lake", "work/", access="write"),
        ),
        pseudonymises=True,
    ),
    Family(
        "workflow",
        "closure (controls, closed copies, notices), the reports made at closure or in batches, annotated reports",
        (
            "cl_controls",
            "cl_close",
            "cl_notify",
            "cl_abort",
            "cl_report",
            "cl_report_mail",
            "cl_report_failed",
            "rp_build",
            "rg_plan",
            "rg_make",
            "rg_item_failed",
            "rg_finish",
            "rg_fail",
        ),
        tables={
            **_RECIPIENTS,
            **_YEAR_RECORDS,
            "laboratories": READ,
            # Closing and aborting change the period; uploads are only read (the annotated report's claim is the API's).
            "periods": "read write",
            "units": READ,
            "beds": READ,
            "methods": READ,
            "alerts": READ,
        },
        objects=(
            # Closure copies lake/ to closed/ (earlier copies of the year removed).
            objects("lake", "lake/", access="read", list=True),
            objects("lake", "closed/", access="read write delete", list=True),
            objects("lake", "reports/", access="read write"),
            objects("lake", "derived/", access="read write"),
            objects("exports", "reports/", access="read write", list=True),
        ),
        queries=True,
        mail=True,
    ),
    Family(
        "exports",
        "the EARS-Net export (its workflow's tasks and the yearly schedule that starts it)",
        ("ex_run", "ex_fail", "export_ears_net"),
        tables={**_RECIPIENTS, "ears_net": "read write", "laboratories": READ, "uploads": READ, "units": READ, "beds": READ},
        objects=(
            objects("lake", "closed/", access="read", list=True),
            objects("exports", "ears-net/", access="read write"),
        ),
        starts=("ears_net_export",),
        mail=True,
    ),
    Family(
        "schedules",
        "the other scheduled jobs: expired codes purged, deadline reminders, the reports made after a deadline",
        ("purge_expired_codes", "remind_deadlines", "generate_after_deadline"),
        tables={**_RECIPIENTS, **_YEAR_RECORDS, "codes": "read delete", "campaigns": "read write"},
        objects=(objects("exports", "reports/", access="read write", list=True),),
        starts=("report_generation",),
        mail=True,
    ),
)


def key_uses(family: Family) -> set[tuple[str, str]]:
    """The data keys a family uses and the service it uses each through: (key class, "s3" or "dynamodb").
    Every family writes the audit, so every family uses the tables' key."""
    buckets = {grant.bucket for grant in family.objects} | (set(QUERIED_BUCKETS) if family.queries else set())
    return {(BUCKET_KEYS[bucket], "s3") for bucket in buckets} | {(TABLE_KEY, "dynamodb")}


def encrypts_only(family: Family, data_class: str) -> bool:
    """Whether the family only writes the objects under the ``data_class`` key (the API signing the browser's
    upload to the raw bucket): it may generate data keys with it, never decrypt."""
    grants = [grant for grant in family.objects if BUCKET_KEYS[grant.bucket] == data_class]
    queried = family.queries and any(BUCKET_KEYS[bucket] == data_class for bucket in QUERIED_BUCKETS)
    return bool(grants) and not queried and all(READ not in grant.access for grant in grants)
