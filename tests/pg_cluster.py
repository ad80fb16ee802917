"""A throwaway PostgreSQL 15 cluster for the tests, or the server ``TEST_DATABASE_URL`` names.

Usage::

    with server_url() as url:      # postgresql://postgres:<random>@127.0.0.1:<port>/postgres
        ...

``initdb`` into a fresh temporary directory (in memory when there is room),
``pg_ctl start`` on a free port of 127.0.0.1 only (no Unix socket outside
that directory), durability switched off for speed; stopped and removed on
exit. The server binaries are taken from ``PG_BIN`` or
``/usr/lib/postgresql/15/bin``. PostgreSQL refuses to run as root, so when
the tests run as root (as CI does) every binary runs as the ``postgres``
user, and the directory is theirs.

Host connections need the password (scram-sha-256), so the URL handed out
exercises the same path as a managed server's.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from psycopg.conninfo import make_conninfo

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
SERVER_USER = "postgres"

# Nothing here needs to survive a crash: a test database lives for one test.
_SPEED = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
    "max_wal_size": "256MB",
}
_SHM_NEEDED = 1 << 30

# Stops the cluster and removes its directory once the test process is gone, however it
# went (SIGKILL, a timeout's SIGTERM): "$1" the test process, "$2" pg_ctl, "$3" data, "$4" base.
_WATCHDOG = """
while [ -d "/proc/$1" ]; do sleep 1; done
if [ -f "$3/postmaster.pid" ]; then "$2" --pgdata "$3" --mode fast stop; fi
rm -rf "$4"
"""


def scratch_dir() -> str | None:
    """Where the cluster lives: memory (``/dev/shm``) when there is room, else the temp dir.

    Creating a database copies a few hundred files; on tmpfs that is 20 ms, on a
    disk it can be 400 ms, and every test creates one.
    """
    try:
        stats = os.statvfs("/dev/shm")
    except OSError:
        return None
    room = stats.f_bavail * stats.f_frsize
    return "/dev/shm" if room >= _SHM_NEEDED and os.access("/dev/shm", os.W_OK) else None


def pg_bin() -> Path:
    return Path(os.environ.get("PG_BIN", DEFAULT_PG_BIN))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database (URL or ``key=value`` form)."""
    if "://" not in url:
        return make_conninfo(url, dbname=dbname)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


class PgCluster:
    """One cluster in a temporary directory; ``with PgCluster() as cluster: cluster.url``."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or pg_bin()
        self.password = secrets.token_urlsafe(12)
        self.port = 0
        self.base: Path | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._as_user: dict[str, Any] = {}
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVER_USER)
            self._as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
            self._owner: tuple[int, int] | None = (entry.pw_uid, entry.pw_gid)
        else:
            self._owner = None

    @property
    def data(self) -> Path:
        assert self.base is not None
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        binary = self.bin_dir / args[0]
        if not binary.exists():
            raise RuntimeError(
                f"{binary} is missing: install the PostgreSQL 15 server "
                "(apt-get install postgresql-15) or point PG_BIN at its bin directory"
            )
        done = subprocess.run(
            [str(binary), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.base,
            env={**os.environ, "LC_ALL": "C"},
            **self._as_user,
        )
        if done.returncode != 0:
            log = self._log_tail()
            raise RuntimeError(
                f"{args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{log}"
            )
        return done

    def _log_tail(self) -> str:
        if self.base is None or not (self.base / "server.log").exists():
            return ""
        return "server log:\n" + (self.base / "server.log").read_text(errors="replace")[-4000:]

    def start(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="usendit-pg-", dir=scratch_dir()))
        if self._owner is not None:
            os.chown(self.base, *self._owner)
        self.base.chmod(0o700)
        self._watch()
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._owner is not None:
            os.chown(pwfile, *self._owner)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--pwfile",
            str(pwfile),
            "--auth-local",
            "trust",
            "--auth-host",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        pwfile.unlink()
        for attempt in range(3):
            self.port = free_port()
            settings = {
                **_SPEED,
                "listen_addresses": "'127.0.0.1'",
                "port": str(self.port),
                "unix_socket_directories": f"'{self.base}'",
            }
            conf = "".join(f"{name} = {value}\n" for name, value in settings.items())
            (self.data / "postgresql.auto.conf").write_text(conf)
            try:
                self._run(
                    "pg_ctl", "--pgdata", str(self.data), "--log", str(self.base / "server.log"),
                    "--wait", "--timeout", "60", "start",
                )  # fmt: skip
            except RuntimeError:
                if attempt == 2:
                    raise
            else:
                return

    def _watch(self) -> None:
        assert self.base is not None
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", _WATCHDOG, "pg-watchdog", str(os.getpid()),
             str(self.bin_dir / "pg_ctl"), str(self.data), str(self.base)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            **self._as_user,
        )  # fmt: skip

    def stop(self) -> None:
        if self.base is None:
            return
        try:
            if (self.data / "postmaster.pid").exists():
                # "fast", not "immediate": an immediate stop leaves its shared memory in /dev/shm.
                self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "fast", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None
            if self._watchdog is not None:
                self._watchdog.kill()
                self._watchdog.wait()
                self._watchdog = None

    def __enter__(self) -> PgCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def server_url() -> Iterator[str]:
    """``TEST_DATABASE_URL`` when set (its user may CREATE DATABASE), else a throwaway cluster."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    with PgCluster() as cluster:
        yield cluster.url
