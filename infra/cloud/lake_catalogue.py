"""The lake in the Glue catalogue, and the Athena workgroup that queries it.

One Glue table per dataset the indicator queries read and per state:
``draft_<dataset>`` over ``lake/<dataset>/`` (every upload's file, as the
publisher writes it) and ``closed_<dataset>`` over ``closed/<dataset>/`` (the
copies the closure workflow publishes). Datasets, columns, partition columns
and layout are the lake's declaration (``chalicelib/domain/lake.py``); only
their types are translated here, into Glue's (Hive) names.

Partitions are *projected*, never registered: ``year`` is an integer range,
``region`` the reference list of regions, ``es`` (the FINESS) is injected from
the query, which ``AthenaQueryEngine`` always binds. A partition that closure
publishes is therefore queryable as soon as its object exists: the closure
workflow has no "register in Glue" step to run, and nothing to undo on reopening.

The workgroup enforces its configuration (clients cannot lift it): results in
the exports bucket under ``athena-results/``, and a per-query cutoff on the
bytes scanned, above which Athena cancels the query (the API then answers 413).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from chalicelib.domain.lake import PARTITIONS, QUERIED, STATES, Column, location_template, partition_prefix, table_name
from chalicelib.reference import regions

#: Years a table projects: surveillance data before 2010 or after 2099 do not exist.
YEAR_RANGE = "2010,2099"
#: Per query: a national year of every dataset reads well under 1 GB (see the README's benchmarks).
SCAN_LIMIT_BYTES = 10 * 1024**3
RESULTS_PREFIX = "athena-results/"
ATHENA_QUERY_ACTIONS = (
    "athena:StartQueryExecution",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:StopQueryExecution",
    "athena:GetWorkGroup",
)
GLUE_READ_ACTIONS = ("glue:GetDatabase", "glue:GetTable", "glue:GetTables")
#: Athena writes a query's results (in parts when large) and the engine reads them back.
RESULTS_OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts")
PARQUET = {
    "input_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "output_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "serde": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
}
_HIVE_TYPES = {
    "VARCHAR": "string", "INTEGER": "int", "BIGINT": "bigint", "BOOLEAN": "boolean", "DATE": "date", "DOUBLE": "double",
}  # fmt: skip


def hive_type(sql_type: str) -> str:
    """The lake writer's (DuckDB) column type as Glue's (Hive) type name."""
    normalised = re.sub(r"\s+", "", sql_type.upper())
    if normalised.startswith("DECIMAL("):
        return normalised.lower()
    return _HIVE_TYPES[normalised]


def projection(bucket: str, prefix: str, dataset: str) -> dict[str, str]:
    return {
        "projection.enabled": "true",
        "projection.year.type": "integer",
        "projection.year.range": YEAR_RANGE,
        "projection.region.type": "enum",
        "projection.region.values": ",".join(sorted(regions())),
        "projection.es.type": "injected",
        "storage.location.template": f"s3://{bucket}/{location_template(prefix, dataset)}",
    }


@dataclass(frozen=True)
class GlueTable:
    """One Glue table of the lake, as the stack declares it (types in Glue's names)."""

    name: str
    dataset: str
    area: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]
    location: str
    parameters: Mapping[str, str]


def glue_tables(bucket: str) -> list[GlueTable]:
    """The lake's Glue tables: one per dataset the queries read and per area (draft, closed)."""
    return [
        GlueTable(
            name=table_name(area, dataset.name),
            dataset=dataset.name,
            area=area,
            columns=_hive(dataset.columns),
            partition_keys=_hive(PARTITIONS),
            location=f"s3://{bucket}/{partition_prefix(area, dataset.name)}",
            parameters={"classification": "parquet", "EXTERNAL": "TRUE", **projection(bucket, area, dataset.name)},
        )
        for area in STATES
        for dataset in QUERIED.values()
    ]


def _results_encryption(results: s3.IBucket) -> athena.CfnWorkGroup.EncryptionConfigurationProperty:
    key = results.encryption_key
    if key is None:
        return athena.CfnWorkGroup.EncryptionConfigurationProperty(encryption_option="SSE_S3")
    return athena.CfnWorkGroup.EncryptionConfigurationProperty(encryption_option="SSE_KMS", kms_key=key.key_arn)


