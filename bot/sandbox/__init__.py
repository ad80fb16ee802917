"""A local uSendit speaking the bundled WSDL, statuses and failures included.

The test double of the whole project: ``usendit-bot sandbox`` runs it on a
port; tests start it in-process with :class:`SandboxServer`. Modules:

- :mod:`.soap` the WSDL, request parsing/validation, responses and faults;
- :mod:`.accounts`, :mod:`.messages` the operations and the rules chosen;
- :mod:`.delivery` the delivery window, working days and the sandbox's clock;
- :mod:`.numbers` which numbers and senders are accepted;
- :mod:`.gsm` SMS counting (GSM 7-bit / UCS-2, parts), its own, not the bot's;
- :mod:`.catalog` packs and promotional codes;
- :mod:`.state` accounts, outbox, events, payments: the sandbox's world;
- :mod:`.database` the state file (SQLite), one transaction per call;
  :mod:`.migration` its schema's versions, and the JSON state file of before;
- :mod:`.inbox` each phone's messages, read by key; :mod:`.inbox_page` the
  ``/_sandbox/`` page of them, the codes and the payments;
- :mod:`.faults` the faults a test arms;
- :mod:`.routes` the aiohttp app; :mod:`.server` starting and stopping it.
"""

from bot.sandbox.database import SandboxStateError
from bot.sandbox.faults import FaultMode
from bot.sandbox.server import SandboxServer, run_sandbox

__all__ = ["FaultMode", "SandboxServer", "SandboxStateError", "run_sandbox"]
