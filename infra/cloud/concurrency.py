"""Reserved concurrency: the API keeps a share of the account's Lambda concurrency that nothing else can
take, and imports are capped, so that a burst of 4–10 GB imports at a campaign's deadline neither starves
the API nor runs unbounded.

A reservation both guarantees and caps. ``on_upload`` is invoked asynchronously (the EventBridge rule):
an invocation beyond its cap waits in Lambda's queue and is retried up to the event's age
(``event_routes.UPLOAD_EVENT_AGE``), nothing is lost. The workflow tasks are invoked synchronously by
Step Functions, whose retries are seconds apart: capping them would turn a burst into failed workflows,
so they share the unreserved pool (acknowledged in ``nag_suppressions.py``). Lambda keeps at least
``UNRESERVED_MINIMUM`` unreserved: the reservations fit the default account quota (a fresh account may
start lower: the runbook asks for the default first).
"""

from __future__ import annotations

from chalice.cdk import Chalice

from infra.cloud.families import API_HANDLER
from infra.cloud.roles import function_logical_id

#: Lambda's default concurrency quota per region, and what it always leaves unreserved.
ACCOUNT_QUOTA, UNRESERVED_MINIMUM = 1000, 100
#: Chalice handler -> reserved concurrent executions. The API's: the stage's steady rate (``api_edge``,
#: 200 requests/s) at 1.5 s per request; imports: 20 files at a time, each up to 15 minutes.
RESERVED = {API_HANDLER: 300, "on_upload": 20}


def reserve(app: Chalice) -> None:
    for handler, executions in RESERVED.items():
        app.get_resource(function_logical_id(handler)).add_property_override("ReservedConcurrentExecutions", executions)
