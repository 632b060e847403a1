"""Builds the real adapters from the settings (the only place that wires boto3)."""

from __future__ import annotations

from chalicelib.adapters import tessy_csv
from chalicelib.adapters.athena_query_engine import AthenaQueryEngine
from chalicelib.adapters.aws import AwsClients
from chalicelib.adapters.cognito_identity import CognitoIdentityProvider
from chalicelib.adapters.documents import CalamineReader, XlsxRenderer
from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.adapters.duckdb_results_writer import DuckDbColumnarWriter
from chalicelib.adapters.duckdb_work_objects import DuckDbWorkObjects
from chalicelib.adapters.dynamo_access import DynamoAccessStore
from chalicelib.adapters.dynamo_alerts import DynamoAlertStore
from chalicelib.adapters.dynamo_audit import DynamoAuditLog
from chalicelib.adapters.dynamo_campaigns import DynamoCampaignStore
from chalicelib.adapters.dynamo_catalogue import DynamoDrugCatalogue
from chalicelib.adapters.dynamo_codes import DynamoAttemptCounters, DynamoCodeStore
from chalicelib.adapters.dynamo_ears_net import DynamoExportStore, DynamoPatientCounters
from chalicelib.adapters.dynamo_mappings import DynamoMappingStore
from chalicelib.adapters.dynamo_methods import DynamoMethodSettings
from chalicelib.adapters.dynamo_periods import DynamoPeriodStatusStore, DynamoSettingsStore
from chalicelib.adapters.dynamo_second_factors import DynamoSecondFactors
from chalicelib.adapters.dynamo_structure import DynamoUnitStore
from chalicelib.adapters.dynamo_tenants import DynamoTenantStore
from chalicelib.adapters.dynamo_tickets import DynamoTicketStore
from chalicelib.adapters.dynamo_uploads import DynamoUploadStore
from chalicelib.adapters.dynamo_year_records import DynamoYearRecords
from chalicelib.adapters.jwt_verifier import JwtVerifier, jwks_keys
from chalicelib.adapters.kms_keys import KmsPseudonymKeys
from chalicelib.adapters.lambda_import_requests import LambdaImportRequests
from chalicelib.adapters.rest_catalogue import RestCatalogueSource
from chalicelib.adapters.s3_derived_rows import S3DerivedRows
from chalicelib.adapters.s3_export_files import S3ExportFiles
from chalicelib.adapters.s3_generation_log import S3GenerationLog
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.adapters.s3_objects import S3ObjectStore
from chalicelib.adapters.s3_raw import S3RawStore
from chalicelib.adapters.s3_report_archive import S3ReportArchive
from chalicelib.adapters.s3_reports import S3ReportStore
from chalicelib.adapters.s3_ticket_files import S3TicketFiles
from chalicelib.adapters.ses_mailer import SesMailer
from chalicelib.adapters.sfn_workflows import StepFunctionsWorkflows
from chalicelib.adapters.system import SystemClock, UuidIds
from chalicelib.config import Settings
from chalicelib.services.ports import QueryEngine
from chalicelib.services.ports.platform import Adapters


def _query_engine(settings: Settings, aws: AwsClients, objects: S3ObjectStore, lake: S3LakeStore) -> QueryEngine:
    """Athena over the Glue tables in the cloud; DuckDB over the same Parquet on one machine."""
    if settings.embedded:
        return DuckDbQueryEngine(objects, settings.buckets["lake"], settings.query_cache_dir)
    return AthenaQueryEngine(
        aws.client("athena"),
        database=settings.athena_database,
        workgroup=settings.athena_workgroup,
        lake_bucket=settings.buckets["lake"],
        output_location=settings.athena_output,
        # A closed partition changed while a query read it: no answer (closed_read_changed), and the listings this
        # container kept are made anew (a writer died between its change and its new state: s3_lake.py).
        listing=lambda prefix: objects.list_keys(settings.buckets["lake"], prefix),
        on_changed=lake.forget_listings,
    )


