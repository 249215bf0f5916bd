"""A warm generator: one-shot ``specfirst generate`` runs in a process kept ready for it.

A fresh ``specfirst generate`` spends most of a small edit importing datamodel-code-generator
and openapi-spec-validator. So, like Gradle's daemon or dmypy, the first run (in process, as
always) starts a *warm process* in the background that imports them once; later runs hand it
their work over a Unix socket:

- the client (``specfirst generate`` without ``--watch``) connects to a per-user socket whose
  name is a hash of this install (:func:`fingerprint`: the interpreter, its flags and path, the
  generator's files, the installed packages) and of the user's uid, in a folder only the user
  can enter (``$XDG_RUNTIME_DIR/specfirst``, else ``<tempdir>/specfirst-<uid>``;
  ``SPECFIRST_DAEMON_DIR`` to choose). Each side checks the other's uid (``SO_PEERCRED``).
- it sends its argv, cwd, environment, umask, ``sys.path`` and the settings of its standard
  streams, with the streams' file descriptors themselves (``socket.send_fds``), then waits for
  the exit code. Ctrl-C is passed on; the run stops when the client goes away.
- the warm process forks a child per request; the child takes the client's descriptors as its
  0, 1 and 2, its environment and folder, runs the ordinary command line on argv and exits.
  Output goes to the client's own terminal or pipes, so colours, progress and bytes are those
  of a run in the client. Nothing a run does reaches the next: each child starts from the same
  state, and caches stay on disk as ever.
- the warm process exits after ``SPECFIRST_DAEMON_IDLE`` minutes without a request (15), and
  as soon as the installed code changes (it then no longer matches the socket's name).

Off when ``CI`` is set, with ``SPECFIRST_DAEMON=0`` or ``--no-daemon``, and where the system
lacks ``fork``, ``SO_PEERCRED`` or descriptor passing. Anything that goes wrong before the
warm process took the run means a run in the client instead (said under ``-v``).

Written here rather than taken from a library: what it needs (descriptor passing, peer
credentials, fork) is a few stdlib calls, and the fork servers on PyPI serve WSGI apps.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

DIR_ENV = "SPECFIRST_DAEMON_DIR"
SWITCH_ENV = "SPECFIRST_DAEMON"
IDLE_ENV = "SPECFIRST_DAEMON_IDLE"
DEFAULT_IDLE_MINUTES = 15.0
CHECK_EVERY_S = 2.0
"""How often an idle warm process looks at the installed code and its idle time."""

MAX_RUNS = 16
"""Runs at once in one warm process; a client beyond them runs in its own process."""

_HEADER = struct.Struct("!I")
_SERVING = False
"""True in a warm process's child: the run it is doing is the warm run."""
_served_at = ""
_why_not = ""
"""Why the last :func:`handoff` ran nothing (for ``-v``)."""


class Unavailable(Exception):
    """No warm process can be used; the message says why (shown under ``-v``)."""


def off_reason(no_daemon: bool = False) -> str | None:
    """Why the warm process is off here, or None when it may be used."""
    if no_daemon:
        return "--no-daemon"
    if os.environ.get(SWITCH_ENV, "").strip() == "0":
        return f"{SWITCH_ENV}=0"
    if os.environ.get("CI"):
        return "CI is set"
    return unsupported()


def unsupported() -> str | None:
    """What this system lacks for a warm process, or None."""
    needed = [(os, "fork"), (os, "posix_spawn"), (socket, "SO_PEERCRED"), (socket, "send_fds")]
    missing = [name for module, name in needed if not hasattr(module, name)]
    return f"not supported on this system (no {', '.join(missing)})" if missing else None


