"""The ``usendit-bot`` command.

Usage:
    usendit-bot                  every configured chat; with none, the console chat
                                 (on the embedded sandbox when no uSendit account is set)
    usendit-bot console          the console chat: stdin lines in, replies out
    usendit-bot serve            one HTTP app on PORT: Telegram webhook, Slack events, /healthz
    usendit-bot telegram         Telegram by long polling
    usendit-bot slack            Slack in Socket Mode
    usendit-bot worker           sends campaigns and delivers notices, serves no chat
    usendit-bot sandbox [--host 127.0.0.1] [--port 8089] [--account user:pass:credits]
                        [--state FILE] [--max-sms 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.errors import UsenditBotError
from bot.settings import Settings


def _account_spec(spec: str) -> str:
    """``--account user:pass:credits``, checked when it is given."""
    from bot.sandbox.state import parse_account_spec

    try:
        parse_account_spec(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return spec


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="usendit-bot",
        description="A team's bulk-SMS desk on top of uSendit. Settings come from the "
        "environment or a .env file (see .env.example).",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="our logs at DEBUG (libraries at INFO)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "console",
        help="the console chat (stdin lines in, replies out; @path attaches a file)",
    )
    commands.add_parser(
        "serve", help="one HTTP app on PORT: Telegram webhook, Slack events, /healthz"
    )
    commands.add_parser("telegram", help="Telegram by long polling (TELEGRAM_BOT_TOKEN)")
    commands.add_parser("slack", help="Slack in Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN)")
    commands.add_parser(
        "worker",
        help="sends campaigns and delivers notices, serves no chat (for several replicas)",
    )
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
        type=_account_spec,
        action="append",
        default=[],
        metavar="USER:PASS:CREDITS",
        help="an extra confirmed account (repeatable)",
    )
    sandbox.add_argument(
        "--state",
        type=Path,
        help="keep the sandbox's state in this SQLite file (an old JSON state there is migrated)",
    )
    sandbox.add_argument(
        "--max-sms", type=int, default=5000, help="most Sms one SendMessages may carry"
    )
    return parser


async def _run(command: str | None, settings: Settings) -> None:
    from adapters.runner import run

    await run(command, settings)


OUR_LOGGERS = ("bot", "adapters", "storage")
# Libraries that log secrets below these levels: request URLs with the Telegram
# token (httpx, telegram at DEBUG), API parameters and incoming updates holding
# passwords (telegram, slack_bolt, slack_sdk at DEBUG), whole SOAP envelopes (zeep).
QUIET_LIBRARIES = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "slack_bolt": logging.INFO,
    "slack_sdk": logging.INFO,
    "zeep": logging.INFO,
    "aiohttp": logging.INFO,
    # The pool logs connection attempts, with the server's words about them.
    "psycopg": logging.WARNING,
}


def configure_logging(*, verbose: bool) -> None:
    """Warnings by default; ``-v`` opens our own loggers to DEBUG, never the libraries'."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
    for name, level in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(max(level, logging.getLogger().level))


def settings_problems(error: ValidationError) -> list[str]:
    """One line per wrong setting, named as it is set (``PORT``), never with its value:
    a value may be a token or a password."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in problem["loc"]).upper() or "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(message if message.startswith(name) else f"{name}: {message}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``usendit-bot`` console script."""
    args = _parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    if args.command == "sandbox":
        from bot.sandbox import SandboxStateError
        from bot.sandbox.server import run_sandbox

        logging.getLogger().setLevel(logging.INFO)
        try:
            run_sandbox(
                host=args.host,
                port=args.port,
                accounts=args.account,
                state_file=args.state,
                max_sms=args.max_sms,
            )
        except SandboxStateError as exc:
            print(f"usendit-bot: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:  # the port is taken, or the address is not this machine's
            reason = exc.strerror or str(exc)
            print(f"usendit-bot: the sandbox cannot listen on {args.host}:{args.port}: {reason}",
                  file=sys.stderr)  # fmt: skip
            return 1
        return 0
    try:
        settings = Settings()
    except ValidationError as exc:
        for line in settings_problems(exc):
            print(f"usendit-bot: {line}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_run(args.command, settings))
    except KeyboardInterrupt:
        return 130
    except asyncio.CancelledError:
        return 0  # SIGTERM: stopped cleanly
    except UsenditBotError as exc:
        print(f"usendit-bot: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