def real_adapters(settings: Settings) -> Adapters:
    aws = AwsClients(settings)
    objects = S3ObjectStore(aws.s3, settings.public_s3_endpoint, settings.aws_endpoint_url)
    lake = S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), settings.buckets["lake"])
    mailbox = None
    if settings.embedded:
        from chalicelib.adapters.emulator_mailbox import EmulatorMailbox

        mailbox = EmulatorMailbox(settings.aws_region)
    return Adapters(
        tenants=DynamoTenantStore(aws.table("establishments"), aws.table("laboratories")),
        access=DynamoAccessStore(aws.table("memberships"), aws.table("access_requests"), aws.table("profiles")),
        audit_log=DynamoAuditLog(aws.table("audit")),
        codes=DynamoCodeStore(aws.table("codes")),
        counters=DynamoAttemptCounters(aws.table("codes")),
        second_factors=DynamoSecondFactors(aws.table("codes")),
        mailer=SesMailer(aws.ses, settings.mail_from),
        identity=CognitoIdentityProvider(aws.cognito, settings.user_pool_id, settings.user_pool_client_id),
        verifier=JwtVerifier(jwks_keys(settings.jwks_url), settings.token_issuer, settings.user_pool_client_id),
        clock=SystemClock(),
        ids=UuidIds(),
        uploads=DynamoUploadStore(aws.table("uploads"), aws.table("datasets"), aws.table("periods")),
        units=DynamoUnitStore(aws.table("units"), aws.table("beds")),
        periods=DynamoPeriodStatusStore(aws.table("periods")),
        settings=DynamoSettingsStore(aws.table("settings")),
        objects=objects,
        reader=CalamineReader(),
        renderer=XlsxRenderer(),
        columnar_writer=DuckDbColumnarWriter(),
        reports=S3ReportStore(objects, settings.buckets["lake"]),
        report_archive=S3ReportArchive(objects, settings.buckets["exports"]),
        generation_log=S3GenerationLog(objects, settings.buckets["exports"]),
        work_objects=DuckDbWorkObjects(objects, settings.buckets["raw"], settings.buckets["lake"]),
        lake_reader=DuckDbLakeReader(objects),
        lake=lake,
        derived_rows=S3DerivedRows(objects, settings.buckets["lake"]),
        raw=S3RawStore(objects, settings.buckets["raw"]),
        imports=LambdaImportRequests(aws.client("lambda"), settings.import_function),
        export_files=S3ExportFiles(objects, settings.buckets["exports"]),
        catalogue=DynamoDrugCatalogue(aws.table("catalogue")),
        mappings=DynamoMappingStore(aws.table("mappings")),
        query_engine=_query_engine(settings, aws, objects, lake),
        pseudonym_keys=KmsPseudonymKeys(aws.client("kms"), aws.table("keys"), settings.kms_key_id),
        workflows=StepFunctionsWorkflows(
            aws.client("stepfunctions"),
            settings.deduplication_state_machine_arn,
            settings.closure_state_machine_arn,
            settings.ears_net_state_machine_arn,
            settings.annotated_report_state_machine_arn,
            settings.report_generation_state_machine_arn,
        ),
        catalogue_source=(
            RestCatalogueSource(settings.catalogue_url, settings.catalogue_api_key or "") if settings.catalogue_url else None
        ),
        exports=DynamoExportStore(aws.table("ears_net")),
        patient_counters=DynamoPatientCounters(aws.table("ears_net")),
        methods=DynamoMethodSettings(aws.table("methods")),
        campaigns=DynamoCampaignStore(aws.table("campaigns")),
        year_records=DynamoYearRecords(aws.table("datasets"), aws.table("uploads"), aws.table("periods"), aws.table("settings")),
        tickets=DynamoTicketStore(aws.table("tickets")),
        alerts=DynamoAlertStore(aws.table("alerts")),
        ticket_files=S3TicketFiles(objects, settings.buckets["exports"]),
        tessy_files=tessy_csv,
        mailbox=mailbox,
    )
