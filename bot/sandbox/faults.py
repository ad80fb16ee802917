"""Faults a test arms on the sandbox for the next calls of one operation.

Armed with ``POST /_sandbox/faults`` and the JSON body::

    {"operation": "SendMessages", "mode": "stall_after_commit",
     "count": 1, "seconds": 2, "commit": false}

=====================  ==================================================  =========
mode                   what the next ``count`` calls of ``operation`` get  committed
=====================  ==================================================  =========
latency                ``seconds`` of delay, then the normal answer        yes
stall_after_commit     processed, then ``seconds`` (default 3600) asleep   yes
drop_after_commit      processed, then the TCP connection is closed        yes
http_500               HTTP 500 with an HTML page, not SOAP                ``commit``
soap_fault             a ``soap:Server`` Fault                             ``commit``
malformed              HTTP 200 with a truncated XML body                  ``commit``
=====================  ==================================================  =========

``count`` defaults to 1, ``commit`` to false. Faults of one operation are
used in the order they were armed. ``DELETE /_sandbox/faults`` clears them.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass
from typing import Any


class FaultMode(enum.Enum):
    LATENCY = "latency"
    STALL_AFTER_COMMIT = "stall_after_commit"
    DROP_AFTER_COMMIT = "drop_after_commit"
    HTTP_500 = "http_500"
    SOAP_FAULT = "soap_fault"
    MALFORMED = "malformed"


DEFAULT_SECONDS: dict[FaultMode, float] = {
    FaultMode.LATENCY: 1.0,
    FaultMode.STALL_AFTER_COMMIT: 3600.0,
}
_ALWAYS_COMMIT = frozenset(
    {FaultMode.LATENCY, FaultMode.STALL_AFTER_COMMIT, FaultMode.DROP_AFTER_COMMIT}
)


@dataclass
class Fault:
    operation: str
    mode: FaultMode
    count: int = 1
    seconds: float = 0.0
    commit: bool = False

    @property
    def commits(self) -> bool:
        """Whether the call is processed (and its effects kept) despite the fault."""
        return self.mode in _ALWAYS_COMMIT or self.commit

    def public(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "mode": self.mode.value,
            "count": self.count,
            "seconds": self.seconds,
            "commit": self.commits,
        }

    @classmethod
    def from_json(cls, data: object, operations: tuple[str, ...]) -> Fault:
        """Read an armed fault from its JSON body, or raise ValueError saying why not."""
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")  # noqa: TRY004 - reported as 400
        operation = data.get("operation")
        if operation not in operations:
            raise ValueError(f"unknown operation {operation!r}; one of {', '.join(operations)}")
        try:
            mode = FaultMode(data.get("mode"))
        except ValueError:
            modes = ", ".join(m.value for m in FaultMode)
            raise ValueError(f"unknown mode {data.get('mode')!r}; one of {modes}") from None
        count = data.get("count", 1)
        seconds = data.get("seconds", DEFAULT_SECONDS.get(mode, 0.0))
        commit = data.get("commit", False)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError("count must be a positive integer")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise ValueError("seconds must be a non-negative number")
        if not isinstance(commit, bool):
            raise ValueError("commit must be true or false")  # noqa: TRY004
        return cls(str(operation), mode, count, float(seconds), commit)


class FaultBoard:
    """The armed faults, consumed one call at a time."""

    def __init__(self) -> None:
        self._armed: dict[str, deque[Fault]] = {}

    def arm(self, fault: Fault) -> None:
        self._armed.setdefault(fault.operation, deque()).append(fault)

    def clear(self) -> None:
        self._armed.clear()

    def take(self, operation: str) -> Fault | None:
        """The fault for this call of ``operation``, if one is armed."""
        queue = self._armed.get(operation)
        if not queue:
            return None
        fault = queue[0]
        fault.count -= 1
        if fault.count <= 0:
            queue.popleft()
        return Fault(fault.operation, fault.mode, 1, fault.seconds, fault.commit)

    def public(self) -> list[dict[str, Any]]:
        return [fault.public() for queue in self._armed.values() for fault in queue]
