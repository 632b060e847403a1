"""Which network address is the client's: what the per-client limits count by (``accounts.client_key``).

API Gateway's ``sourceIp`` is the TCP peer, never a header the caller writes: the client's own address,
unless the stage's CloudFront distribution fronts the API (``infra/cloud/hosting.py``), where it is one
of CloudFront's, shared by every user behind the same edge. There, the distribution sends the viewer's
address in ``VIEWER_ADDRESS_HEADER`` (written by its function, over whatever the viewer sent) and the
stage's secret in ``ORIGIN_HEADER`` (``infra/cloud/origin_proof.py``). The viewer's address is believed
only from a request carrying that secret: anyone else sending the header counts under their own address.
Without a secret (the embedded runtime, a stage without a site) the header is never read.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

#: The stage's secret, added by the distribution to every request it sends to the API.
ORIGIN_HEADER = "x-consores-origin-verify"
#: The viewer's address as the distribution saw the connection (``infra/cloud/functions/viewer_address.js``).
VIEWER_ADDRESS_HEADER = "x-consores-viewer-address"


def came_through_the_distribution(headers: Mapping[str, str], origin_secret: str) -> bool:
    """The request carries the stage's secret (compared in constant time); never without a secret."""
    sent = headers.get(ORIGIN_HEADER) or ""
    return bool(origin_secret) and hmac.compare_digest(sent.encode(), origin_secret.encode())


def client_address(source_ip: str | None, headers: Mapping[str, str], origin_secret: str) -> str | None:
    """The viewer's address for a request proved to come through the distribution, else ``source_ip``
    (None when neither is known: not limited per client)."""
    if came_through_the_distribution(headers, origin_secret):
        viewer = (headers.get(VIEWER_ADDRESS_HEADER) or "").strip()
        try:
            return str(ipaddress.ip_address(viewer))
        except ValueError:
            pass
    return source_ip or None
