"""The client's address, behind the portal's own reverse proxy (nginx, deploy/nginx/kcn-portal.conf).

nginx appends the address it received the request from to X-Forwarded-For (`$proxy_add_x_forwarded_for`),
after whatever the client itself sent in that header. So the header is believed only when the request comes
from a trusted proxy (KCN_TRUSTED_PROXIES, by default this machine: 127.0.0.1 and ::1), and then read from
the right: trusted proxies are skipped, the first other address is the client. An address a client writes
into the header itself lies further left and is never taken; a request straight from elsewhere is its
REMOTE_ADDR, whatever its headers say.

Used by django-axes (AXES_CLIENT_IP_CALLABLE: the login lockout is per username and address together, so
nobody can lock a person out from another address) and by the request log.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _trusted(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.KCN_TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The address of the client that sent `request` (see the module docstring)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for part in reversed([item for item in forwarded.split(",") if item.strip()]):
        address = _address(part)
        if address is None:
            return remote  # a malformed hop: believe nothing further left
        if not _trusted(address):
            return address
    return remote
