"""ConsoRes: the Chalice app registers blueprints and middleware, nothing else."""

from __future__ import annotations

from chalice import Chalice

from chalicelib.config import runtime_is_embedded
from chalicelib.handlers import (
    access,
    accounts,
    admin,
    alerts,
    catalogue,
    closure,
    directory,
    events,
    exports,
    follow_up,
    indicators,
    mappings,
    methods,
    report_generation,
    reports,
    schedules,
    structure,
    syntheses,
    tickets,
    uploads,
    workflow,
)
from chalicelib.handlers.middleware import french_errors

app = Chalice(app_name="consores")
app.api.binary_types.append("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
app.register_middleware(french_errors, "http")

for blueprint in (
    directory.bp,
    accounts.bp,
    access.bp,
    admin.bp,
    structure.bp,
    uploads.bp,
    closure.bp,
    reports.bp,
    report_generation.bp,
    syntheses.bp,
    indicators.bp,
    mappings.bp,
    methods.bp,
    catalogue.bp,
    exports.bp,
    follow_up.bp,
    alerts.bp,
    tickets.bp,
    events.bp,
    workflow.bp,
    schedules.bp,
):
    app.register_blueprint(blueprint)

# The embedded runtime's mailbox and schedule trigger exist only on one machine (the embedded
# runtime also adds them itself when this module was imported before it started).
if runtime_is_embedded():
    from chalicelib.handlers import local

    app.register_blueprint(local.bp)
