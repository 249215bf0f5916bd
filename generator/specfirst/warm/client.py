"""The warm generator's client: :func:`handoff` a one-shot ``specfirst generate`` to the warm
process when one answers, and start one after a run in process (:mod:`specfirst.warm`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import struct
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    boot = "import os, sys; os.chdir('/'); from specfirst.warm.server import main; sys.exit(main())"
    command = [sys.executable, "-c", boot, "serve", "--socket", str(path)]
    env = {**os.environ, "PWD": "/"}
    return os.posix_spawn(sys.executable, command, env, file_actions=actions, setsid=True)
