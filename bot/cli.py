"""The ``usendit-bot`` command.

Usage:
    usendit-bot                      runs what is configured; with nothing, the local sandbox
    usendit-bot sandbox [--host 127.0.0.1] [--port 8089] [--account user:pass:credits]
                        [--state FILE] [--max-sms 5000]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="usendit-bot",
        description="A team's bulk-SMS desk on top of uSendit.",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log at DEBUG")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = commands.add_parser(
        "sandbox",
        help="a local uSendit speaking the same WSDL, for tries and tests",
        description="Serves the uSendit API locally: WSDL at /v1/remoteusendit.asmx?WSDL, "
        "a seeded demo/demo account with 500 credits, state at /_sandbox/state.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sandbox.add_argument("--port", type=int, default=8089, help="port to listen on")
    sandbox.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="USER:PASS:CREDITS",
        help="an extra confirmed account (repeatable)",
    )
    sandbox.add_argument("--state", type=Path, help="keep the sandbox's state in this JSON file")
    sandbox.add_argument(
        "--max-sms", type=int, default=5000, help="most Sms one SendMessages may carry"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``usendit-bot`` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = Settings()
    if args.command in (None, "sandbox"):
        from bot.sandbox.server import run_sandbox

        if args.command is None:
            if not settings.use_sandbox:
                print(
                    "usendit-bot: no chat adapter is built yet; "
                    "`usendit-bot sandbox` runs the local uSendit.",
                    file=sys.stderr,
                )
                return 2
            print("No chat platform or uSendit account configured: starting the local sandbox.")
            run_sandbox(host="127.0.0.1", port=8089, accounts=[], state_file=None, max_sms=5000)
            return 0
        run_sandbox(
            host=args.host,
            port=args.port,
            accounts=args.account,
            state_file=args.state,
            max_sms=args.max_sms,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
