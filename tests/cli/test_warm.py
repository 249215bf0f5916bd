"""The warm generator (``specfirst.warm``): a one-shot ``specfirst generate`` run in it gives the
same files, output and exit code as one in process, and anything amiss means a run in process.

Each test starts its own warm process in a folder of its own and stops it; none is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from specfirst.warm import client as warm

ROOT = Path(__file__).resolve().parents[2]
BROKEN = """\
openapi: 3.1.0
info: {title: Broken, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"""

pytestmark = pytest.mark.skipif(warm.unsupported() is not None, reason=str(warm.unsupported()))


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    # Short, so that the socket's path fits a Unix socket address (108 bytes).
    folder = Path(tempfile.mkdtemp(prefix="sfw-", dir="/tmp"))
    try:
        yield folder
    finally:
        leftovers = [pid for pid in _lock_pids(folder) if _alive(pid)]
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
        assert not leftovers, f"warm processes left running: {leftovers}"


@pytest.fixture
def env(sock_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", warm.SWITCH_ENV)}
    env[warm.DIR_ENV] = str(sock_dir)
    env.pop("SPECFIRST_TRACE", None)
    return env


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst]\nspec = "specs/api.yaml"\noutput = "generated"\npackage = "generated"\n'
    )
    return tmp_path


def _lock_pids(folder: Path) -> list[int]:
    pids = []
    for lock in folder.glob("*.lock"):
        text = lock.read_text().strip()
        if text.isdigit():
            pids.append(int(text))
    return pids


def _alive(pid: int) -> bool:
    """Running (a zombie nobody reaped yet counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split() if _alive(int(child))]


class Server:
    """``python -m specfirst.warm.server serve`` in the foreground, stopped by :meth:`stop`."""

    def __init__(
        self, env: dict[str, str], *extra: str, code: str | None = None, before: str = ""
    ) -> None:
        if before:  # statements run in the warm process before it serves
            boot = (
                f"import sys, specfirst.warm.server as w\n{before}\nsys.exit(w.main(sys.argv[1:]))"
            )
            command = [sys.executable, "-c", boot, "serve", *extra]
        elif code is None:
            command = [sys.executable, "-m", "specfirst.warm.server", "serve", *extra]
        else:  # the installed code as the process sees it: this file's text once it has some
            boot = (
                "import sys, specfirst.warm.server as w;"
                "w.fingerprint_now = lambda own: open(sys.argv[1]).read() or own;"
                "sys.exit(w.main(['serve', *sys.argv[2:]]))"
            )
            command = [sys.executable, "-c", boot, code, *extra]
        self.proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        self.lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert self.proc.stderr is not None
            for line in self.proc.stderr:
                self.lines.append(line)
                if line.startswith("listening at"):
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not ready.wait(120) or self.proc.poll() is not None:
            self.stop()
            pytest.fail(f"the warm process did not start: {''.join(self.lines)}")
        self.path = Path(self.lines[-1].split()[2])

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.reader.join(10)
            assert self.proc.stderr is not None
            self.proc.stderr.close()


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[Server]:
    running = Server(env)
    try:
        yield running
    finally:
        assert running.stop() == 0
        assert not running.path.exists(), "the socket is removed at exit"


# A run that holds after loading and building (before it writes anything) for half a minute:
# a signal sent once its first step is printed then always finds it running (a small spec's
# whole run can end before the signal lands on a loaded machine).
SLOW = """\
import time, specfirst.pipeline as p
real = p._load_and_build
def _load_and_build(*args, **kwargs):
    built = real(*args, **kwargs)
    time.sleep(30)
    return built
p._load_and_build = _load_and_build
"""


@pytest.fixture
def slow_server(env: dict[str, str]) -> Iterator[Server]:
    running = Server(env, before=SLOW)
    try:
        yield running
    finally:
        assert running.stop() == 0


def _interruptible() -> None:
    """A client's Ctrl-C as at a terminal: a shell that starts a job in the background (``nohup
    make test &``, as CI may) has it ignore SIGINT, and an ignored signal stays ignored across
    exec, so Python would install no handler and the client would never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def _begun(project: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """``specfirst generate`` in ``project`` as a client Ctrl-C reaches (:func:`_interruptible`),
    handed over once its run has begun (its first trace line, from the warm process's child)."""
    client = subprocess.Popen(
        [sys.executable, "-m", "specfirst", "generate"],
        cwd=project,
        env={**env, "SPECFIRST_TRACE": "1"},
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    assert client.stderr is not None
    with client.stderr:
        first = client.stderr.readline()
        assert first.startswith("["), first
        yield client


def _within(seconds: float, done: Callable[[], bool]) -> bool:
    """Whether ``done()`` holds within ``seconds`` (asked every tenth of a second)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.1)
    return done()


def generate(
    cwd: Path, env: dict[str, str], *args: str, umask: int = -1
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specfirst", "generate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        umask=umask,
    )


def _timeless(text: str) -> str:
    return re.sub(r"\(\d+\.\d+s\)", "(…s)", text)


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_a_warm_run_writes_and_says_what_a_run_in_process_does(
    project: Path, env: dict[str, str], server: Server
) -> None:
    other = project.parent / "in-process"
    shutil.copytree(project, other)
    here = generate(other, env, "--no-daemon", umask=0o027)
    warm_run = generate(project, env, umask=0o027)  # the warm process's own is 022

    assert (warm_run.returncode, warm_run.stdout) == (here.returncode, here.stdout) == (0, "")
    assert _timeless(warm_run.stderr) == _timeless(here.stderr)
    assert "35 operations" in warm_run.stderr
    assert _tree(project / "generated") == _tree(other / "generated")
    assert (project / "generated/models.py").stat().st_mode & 0o777 == 0o640
    again = generate(project, env, "-v")
    assert again.returncode == 0
    assert f"specfirst: ran in the warm generator (pid {server.proc.pid}, " in again.stderr
    assert _children(server.proc.pid) == [], "each run's process has exited"


def test_a_failing_spec_fails_alike_warm_and_in_process(
    tmp_path: Path, env: dict[str, str], server: Server
) -> None:
    (tmp_path / "api.yaml").write_text(BROKEN)
    args = ("api.yaml", "-o", "out", "-p", "out")
    here = generate(tmp_path, env, *args, "--no-daemon")
    warm_run = generate(tmp_path, env, *args)
    verbose = generate(tmp_path, env, *args, "-v")

    assert here.returncode == warm_run.returncode == verbose.returncode == 1
    assert "api.yaml:12:24: unresolved-ref:" in warm_run.stderr
    assert (warm_run.stdout, warm_run.stderr) == (here.stdout, here.stderr)
    assert "ran in the warm generator" in verbose.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_on_the_client_stops_the_run(
    project: Path, env: dict[str, str], slow_server: Server
) -> None:
    server = slow_server
    with _begun(project, env) as client:
        assert len(_children(server.proc.pid)) == 1
        client.send_signal(signal.SIGINT)
        assert client.wait(60) == 130
    assert _within(15, lambda: _children(server.proc.pid) == [])
    assert not (project / "generated/.specfirst-manifest.json").exists()


def test_a_client_gone_stops_its_run(
    project: Path, env: dict[str, str], slow_server: Server
) -> None:
    server = slow_server
    with _begun(project, env) as client:
        assert len(_children(server.proc.pid)) == 1
        client.kill()
        client.wait()
    assert _within(15, lambda: _children(server.proc.pid) == [])
    assert not (project / "generated/.specfirst-manifest.json").exists()


# Every document counts as big (its models go to a worker process), and each call of the models
# in a process made by forking the warm process's run is recorded (a spawned process imports
# ``specfirst.models`` afresh, so runs the unrecorded function): its pid, its grandparent's and
# whether datamodel-code-generator was imported when it was called.
FORKING = """\
import os, specfirst.models as m, specfirst.pipeline as p
p.IN_PROCESS_MAX = 0
real = m.generate_models
def generate_models(*args, **kwargs):
    parent = open(f"/proc/{os.getppid()}/stat").read().rsplit(")", 1)[1].split()[1]
    with open(os.environ["SFW_RECORD"], "a") as out:
        out.write(f"{os.getpid()} {parent} {'datamodel_code_generator' in sys.modules}\\n")
    return real(*args, **kwargs)
generate_models.__module__, generate_models.__qualname__ = m.__name__, "generate_models"
m.generate_models = generate_models
"""


def test_a_big_specs_models_are_made_in_a_fork_of_the_run(
    project: Path, env: dict[str, str]
) -> None:
    """A warm run forks the worker for a big document's models (from the run's process, before
    the spec is loaded): it starts with datamodel-code-generator imported, where a spawned one
    would import it again; the files are a run in process's, byte for byte."""
    other = project.parent / f"{project.name}-in-process"
    shutil.copytree(project, other)
    here = generate(other, env, "--no-daemon")
    record = project.parent / f"{project.name}-record.txt"
    running = Server(env, before=FORKING)
    try:
        warm_run = generate(project, {**env, "SFW_RECORD": str(record)}, "-v")
    finally:
        assert running.stop() == 0
    assert here.returncode == warm_run.returncode == 0, warm_run.stderr
    assert "ran in the warm generator" in warm_run.stderr
    assert _tree(project / "generated") == _tree(other / "generated")
    assert record.is_file(), "the models were made in a spawned process"
    ((pid, grandparent, imported),) = [line.split() for line in record.read_text().splitlines()]
    assert int(grandparent) == running.proc.pid and int(pid) != running.proc.pid
    assert imported == "True"


@pytest.mark.parametrize("fork", [True, False])
def test_a_models_worker_ends_with_the_process_that_forked_it(
    tmp_path: Path, env: dict[str, str], fork: bool
) -> None:
    """A run that ends without stopping its models worker (a warm run's and a forked test
    child's ``os._exit``, or a run killed) leaves no worker behind, idle for good: a forked
    one holds both ends of its pool's pipes, so only its watch of the run ends it; a spawned
    one (a one-shot run's) sees its pipes close."""
    ends_at_once = (
        "import os\n"
        "from specfirst.pipeline import WorkerAhead\n"
        f"worker = WorkerAhead(fork={fork})\n"
        "print(open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read(), flush=True)\n"
        "os._exit(0)\n"
    )
    said = tmp_path / "worker.txt"  # a file: a worker left behind would hold a pipe open
    with said.open("w") as out:
        subprocess.run([sys.executable, "-c", ends_at_once], env=env, stdout=out, check=True)
    # a spawned worker comes with multiprocessing's resource tracker: neither stays
    workers = [int(pid) for pid in said.read_text().split()]
    assert len(workers) == (1 if fork else 2)
    try:
        assert _within(15, lambda: not any(_alive(worker) for worker in workers))
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)


@pytest.mark.parametrize("stop", ["interrupt", "kill"])
def test_ctrl_c_or_a_client_gone_stops_the_models_worker_too(
    project: Path, env: dict[str, str], stop: str
) -> None:
    running = Server(env, before=FORKING + SLOW)
    try:
        with _begun(project, {**env, "SFW_RECORD": str(project / "record.txt")}) as client:
            (run,) = _children(running.proc.pid)
            workers = _children(run)  # forked before the spec is loaded
            assert len(workers) == 1
            if stop == "interrupt":
                client.send_signal(signal.SIGINT)
                assert client.wait(60) == 130
            else:
                client.kill()
                client.wait()
        assert _within(15, lambda: not _alive(run) and not _alive(workers[0]))
        assert not (project / "generated/.specfirst-manifest.json").exists()
    finally:
        assert running.stop() == 0


def test_a_client_without_stdin_runs_in_process(
    tmp_path: Path, env: dict[str, str], server: Server
) -> None:
    (tmp_path / "api.yaml").write_text(BROKEN)
    command = f"exec {sys.executable} -m specfirst generate api.yaml -v <&-"
    run = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "api.yaml:12:24: unresolved-ref:" in run.stderr
    assert "ran in this process: no warm generator (descriptor 0 is not a standard" in run.stderr


def test_a_stale_socket_means_a_run_in_process_and_a_new_warm_process(
    tmp_path: Path, env: dict[str, str], sock_dir: Path
) -> None:
    path = Path(
        subprocess.check_output(
            [sys.executable, "-m", "specfirst.warm.server", "where"], env=env, text=True
        ).strip()
    )
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening: what a killed process leaves
    dead.close()
    (tmp_path / "api.yaml").write_text(BROKEN)
    args = ("api.yaml", "-o", "out", "-p", "out", "-v")
    run = generate(tmp_path, env, *args)

    assert run.returncode == 1
    assert "api.yaml:12:24: unresolved-ref:" in run.stderr
    assert f"ran in this process: no warm generator (none listening at {path})" in run.stderr
    assert "starting one for the next run" in run.stderr
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the one it started takes the socket over
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
            probe.connect(str(path))
            break
        time.sleep(0.2)
    assert "ran in the warm generator" in generate(tmp_path, env, *args).stderr
    (pid,) = _lock_pids(sock_dir)
    os.kill(pid, signal.SIGTERM)
    assert _within(30, lambda: not _alive(pid))
    assert not path.exists()


def test_changed_code_stops_the_old_process(tmp_path: Path, env: dict[str, str]) -> None:
    code = tmp_path / "code"
    code.write_text("")
    running = Server(env, code=str(code))
    try:
        (tmp_path / "api.yaml").write_text(BROKEN)
        assert "ran in the warm generator" in generate(tmp_path, env, "api.yaml", "-v").stderr
        code.write_text("upgraded")
        assert running.proc.wait(3 * warm.CHECK_EVERY_S + 10) == 0
        assert "the installed code changed" in "".join(running.lines)
        assert not running.path.exists()
    finally:
        running.stop()


def test_a_request_from_other_code_is_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(warm.SWITCH_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(warm, "fingerprint", lambda: "other code")
    monkeypatch.setattr(warm, "socket_path", lambda code=None: server.path)
    monkeypatch.setattr(warm, "_standard_streams", lambda: None)  # pytest captures them

    assert warm.handoff(["generate"]) is None
    assert "refused the run (it is stale)" in warm._why_not


def test_a_socket_removed_stops_its_process(env: dict[str, str]) -> None:
    running = Server(env)
    try:
        running.path.unlink()
        assert running.proc.wait(2 * warm.CHECK_EVERY_S + 10) == 0
    finally:
        running.stop()
    assert "is gone: exiting" in "".join(running.lines)


def test_idle_exit(env: dict[str, str]) -> None:
    running = Server(env, "--idle", "0.01")
    try:
        assert running.proc.wait(2 * warm.CHECK_EVERY_S + 10) == 0
    finally:
        running.stop()
    assert "idle: exiting" in "".join(running.lines)
    assert not running.path.exists()


@pytest.mark.parametrize(
    ("set_env", "flag", "reason"),
    [({"SPECFIRST_DAEMON": "0"}, (), "SPECFIRST_DAEMON=0"), ({"CI": "true"}, (), "CI is set"),
     ({}, ("--no-daemon",), "--no-daemon")],
)  # fmt: skip
def test_off_switches(
    tmp_path: Path,
    env: dict[str, str],
    server: Server,
    set_env: dict[str, str],
    flag: tuple[str, ...],
    reason: str,
) -> None:
    (tmp_path / "api.yaml").write_text(BROKEN)
    run = generate(tmp_path, {**env, **set_env}, "api.yaml", "-v", *flag)
    assert run.returncode == 1
    assert f"ran in this process: the warm generator is off ({reason})" in run.stderr


@pytest.mark.parametrize(
    "argv",
    [["generate", "--help"], ["generate", "--bogus"], ["generate", "-o"], ["generate", "--no"]],
)
def test_generate_parses_alone_as_the_whole_command_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``specfirst generate`` builds only its own subcommand's parser (the warm run needs no
    other); its help and its mistakes read as the whole command line's."""
    from specfirst import cli

    with pytest.raises(SystemExit) as whole:
        cli.build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as alone:
        cli.main(argv)
    assert (alone.value.code, capsys.readouterr()) == (whole.value.code, expected)