class LakeCatalogue(Construct):
    """The Glue database and tables of the lake, the Athena workgroup, and the app's rights on them."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: str, lake: s3.IBucket, results: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.database_name = f"consores_{re.sub(r'[^a-z0-9]', '_', stage.lower())}"
        self.workgroup_name = f"consores-{stage}"
        self.output_location = f"s3://{results.bucket_name}/{RESULTS_PREFIX}"
        database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=stack.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=self.database_name, description="ConsoRes: the lake's datasets, draft and closed"
            ),
        )
        self.tables: dict[str, glue.CfnTable] = {}
        for spec in glue_tables(lake.bucket_name):
            table = _table(self, stack.account, self.database_name, spec)
            table.node.add_dependency(database)
            self.tables[spec.name] = table
        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=self.workgroup_name,
            description="ConsoRes indicators: enforced results location and per-query scan limit",
            state="ENABLED",
            recursive_delete_option=True,
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                bytes_scanned_cutoff_per_query=SCAN_LIMIT_BYTES,
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(selected_engine_version="Athena engine version 3"),
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=self.output_location,
                    # The results are the lake's data: under the key of the bucket they are written to.
                    encryption_configuration=_results_encryption(results),
                ),
            ),
        )
        self._lake = lake
        self._results = results

    def environment(self) -> Mapping[str, str]:
        """What ``chalicelib/config.py`` reads to build ``AthenaQueryEngine``."""
        return {
            "CONSORES_ATHENA_DATABASE": self.database_name,
            "CONSORES_ATHENA_WORKGROUP": self.workgroup_name,
            "CONSORES_ATHENA_OUTPUT": self.output_location,
        }

    def grant_query(self, role: iam.IRole) -> None:
        """Run queries in the workgroup, read the catalogue and the lake's tables, write results.

        Athena reads the lake and writes results with the caller's rights: the role reads the objects
        under the tables' areas (``lake/``, ``closed/``, never ``work/`` nor ``reports/``) and lists them,
        and reads and writes the results (multipart uploads included) under ``athena-results/``.
        """
        stack = cdk.Stack.of(self)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(ATHENA_QUERY_ACTIONS),
                resources=[stack.format_arn(service="athena", resource="workgroup", resource_name=self.workgroup_name)],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(GLUE_READ_ACTIONS),
                resources=[
                    stack.format_arn(service="glue", resource="catalog"),
                    stack.format_arn(service="glue", resource="database", resource_name=self.database_name),
                    stack.format_arn(service="glue", resource="table", resource_name=f"{self.database_name}/*"),
                ],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:GetBucketLocation"], resources=[self._lake.bucket_arn, self._results.bucket_arn])
        )
        areas = [f"{area}/*" for area in STATES]
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[self._lake.arn_for_objects(area) for area in areas])
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket"], resources=[self._lake.bucket_arn], conditions={"StringLike": {"s3:prefix": areas}}
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(RESULTS_OBJECT_ACTIONS), resources=[self._results.arn_for_objects(f"{RESULTS_PREFIX}*")]
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket", "s3:ListBucketMultipartUploads"],
                resources=[self._results.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{RESULTS_PREFIX}*"]}},
            )
        )


def _table(scope: Construct, account: str, database: str, spec: GlueTable) -> glue.CfnTable:
    return glue.CfnTable(
        scope,
        "".join(part.capitalize() for part in spec.name.split("_")) + "Table",
        catalog_id=account,
        database_name=database,
        table_input=glue.CfnTable.TableInputProperty(
            name=spec.name,
            description=f"ConsoRes lake: {spec.dataset} ({STATES[spec.area]}), s3://…/{spec.area}/{spec.dataset}/",
            table_type="EXTERNAL_TABLE",
            parameters=dict(spec.parameters),
            partition_keys=_columns(spec.partition_keys),
            storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                columns=_columns(spec.columns),
                location=spec.location,
                input_format=PARQUET["input_format"],
                output_format=PARQUET["output_format"],
                serde_info=glue.CfnTable.SerdeInfoProperty(
                    serialization_library=PARQUET["serde"], parameters={"serialization.format": "1"}
                ),
            ),
        ),
    )


def _hive(columns: Sequence[Column]) -> tuple[tuple[str, str], ...]:
    return tuple((name, hive_type(sql_type)) for name, sql_type in columns)


def _columns(columns: Sequence[tuple[str, str]]) -> list[glue.CfnTable.ColumnProperty]:
    return [glue.CfnTable.ColumnProperty(name=name, type=kind) for name, kind in columns]
