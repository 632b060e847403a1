"""Ports: what the use cases need from the outside world.

Each port has a real adapter (``chalicelib/adapters``) and an in-memory fake
(``tests/fakes``); one contract suite (``tests/contract``) runs against both.
"""

from __future__ import annotations

from chalicelib.services.ports.ears_net import ExportFiles, ExportRecord, ExportStore, PatientCounters, TessyFiles
from chalicelib.services.ports.identity import (
    AttemptCounters,
    CodeStore,
    IdentityProvider,
    Mailbox,
    Mailer,
    SecondFactorNeeded,
    SecondFactorStore,
    StoredCode,
    Tokens,
    TokenVerifier,
    UserInfo,
    VerifiedToken,
)
from chalicelib.services.ports.imports import (
    ColumnarLakeWriter,
    CurrentDataset,
    LakeReader,
    LakeWriter,
    ObjectStore,
    PeriodState,
    PeriodStatusStore,
    ReportRenderer,
    SettingsStore,
    SheetLike,
    SpreadsheetReader,
    UnitStore,
    UploadStore,
)
from chalicelib.services.ports.indicators import (
    DerivedRowsStore,
    MethodSettings,
    QueryEngine,
    QueryFailed,
    QueryTooLarge,
    TableSource,
)
from chalicelib.services.ports.lake import LakeStore
from chalicelib.services.ports.raw import ImportRequests, RawStore
from chalicelib.services.ports.reports import KeptRows, ReportStore
from chalicelib.services.ports.resistance import LabelMapping, MappingStore, PseudonymKeys, Workflows
from chalicelib.services.ports.system import Clock, IdGenerator
from chalicelib.services.ports.tenants import AccessStore, AuditLog, TenantStore
from chalicelib.services.ports.work import WorkColumns, WorkObject, WorkObjects, work_key

__all__ = [
    "AccessStore",
    "AttemptCounters",
    "AuditLog",
    "Clock",
    "CodeStore",
    "ColumnarLakeWriter",
    "CurrentDataset",
    "DerivedRowsStore",
    "ExportFiles",
    "ExportRecord",
    "ExportStore",
    "IdGenerator",
    "IdentityProvider",
    "ImportRequests",
    "KeptRows",
    "LabelMapping",
    "LakeReader",
    "LakeStore",
    "LakeWriter",
    "Mailbox",
    "Mailer",
    "MappingStore",
    "MethodSettings",
    "ObjectStore",
    "PatientCounters",
    "PeriodState",
    "PeriodStatusStore",
    "PseudonymKeys",
    "QueryEngine",
    "QueryFailed",
    "QueryTooLarge",
    "RawStore",
    "ReportRenderer",
    "ReportStore",
    "SecondFactorNeeded",
    "SecondFactorStore",
    "SettingsStore",
    "SheetLike",
    "SpreadsheetReader",
    "StoredCode",
    "TableSource",
    "TenantStore",
    "TessyFiles",
    "TokenVerifier",
    "Tokens",
    "UnitStore",
    "UploadStore",
    "UserInfo",
    "VerifiedToken",
    "WorkColumns",
    "WorkObject",
    "WorkObjects",
    "Workflows",
    "work_key",
]
