"""What exists, declared once: the cloud stack (CDK) and the embedded runtime
both create their tables, buckets and user pool from these definitions.

Each resource has a logical name; its physical name reaches the app through
the environment variable given by ``env_var`` (see ``chalicelib/config.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.lake import CLOSED_CHANGES
from chalicelib.domain.uploads import RAW_KEPT_DAYS


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    partition_key: str
    sort_key: str | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None

    @property
    def env_var(self) -> str:
        return f"CONSORES_TABLE_{self.name.upper()}"


@dataclass(frozen=True)
class Bucket:
    name: str
    #: Objects expire after this many days (raw uploads: kept at most 7 days).
    expire_days: int | None = None
    #: Objects under these prefixes expire after so many days (Athena's result files: scratch).
    expire_prefixes: tuple[tuple[str, int], ...] = ()
    #: (prefix, days): only the superseded versions of these objects go after so many days, the current stays.
    old_versions_expire: tuple[tuple[str, int], ...] = ()
    versioned: bool = True
    #: The browser POSTs files to it (presigned POST): its CORS names the web client's origin.
    browser_uploads: bool = False
    #: Holds patients' identifiers not yet pseudonymised: encrypted in the cloud with a key of its own.
    identifying: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def env_var(self) -> str:
        return f"CONSORES_BUCKET_{self.name.upper()}"


TABLES: tuple[Table, ...] = (
    Table("establishments", "finess", indexes=(Index("by_region", "region", "finess"),)),
    Table("laboratories", "lab_id"),
    Table("memberships", "finess", "email", indexes=(Index("by_email", "email", "finess"),)),
    Table("access_requests", "finess", "request_id", indexes=(Index("by_email", "email", "request_id"),)),
    Table("profiles", "email", "type"),
    Table("audit", "month", "entry_key"),
    Table("codes", "email", "purpose", ttl_attribute="expires_at_epoch"),
    Table("uploads", "finess", "upload_id"),
    # Which upload currently holds (establishment, file type, period): key "<type>#<period>".
    Table("datasets", "finess", "dataset"),
    Table("periods", "finess", "period"),
    Table("settings", "finess", "year"),
    Table("units", "finess", "code_uf"),
    # Beds per UF and year: key "<year>#<code_uf>".
    Table("beds", "finess", "year_uf"),
    Table("catalogue", "ucd"),
    # A laboratory's labels and their reference codes: key "<kind>#<label key>".
    Table("mappings", "lab_id", "mapping_key"),
    # Each establishment's pseudonymisation secret, encrypted by KMS (never in clear).
    Table("keys", "finess"),
    # The EARS-Net export: exports, settings, patient counters (see adapters/dynamo_ears_net.py).
    Table("ears_net", "pk", "sk"),
    # The national settings of the indicators' methods, one item per version (adapters/dynamo_methods.py).
    Table("methods", "setting", "version"),
    # Each year's campaign (deadline, reminder days) and the reminders sent (adapters/dynamo_campaigns.py).
    Table("campaigns", "year", "item"),
    # Support tickets, their messages and attachments, one partition per ticket (adapters/dynamo_tickets.py).
    Table("tickets", "ticket_id", "item", indexes=(Index("by_team", "team", "created_at"),
          Index("by_finess", "finess", "created_at"), Index("by_author", "author", "created_at"))),
    # Alerts on rare phenotypes, one item per alert (adapters/dynamo_alerts.py).
    Table("alerts", "alert_id", indexes=(Index("by_finess", "finess", "created_at"), Index("by_region", "region", "created_at"))),
)

#: Step Functions state machines: logical name -> definition file under infra/statemachines/.
STATE_MACHINES = {
    "deduplication": "deduplication.asl.json",
    "closure": "closure.asl.json",
    "ears_net_export": "ears_net_export.asl.json",
    "annotated_report": "annotated_report.asl.json",
    "report_generation": "report_generation.asl.json",
}
#: The workflow's task functions (Chalice handler names), as substituted in the definition.
DEDUPLICATION_TASKS = {
    "PseudonymiseArn": "wf_pseudonymise",
    "DeduplicateArn": "wf_deduplicate",
    "PhenotypesArn": "wf_phenotypes",
    "PublishResultsArn": "wf_publish_results",
    "PrepareIsolatesArn": "wf_prepare_isolates",
    "PublishArn": "wf_publish",
    "FinishArn": "wf_finish",
    "FailArn": "wf_fail",
}
CLOSURE_TASKS = {
    "ControlsArn": "cl_controls",
    "CloseArn": "cl_close",
    "ReportArn": "cl_report",
    "ReportMailArn": "cl_report_mail",
    "ReportFailedArn": "cl_report_failed",
    "NotifyArn": "cl_notify",
    "AbortArn": "cl_abort",
}
EARS_NET_EXPORT_TASKS = {
    "ExportArn": "ex_run",
    "ExportFailArn": "ex_fail",
}
ANNOTATED_REPORT_TASKS = {
    "BuildArn": "rp_build",
}
REPORT_GENERATION_TASKS = {
    "PlanArn": "rg_plan",
    "MakeArn": "rg_make",
    "ItemFailedArn": "rg_item_failed",
    "FinishArn": "rg_finish",
    "FailArn": "rg_fail",
}
#: Each state machine's tasks, for substitution in its definition.
TASKS = {
    "deduplication": DEDUPLICATION_TASKS,
    "closure": CLOSURE_TASKS,
    "ears_net_export": EARS_NET_EXPORT_TASKS,
    "annotated_report": ANNOTATED_REPORT_TASKS,
    "report_generation": REPORT_GENERATION_TASKS,
}

BUCKETS: tuple[Bucket, ...] = (
    Bucket("raw", expire_days=RAW_KEPT_DAYS, browser_uploads=True, identifying=True),
    # Each establishment's rows kept for the benchmarks (derived/…): computed again when missing; a version of the
    # code reads only its own, so the older versions' go after 30 days.
    # The closed area's state (a token written again at every closure or reopening) keeps only its current version.
    Bucket("lake", expire_prefixes=(("derived/", 30),), old_versions_expire=((CLOSED_CHANGES, 1),)),
    # Tickets' attachments (tickets/…) are kept 90 days: a user may attach what should not stay (DOMAIN.md §5).
    Bucket("exports", expire_prefixes=(("athena-results/", 7), ("tickets/", 90)), browser_uploads=True),
)

USER_POOL_NAME = "consores-users"
USER_POOL_CLIENT_NAME = "consores-web"
#: Password policy shared by the pool and the sign-up form.
PASSWORD_MIN_LENGTH = 10
MAIL_FROM = "ne-pas-repondre@consores.fr"