def fingerprint() -> str:
    """What the warm process's code is made of: the interpreter, its flags and path, every
    file of the generator (by path, size and time) and each folder on ``sys.path`` (installing
    or upgrading a package changes its folder). Stat calls only: a client pays a few ms."""
    import specfirst

    digest = hashlib.sha256()
    # What the interpreter fixed at its start from its environment is part of it too: a client
    # with another locale or hash seed gets a warm process of its own.
    fixed = [os.environ.get(name, "") for name in _FIXED_AT_START]
    for part in (sys.executable, sys.version, repr(sys.flags), repr(sys.warnoptions), *fixed):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    own = Path(specfirst.__file__).parent
    for folder, dirs, files in os.walk(own):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    for entry in sys.path[1:]:  # the first is the script's folder or the current one
        with contextlib.suppress(OSError):
            digest.update(f"{entry}:{os.stat(entry or '.').st_mtime_ns}\0".encode())
    return digest.hexdigest()


_FIXED_AT_START = ("LC_ALL", "LC_CTYPE", "LANG", "PYTHONUTF8", "PYTHONIOENCODING", "PYTHONHASHSEED")


def socket_dir() -> Path:
    """The folder of this user's warm processes, made private (0700) if new; refused unless
    it is the user's own and nobody else may enter it."""
    chosen = os.environ.get(DIR_ENV)
    if chosen:
        folder = Path(chosen)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "specfirst"
    else:
        folder = Path(tempfile.gettempdir()) / f"specfirst-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stat = folder.lstat()
    except OSError as exc:
        raise Unavailable(f"{folder}: {exc.strerror or exc}") from None
    if not os.path.isdir(folder) or os.path.islink(folder):
        raise Unavailable(f"{folder}: not a folder")
    if stat.st_uid != os.getuid() or stat.st_mode & 0o077:
        raise Unavailable(f"{folder}: not private to this user (owner and mode 0700 needed)")
    return folder


def socket_path(code: str | None = None) -> Path:
    """Where this install's warm process listens, for this user."""
    key = hashlib.sha256(f"{code or fingerprint()}:{os.getuid()}".encode()).hexdigest()[:20]
    return socket_dir() / f"{key}.sock"


# --- the client -------------------------------------------------------------------------------


def handoff(argv: Sequence[str], *, no_daemon: bool = False) -> int | None:
    """Run ``specfirst generate`` (``argv``) in the warm process when one answers: its exit
    code. None when it cannot (off, none running, anything failed before it took the run):
    the caller then runs in process and calls :func:`after_in_process`."""
    global _why_not
    if _SERVING:
        return None
    reason = off_reason(no_daemon)
    if reason is not None:
        _why_not = f"the warm generator is off ({reason})"
        return None
    try:
        _standard_streams()
        code = fingerprint()
        path = socket_path(code)
        sock = _connect(path)
    except Unavailable as exc:
        _why_not = f"no warm generator ({exc})"
        return None
    with sock:
        try:
            _send_request(sock, code, argv)
        except (OSError, TypeError, ValueError) as exc:  # a closed descriptor 0-2, say
            _why_not = f"no warm generator ({path}: {getattr(exc, 'strerror', None) or exc})"
            return None
        return _wait(sock, path)


def _standard_streams() -> None:
    """Descriptors 0, 1 and 2 are this process's standard streams (a process started with one
    closed has none there, or another file that took its number: that is not handed over)."""
    for fd, stream in enumerate((sys.stdin, sys.stdout, sys.stderr)):
        try:
            if stream is None or stream.fileno() != fd:
                raise Unavailable(f"descriptor {fd} is not a standard stream here")
        except (OSError, ValueError, AttributeError):  # not a file, or closed
            raise Unavailable(f"descriptor {fd} is not a standard stream here") from None


