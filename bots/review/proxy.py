"""Sign-on by a company's reverse proxy: the person named in a header the proxy sets.

The header is believed only on connections from the proxy's own addresses; from anywhere else
it is ignored (anyone can type a header). The role comes from the users table when the person
has an account there (a disabled account is refused), else from the proxy's role header when
one is configured, else analyst.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import sqlalchemy as sa
from starlette.requests import Request

from bots.ledger import people
from bots.review.session import Person

DEFAULT_PROXIES = ("127.0.0.1", "::1")  # a proxy on the same machine


@dataclass(frozen=True)
class ProxyTrust:
    """Which header names the person, and from which addresses it is believed."""

    header: str
    addresses: frozenset[str]
    role_header: str | None = None

    @classmethod
    def of(cls, header: str | None, addresses: list[str] | None,
           role_header: str | None = None) -> ProxyTrust | None:
        """The trust the command line asked for (None: no proxy sign-on); ValueError for an
        address that is not one."""
        if not header:
            return None
        chosen = addresses or list(DEFAULT_PROXIES)
        for address in chosen:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise ValueError(f"--proxy-address {address!r} is not an IP address (the "
                                 "proxy's own address, e.g. 10.0.0.5)") from None
        return cls(header.lower(), frozenset(chosen), role_header.lower() if role_header
                   else None)

    def named(self, request: Request) -> str | None:
        """The name the proxy sent, when this connection comes from the proxy; else None."""
        client = request.client.host if request.client else ""
        if client not in self.addresses:
            return None
        name = request.headers.get(self.header, "").strip()
        return name if people.NAME.match(name) else None

    def person(self, request: Request, engine: sa.Engine) -> Person | None:
        """The person the proxy vouches for (None: no name, or a disabled account)."""
        name = self.named(request)
        if name is None:
            return None
        account = people.find_account(engine, name)
        if account is not None:
            return None if account.disabled else Person(name, account.role, "proxy")
        role = request.headers.get(self.role_header, "").strip().lower() \
            if self.role_header else ""
        return Person(name, role if role in people.ROLES else "analyst", "proxy")
