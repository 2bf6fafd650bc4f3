"""How often a form open to anyone may have the product mail someone: per mailbox and per
client, in the hour. Following by e-mail and the password reset each count their own.

Counted in the shared cache (every app server sees one count) under a keyed hash of what
is counted (not the address itself), and forgotten after the hour. A mailbox is counted
however its address is spelled (``mail.mailbox``); a client by its address as the login
lock reads it (django-axes, behind the proxies the settings name), an IPv6 client by its
/64 network: one line or one host has a whole /64 and may write any address in it."""

import ipaddress

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from . import mail

HOUR = 3600


def _counted_within(what: str, value: str, limit: int) -> bool:
    """Count one more of ``what`` for ``value`` in this hour; whether it is within
    ``limit``."""
    digest = salted_hmac(f"notifications.limits.{what}", value).hexdigest()
    key = f"mail-limit:{what}:{digest}"
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the hour ended between add and incr
        cache.set(key, 1, timeout=HOUR)
        return True


def mailbox_within(what: str, email: str, limit: int) -> bool:
    """Whether the mailbox ``email`` reaches may have another ``what`` in this hour,
    counting this one (anna+1@ and Anna@ are anna@'s: a new spelling gets no more)."""
    try:
        mailbox = mail.mailbox(email)
    except ValueError:  # no address a mail could go to: counted as written
        mailbox = email.casefold()
    return _counted_within(f"{what}.mailbox", mailbox, limit)


def client_of(request) -> str:
    """The client ``request`` is counted as: its address, or its /64 network for IPv6."""
    address = get_client_ip_address(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def client_within(what: str, request, limit: int) -> bool:
    """Whether the client of ``request`` may have another ``what`` mailed in this hour,
    to whatever address, counting this one."""
    return _counted_within(f"{what}.client", client_of(request), limit)
