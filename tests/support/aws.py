"""Real adapters on freshly created emulator resources."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.adapters.factory import real_adapters
from chalicelib.bootstrap import Services, build_services
from chalicelib.config import Settings
from chalicelib.domain.codes import Email
from chalicelib.services.ports.platform import Adapters
from infra.local import provision


@dataclass
class AwsWorld:
    endpoint: str
    settings: Settings
    adapters: Adapters
    services: Services

    @classmethod
    def create(cls, endpoint: str, prefix: str) -> AwsWorld:
        env = provision.create_resources(endpoint, prefix=prefix)
        env.update(
            {
                "CONSORES_RUNTIME": "embedded",
                "CONSORES_AWS_ENDPOINT_URL": endpoint,
                "AWS_REGION": provision.REGION,
            }
        )
        settings = Settings.from_env(env)
        adapters = real_adapters(settings)
        return cls(endpoint, settings, adapters, build_services(settings, adapters))

    def mails_to(self, address: str) -> list[dict[str, str]]:
        assert self.adapters.mailbox is not None
        return [m for m in self.adapters.mailbox.messages() if address in m["to"]]

    def code_sent_to(self, address: str) -> str:
        found = re.search(r"\b(\d{6})\b", self.mails_to(address)[-1]["body"])
        assert found
        return found.group(1)

    def confirmed_user(self, email: str, password: str = "Pass-word-2026", first: str = "Prénom", last: str = "Nom") -> None:
        identity = self.adapters.identity
        identity.sign_up(Email(email), password, first, last)
        identity.confirm(Email(email))