def _connect(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
        if _peer(sock)[1] != os.getuid():
            raise Unavailable(f"{path}: answered by another user")
    except OSError as exc:
        sock.close()
        if isinstance(exc, (FileNotFoundError, ConnectionRefusedError)):
            raise Unavailable(f"none listening at {path}") from None
        raise Unavailable(f"{path}: {exc.strerror or exc}") from None
    except Unavailable:
        sock.close()
        raise
    return sock


def _peer(sock: socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end (``SO_PEERCRED``)."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid


def _stream_settings(stream: Any) -> dict[str, Any] | None:
    try:
        return {
            "encoding": stream.encoding,
            "errors": stream.errors,
            "line_buffering": stream.line_buffering,
            "write_through": stream.write_through,
        }
    except AttributeError:  # replaced by something that is not a text file
        return None


def _send_request(sock: socket.socket, code: str, argv: Sequence[str]) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    request = {
        "fingerprint": code,
        "argv": list(argv),
        "argv0": sys.argv[0] if sys.argv else "specfirst",
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "path": [str(entry) for entry in sys.path],
        "streams": [_stream_settings(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
    }
    for stream in (sys.stdout, sys.stderr):  # what this process wrote comes first
        with contextlib.suppress(Exception):
            stream.flush()
    payload = json.dumps(request).encode("utf-8", "surrogateescape")
    message = _HEADER.pack(len(payload)) + payload
    sent = socket.send_fds(sock, [message], [0, 1, 2])
    if sent < len(message):
        sock.sendall(message[sent:])


def _wait(sock: socket.socket, path: Path) -> int | None:
    """The run's exit code, read when the warm process's child has exited (the socket then
    closes). Ctrl-C here is passed on to the run, which stops as it would in process."""
    received = b""
    interrupted = False
    while True:
        try:
            chunk = sock.recv(64)
        except KeyboardInterrupt:
            if interrupted:  # a second Ctrl-C: stop waiting; the run is stopped as we leave
                return 130
            interrupted = True
            with contextlib.suppress(OSError):
                sock.sendall(b"I")
            continue
        except OSError:
            chunk = b""
        if not chunk:
            break
        received += chunk
    reply = received.decode("ascii", "replace").split()
    if len(reply) >= 2 and reply[0] == "exit" and reply[1].lstrip("-").isdigit():
        return int(reply[1])
    if interrupted:
        return 130
    global _why_not
    detail = "refused the run (it is stale)" if reply[:1] == ["stale"] else "ended without a code"
    _why_not = f"the warm generator at {path} {detail}"
    return None


def after_in_process(*, no_daemon: bool = False, verbose: bool = False) -> None:
    """After a run in process: in a warm process's child, say so under ``-v``; otherwise
    start a warm process for the next run, when one may be used."""
    if _SERVING:
        if verbose:
            print(f"specfirst: ran in the warm generator ({_served_at})", file=sys.stderr)
        return
    why = _why_not or "no warm generator"
    started = ""
    if off_reason(no_daemon) is None:
        try:
            start_in_background()
            started = "; starting one for the next run"
        except (OSError, Unavailable) as exc:
            started = f"; could not start one ({exc})"
    if verbose:
        print(f"specfirst: ran in this process: {why}{started}", file=sys.stderr)


def start_in_background() -> int:
    """Start the warm process, detached (its own session, not waited for); its pid. It logs
    to ``<socket>.log``; a second one for the same socket exits at once (a lock file)."""
    path = socket_path()
    log = str(path.with_suffix(".log"))
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
    ]
    # From "/", not the project's folder: the process holds none, and imports nothing from one.
    boot = "import os, sys; os.chdir('/'); from specfirst.warm import main; sys.exit(main())"
    command = [sys.executable, "-c", boot, "serve", "--socket", str(path)]
    env = {**os.environ, "PWD": "/"}
    return os.posix_spawn(sys.executable, command, env, file_actions=actions, setsid=True)


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
    global _SERVING, _served_at
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
    _SERVING = True
    _served_at = f"pid {os.getppid()}, {path}"
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
    """``python -m specfirst.warm serve [--socket PATH] [--idle MINUTES]``: run the warm
    process in the foreground (``specfirst generate`` starts it by itself)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m specfirst.warm")
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
    # Through the module everything else imports (``specfirst.cli`` among them), not this copy
    # run as ``__main__``: a run must find that module's state saying it is the warm run.
    from specfirst import warm as _warm

    sys.exit(_warm.main())
