"""The warm process: imports what a generation needs once, then forks a child per request
that runs the ordinary command line (:mod:`specfirst.warm`)."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import select
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from specfirst.warm import client
from specfirst.warm.client import (
    _HEADER,
    CHECK_EVERY_S,
    DEFAULT_IDLE_MINUTES,
    IDLE_ENV,
    MAX_RUNS,
    Unavailable,
    _peer,
    fingerprint,
    socket_path,
)

# --- the warm process ---------------------------------------------------------------------------


def warm_up() -> None:
    """Import what a generation needs, and run datamodel-code-generator once."""
    import specfirst.cli
    import specfirst.pipeline
    import specfirst.render
    import specfirst.validate.run
    from specfirst.models import warm_up as models_warm_up

    specfirst.cli.build_parser()
    models_warm_up()


def serve(path: Path, *, idle_minutes: float | None = None, code: str | None = None) -> int:
    """Listen at ``path`` until idle for ``idle_minutes`` or the installed code changes."""
    import fcntl

    os.chdir("/")
    own = code or fingerprint()
    if socket_path(own) != path and code is None:
        print(f"{path}: not this install's socket; exiting", file=sys.stderr)
        return 0
    idle_s = 60 * (idle_minutes if idle_minutes is not None else _idle_minutes())
    lock_fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock_fd)
        print(f"{path}: another warm generator has it; exiting", file=sys.stderr)
        return 0
    os.ftruncate(lock_fd, 0)
    os.write(lock_fd, f"{os.getpid()}\n".encode())
    me = os.getpid()
    warm_up()
    gc.collect()
    gc.freeze()  # what every child shares stays shared: the collector never writes to it
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a socket left by a process that died: ours now, under the lock
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    listener.settimeout(CHECK_EVERY_S)
    bound = path.stat().st_ino
    signal.signal(signal.SIGTERM, _stop)
    print(f"listening at {path} (pid {me}, idle exit {idle_s:.0f}s)", file=sys.stderr, flush=True)
    last = time.monotonic()
    children: set[int] = set()
    try:
        while True:
            children -= _reaped()
            if time.monotonic() - last > idle_s:
                print("idle: exiting", file=sys.stderr, flush=True)
                return 0
            if fingerprint_now(own) != own:
                print("the installed code changed: exiting", file=sys.stderr, flush=True)
                return 0
            if not _still_at(path, bound):  # removed (a temp cleaner): nobody can reach us
                print(f"{path} is gone: exiting", file=sys.stderr, flush=True)
                return 0
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            conn.settimeout(None)
            peer_pid, peer_uid = _peer(conn)
            if peer_uid != os.getuid() or peer_pid in children or len(children) >= MAX_RUNS:
                conn.close()  # another user's; or a run of ours asking us again: never loop
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                os.close(lock_fd)  # closed, never unlocked: the lock stays the parent's
                _child(conn, own, path)  # never returns
            children.add(pid)
            conn.close()
    except KeyboardInterrupt:
        return 0
    finally:
        if os.getpid() == me:
            listener.close()
            with contextlib.suppress(OSError):
                if _still_at(path, bound):
                    path.unlink()
            os.close(lock_fd)


fingerprint_now: Callable[[str], str] = lambda _own: fingerprint()  # noqa: E731
"""The code's fingerprint as it is on disk now (a test replaces it to simulate an upgrade)."""


