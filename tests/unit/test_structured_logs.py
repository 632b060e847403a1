"""The functions' logs are JSON lines carrying the upload they are about."""

import json
import logging

from chalicelib.handlers.observability import log_keys, logger


def formatted(record_logger: str, message: str) -> dict[str, object]:
    record = logging.getLogger(record_logger).makeRecord(record_logger, logging.WARNING, __file__, 1, message, (), None)
    return json.loads(logger.registered_handler.formatter.format(record))


def test_a_service_line_logged_during_an_upload_carries_its_upload_id_and_establishment():
    with log_keys(upload_id="u-1", finess="440000990"):
        line = formatted("consores.uploads", "upload failed")
    assert line["message"] == "upload failed"
    assert (line["service"], line["upload_id"], line["finess"]) == ("consores", "u-1", "440000990")


def test_the_keys_leave_with_the_upload():
    with log_keys(upload_id="u-1"):
        pass
    assert "upload_id" not in formatted("consores.uploads", "later")


def test_service_loggers_reach_the_structured_handler():
    assert logging.getLogger("consores.uploads").parent is logging.getLogger("consores")
    assert logger.registered_handler in logging.getLogger("consores").handlers
