"""The workshop's front gate: which requests reach the app at all.

Every request must name one of this server's host names (a DNS-rebinding page names
its own); a state-changing one must come from the app's own origin (a cross-site form
or script is refused); with an access token (any non-loopback address) every request
must carry it. Every response forbids inline script and framing.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""Scripts only from this server's files (no inline script, no event-handler
attributes), nothing from elsewhere; inline styles stay allowed for the SVG figures."""
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
TOKEN_MESSAGE = (
    "this workshop needs its access token: open the address it printed at start (with "
    "?token=...); a restarted workshop prints a new one"
)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


class HostNames:
    """The host names a request may name for a server bound to `bind`.

    Loopback: the loopback names only. Any other address: those, the address itself,
    this machine's names, and any IP literal (a rebinding page needs a domain name).
    """

    def __init__(self, bind: str) -> None:
        self.loopback = bind in LOOPBACK
        names = {*LOOPBACK, bind.lower()}
        if not self.loopback:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.names = names

    def allows(self, host_header: str) -> bool:
        """Whether a Host header ('name:port', '[v6]:port') names this server."""
        host = split_host(host_header)
        if host is None:
            return False
        if host in self.names:
            return True
        if self.loopback:
            return False
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
        return True


def split_host(value: str) -> str | None:
    """The host name of a Host header or an origin's netloc, lower case; None if unreadable."""
    try:
        parsed = urlsplit(f"//{value}")
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    return parsed.hostname.lower() if parsed.hostname else None


def same_origin(origin: str, host_header: str) -> bool:
    """Whether an Origin header is this server's own origin (scheme, host and port)."""
    try:
        parsed = urlsplit(origin)
        return parsed.scheme in ("http", "https") and parsed.netloc.lower() == host_header.lower()
    except ValueError:
        return False


class Gate:
    """ASGI middleware applying the module's rules before the app sees a request."""

    def __init__(self, app: ASGIApp, hosts: HostNames, token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            status, message, extra = refusal
            await _reply(send, status, {"error": message, **extra})
            return

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, secured)

    def refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, dict] | None:
        """(status, message, extra fields) refusing the request, or None to let it in."""
        host = headers.get("host", "")
        if not self.hosts.allows(host):
            return 421, f"Host {host!r} is not this workshop's address", {}
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            cross = headers.get("sec-fetch-site") in ("cross-site", "same-site")
            if cross or (origin is not None and not same_origin(origin, host)):
                return 403, f"a request from another site ({origin or 'unknown'}) is refused", {}
        if self.token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            cookies = SimpleCookie(headers.get("cookie", ""))
            given = (
                (query.get("token") or [""])[0]
                or headers.get("x-token", "")
                or (cookies["workshop_token"].value if "workshop_token" in cookies else "")
            )
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return 403, TOKEN_MESSAGE, {"token": True}
        return None


async def _reply(send: Callable, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