def _still_at(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def _idle_minutes() -> float:
    try:
        return float(os.environ.get(IDLE_ENV, "") or DEFAULT_IDLE_MINUTES)
    except ValueError:
        return DEFAULT_IDLE_MINUTES


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _reaped() -> set[int]:
    """The children that have exited since last asked (waited for: no zombies)."""
    done: set[int] = set()
    with contextlib.suppress(ChildProcessError):
        while pid := os.waitpid(-1, os.WNOHANG)[0]:
            done.add(pid)
    return done


def _child(conn: socket.socket, own: str, path: Path) -> NoReturn:
    """One request, in the forked child: become the client's run, then exit with its code."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setpgid(0, 0)  # a group of its own, so that Ctrl-C reaches its subprocesses too
    try:
        request, fds = _receive(conn)
    except (OSError, ValueError) as exc:
        print(f"a bad request: {exc}", file=sys.stderr, flush=True)
        os._exit(0)
    if request.get("fingerprint") != own or len(fds) != 3:
        with contextlib.suppress(OSError):
            conn.sendall(b"stale\n")
        os._exit(0)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    sys.path[:] = request["path"]
    sys.argv[:] = [request["argv0"], *request["argv"]]
    sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    with contextlib.suppress(AttributeError):
        time.tzset()
    tempfile.tempdir = None  # found again, from this environment's TMPDIR
    _take_streams(request["streams"])
    client._SERVING = True
    client._served_at = f"pid {os.getppid()}, {path}"
    threading.Thread(target=_watch_client, args=(conn,), daemon=True).start()
    from specfirst.cli import main

    try:
        code = main(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    # Ended as multiprocessing ends its forked processes: the run's threads joined (its pools'
    # too, as at any exit), streams flushed, then ``os._exit``. The interpreter's teardown of
    # everything the warm process imported would cost more than a small run itself (1.0-1.5 s
    # measured on a busy machine), and each page it touches is copied first.
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(OSError):
        conn.sendall(f"exit {code}\n".encode())
    os._exit(code & 0xFF)


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    if len(data) < _HEADER.size:
        raise ValueError("too short")
    (size,) = _HEADER.unpack_from(data)
    payload = bytearray(data[_HEADER.size :])
    while len(payload) < size:
        chunk = conn.recv(size - len(payload))
        if not chunk:
            raise ValueError("cut short")
        payload += chunk
    request: dict[str, Any] = json.loads(payload.decode("utf-8", "surrogateescape"))
    return request, fds


def _take_streams(settings: list[dict[str, Any] | None]) -> None:
    """``sys.stdin``/``stdout``/``stderr`` over descriptors 0-2, set as the client's were."""
    made: list[io.TextIOWrapper] = []
    for fd, mode, setting in zip((0, 1, 2), ("rb", "wb", "wb"), settings, strict=True):
        setting = setting or {"encoding": "utf-8", "errors": "strict"}
        unbuffered = bool(setting.get("write_through")) and mode == "wb"
        raw = open(fd, mode, buffering=0 if unbuffered else -1, closefd=False)  # noqa: SIM115
        made.append(
            io.TextIOWrapper(
                raw,
                encoding=setting["encoding"],
                errors=setting["errors"],
                newline="\n",
                line_buffering=bool(setting.get("line_buffering")),
                write_through=bool(setting.get("write_through")),
            )
        )
    # (``sys.__stdout__`` and the like keep the warm process's objects: they write to the same
    # descriptors, so to the client's files too.)
    sys.stdin, sys.stdout, sys.stderr = made


def _watch_client(conn: socket.socket) -> None:
    """Ctrl-C on the client: SIGINT to this run's group, as a terminal would send it. The
    client gone: the run has nobody to answer to, so it stops."""
    while True:
        try:
            select.select([conn], [], [])
            data = conn.recv(16)
        except OSError:
            data = b""
        if not data:
            os.killpg(0, signal.SIGKILL)
            return
        if b"I" in data:
            os.killpg(0, signal.SIGINT)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m specfirst.warm.server serve [--socket PATH] [--idle MINUTES]``: run the warm
    process in the foreground (``specfirst generate`` starts it by itself)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m specfirst.warm.server")
    parser.add_argument("action", choices=["serve", "where"])
    parser.add_argument("--socket", type=Path, help="default: this install's, for this user")
    parser.add_argument("--idle", type=float, help=f"minutes (default: ${IDLE_ENV} or 15)")
    args = parser.parse_args(argv)
    try:
        path = args.socket or socket_path()
    except Unavailable as exc:
        print(f"specfirst: {exc}", file=sys.stderr)
        return 2
    if args.action == "where":
        print(path)
        return 0
    return serve(path, idle_minutes=args.idle)


if __name__ == "__main__":
    # Through the module everything else imports, not this copy run as ``__main__``: a run
    # must find the client's state saying it is the warm run.
    from specfirst.warm import server as _server

    sys.exit(_server.main())
