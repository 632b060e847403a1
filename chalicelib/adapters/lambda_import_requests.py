"""ImportRequests on AWS Lambda: an asynchronous invocation of the import function (``on_upload``).

Lambda queues the event and the function runs it with its own rights (only it may read the raw files); what it
fails on is retried, then kept in its failure queue, as for the "object created" events it receives.
"""

from __future__ import annotations

import json
from typing import Any

#: The event ``on_upload`` reads as "process this upload's file again" (``chalicelib/handlers/events.py``).
PROCESS_AGAIN = "process_again"


def process_again_event(key: str) -> dict[str, str]:
    return {PROCESS_AGAIN: key}


class LambdaImportRequests:
    def __init__(self, lambda_client: Any, function: str) -> None:
        self._lambda = lambda_client
        self._function = function

    def process_again(self, key: str) -> None:
        if not self._function:
            raise RuntimeError("CONSORES_IMPORT_FUNCTION is not set: no function to process the upload again")
        answer = self._lambda.invoke(
            FunctionName=self._function, InvocationType="Event", Payload=json.dumps(process_again_event(key)).encode()
        )
        if answer.get("StatusCode") != 202:
            raise RuntimeError(f"the import function did not accept the request ({answer.get('StatusCode')})")
