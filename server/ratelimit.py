"""Token buckets: per connection (messages, process-local: a socket lives on one
instance) and per client address (room creation, failed joins: kept in the store, so
on Redis every instance spends from one bucket and N instances do not allow N times
the guesses)."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Protocol


class Bucket:
    __slots__ = ("burst", "clock", "level", "rate", "stamp")

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.level = float(burst)
        self.stamp = clock()

    def take(self) -> bool:
        now = self.clock()
        self.level = min(self.burst, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.level >= 1:
            self.level -= 1
            return True
        return False

    def peek(self) -> bool:
        now = self.clock()
        return min(self.burst, self.level + (now - self.stamp) * self.rate) >= 1


class AddressLimiter:
    """One bucket per client address, the oldest forgotten beyond ``max_addresses``."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.max_addresses = max_addresses
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()

    def _bucket(self, address: str) -> Bucket:
        bucket = self.buckets.get(address)
        if bucket is None:
            bucket = self.buckets[address] = Bucket(self.rate, self.burst, self.clock)
            while len(self.buckets) > self.max_addresses:
                self.buckets.popitem(last=False)
        else:
            self.buckets.move_to_end(address)
        return bucket

    def allow(self, address: str) -> bool:
        """Spend one token; False when the address is over its limit."""
        return self._bucket(address).take()

    def blocked(self, address: str) -> bool:
        """Over the limit right now, without spending a token."""
        return not self._bucket(address).peek()


class Buckets(Protocol):
    """What the store offers for shared limits (``RoomStore.take``)."""

    async def take(self, bucket: str, rate: float, burst: int, *, spend: bool) -> bool: ...


class SharedLimiter:
    """One bucket per client address, kept in the store: one round trip per check.
    When the store does not answer within ``wait`` seconds, this instance's own bucket
    for the address decides (a limit must neither fail open nor hang a join)."""

    def __init__(
        self, store: Buckets, name: str, rate: float, burst: int, *, wait: float = 1.0
    ) -> None:
        self.store = store
        self.name = name
        self.rate = rate
        self.burst = burst
        self.wait = wait
        self.local = AddressLimiter(rate, burst)

    async def allow(self, address: str) -> bool:
        """Spend one token; False when the address is over its limit."""
        return await self._take(address, spend=True)

    async def blocked(self, address: str) -> bool:
        """Over the limit right now, without spending a token."""
        return not await self._take(address, spend=False)

    async def _take(self, address: str, *, spend: bool) -> bool:
        try:
            async with asyncio.timeout(self.wait):
                bucket = f"{self.name}:{address}"
                return await self.store.take(bucket, self.rate, self.burst, spend=spend)
        except Exception:  # the store is down or hung (StoreUnavailable, TimeoutError)
            return self.local.allow(address) if spend else not self.local.blocked(address)


def client_address(peer: str | None, forwarded: str | None, trusted: Iterable[str]) -> str:
    """The client's address; X-Forwarded-For is believed only from a trusted proxy, and
    then the right-most address not itself a trusted proxy is the client."""
    peer = peer or "unknown"
    nets = [ipaddress.ip_network(t, strict=False) for t in trusted]
    if not forwarded or not _inside(peer, nets):
        return peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _inside(hop, nets):
            return hop
    return peer


def _inside(address: str, nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def from_proxy(peer: str | None, trusted: Iterable[str]) -> bool:
    """Whether ``peer`` is one of the trusted proxies (whose forwarded headers count)."""
    nets = [ipaddress.ip_network(t, strict=False) for t in trusted]
    return bool(peer) and _inside(peer or "", nets)


def request_scheme(scheme: str, peer: str | None, proto: str | None, trusted: Iterable[str]) -> str:
    """The scheme the client used: "https" when a trusted proxy says so in
    X-Forwarded-Proto (it ended TLS), else the connection's own."""
    if proto and proto.strip().lower() == "https" and from_proxy(peer, trusted):
        return "https"
    return scheme
