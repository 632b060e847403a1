"""Mailer through Amazon SES (v2 API)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.letters import Letter


class SesMailer:
    def __init__(self, ses_client: Any, mail_from: str) -> None:
        self._ses = ses_client
        self._from = mail_from

    def send(self, letter: Letter) -> None:
        self._ses.send_email(
            FromEmailAddress=self._from,
            Destination={"ToAddresses": list(letter.to)},
            Content={
                "Simple": {
                    "Subject": {"Data": letter.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": letter.body, "Charset": "UTF-8"}},
                }
            },
        )
