"""Which failures of AWS calls are worth retrying (the workflow's Retry)."""

from __future__ import annotations

from botocore.exceptions import ClientError, ConnectionError, EndpointConnectionError, ReadTimeoutError

_TRANSIENT_CODES = {
    "ThrottlingException",
    "Throttling",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "SlowDown",
    "ServiceUnavailable",
    "InternalError",
    "InternalServerError",
    "TransactionConflictException",
}


def is_transient(error: BaseException) -> bool:
    if isinstance(error, (EndpointConnectionError, ConnectionError, ReadTimeoutError)):
        return True
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code") in _TRANSIENT_CODES
    return False
