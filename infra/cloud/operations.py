"""What the national team watches: the imports' own metrics, drawn from the functions' structured logs, and
one CloudWatch dashboard of the stage.

The app logs one JSON object per line (``chalicelib/handlers/observability.py``): ``on_upload`` says
``object processed`` with the upload's ``status``, and the sweeper ``stuck uploads settled`` with how many
it settled. Metric filters turn those lines into metrics of the namespace ``ConsoRes/<stage>`` (no
permission, no code of the app's to publish them): imports processed, imports rejected, uploads found stuck.
A stuck upload is a failure the user waited for: it alarms, like a function's errors, a dead letter or a
failed workflow (``monitoring.Alarms``). The dashboard sets these beside the functions' errors and
durations, the workflows' failures and the failure queues' depth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.cloud.monitoring import PERIOD

#: Metric -> (the function whose log group it reads, the filter on its JSON lines, the value counted).
LOG_METRICS: dict[str, tuple[str, str, str]] = {
    "ImportsProcessed": ("OnUpload", '{ $.message = "object processed" }', "1"),
    "ImportsRejected": ("OnUpload", '{ $.message = "object processed" && $.status = "REJECTED" }', "1"),
    "StuckUploadsSettled": ("SweepUploads", '{ $.message = "stuck uploads settled" }', "$.settled"),
}
#: The functions drawn on the dashboard (the API, the import's entry and its heaviest steps).
WATCHED_FUNCTIONS = ("APIHandler", "OnUpload", "WfPublish", "WfPublishResults", "RpBuild", "RgMake")


def namespace(stage: str) -> str:
    return f"ConsoRes/{stage}"


def log_metrics(scope: Construct, stage: str, groups: Mapping[str, logs.ILogGroup]) -> dict[str, cloudwatch.Metric]:
    """The metric filters, and each metric as a graph or an alarm reads it (sum over ``PERIOD``)."""
    metrics = {}
    for name, (function, pattern, value) in LOG_METRICS.items():
        logs.MetricFilter(
            scope,
            f"{name}Filter",
            log_group=groups[function],
            filter_pattern=logs.FilterPattern.literal(pattern),
            metric_namespace=namespace(stage),
            metric_name=name,
            metric_value=value,
            default_value=0,
        )
        metrics[name] = cloudwatch.Metric(namespace=namespace(stage), metric_name=name, statistic="Sum", period=PERIOD)
    return metrics


def dashboard(
    scope: Construct,
    stage: str,
    metrics: Mapping[str, cloudwatch.Metric],
    functions: Mapping[str, str],
    machines: Mapping[str, sfn.StateMachine],
    queues: Sequence[sqs.IQueue],
) -> cloudwatch.Dashboard:
    """``functions``: logical id -> function name (a reference) of those drawn."""

    def per_function(metric: str, statistic: str) -> list[cloudwatch.IMetric]:
        return [
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name=metric,
                dimensions_map={"FunctionName": name},
                statistic=statistic,
                period=PERIOD,
                label=logical,
            )
            for logical, name in functions.items()
        ]

    board = cloudwatch.Dashboard(scope, "OperationsDashboard", dashboard_name=f"consores-{stage}")
    board.add_widgets(
        cloudwatch.GraphWidget(
            title="Imports : traités, rejetés, bloqués repris",
            left=[metrics["ImportsProcessed"], metrics["ImportsRejected"], metrics["StuckUploadsSettled"]],
            width=12,
        ),
        cloudwatch.GraphWidget(
            title="Workflows en échec",
            left=[machine.metric_failed(period=PERIOD, statistic="Sum", label=name) for name, machine in machines.items()],
            width=12,
        ),
    )
    board.add_widgets(
        cloudwatch.GraphWidget(title="Fonctions : erreurs", left=per_function("Errors", "Sum"), width=8),
        cloudwatch.GraphWidget(title="Fonctions : limitations", left=per_function("Throttles", "Sum"), width=8),
        cloudwatch.GraphWidget(title="Fonctions : durée (p95)", left=per_function("Duration", "p95"), width=8),
    )
    board.add_widgets(
        cloudwatch.GraphWidget(
            title="Files d'échecs (événements à rejouer)",
            left=[q.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum") for q in queues],
            width=24,
        )
    )
    return board
