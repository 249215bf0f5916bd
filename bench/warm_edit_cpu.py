"""CPU seconds of GitHub's edits run in a warm generator: the run's process and everything it
started (the models worker, ruff), as the warm process reaps them (``/proc/PID/stat``'s
cutime + cstime), which a loaded machine does not inflate as it does wall times.

    python3 bench/warm_edit_cpu.py CHECKOUT [ROUNDS]

``CHECKOUT``: a checkout with its ``.venv`` (``make install``), so that two versions can be
compared in the same conditions. The edits are :mod:`generate_incremental`'s (one after the
other, on a fresh copy of the spec per round, after a cold run).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_incremental as bench


def main() -> int:
    checkout, rounds = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2
    python = str(checkout / ".venv/bin/python")
    tmp = Path(tempfile.mkdtemp(prefix="warm-cpu-"))
    (tmp / "sock").mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SPECFIRST_DAEMON")}
    env["SPECFIRST_DAEMON_DIR"] = str(tmp / "sock")
    server = subprocess.Popen(
        [python, "-m", "specfirst.warm.server", "serve"], env=env, stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    if not server.stderr.readline().startswith("listening"):
        return 1

    def reaped() -> float:
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    figures: dict[str, list[tuple[float, float]]] = {}
    try:
        for n in range(rounds):
            work = tmp / f"round{n}"
            work.mkdir()
            spec = work / bench.GITHUB.name
            shutil.copyfile(bench.GITHUB, spec)
            command = [
                python,
                "-m",
                "specfirst",
                "generate",
                str(spec),
                "-o",
                "pkg",
                "-p",
                "pkg",
                "-v",
            ]
            for label, edit in [("cold", None), *bench.GITHUB_EDITS.items()]:
                if edit is not None:
                    edit(spec)
                before, started = reaped(), time.perf_counter()
                done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
                wall = time.perf_counter() - started
                if done.returncode != 0 or "ran in the warm generator" not in done.stderr:
                    sys.exit(done.stderr[-2000:])
                time.sleep(1.5 * 2.0)  # the warm process reaps its children every 2 s
                cpu = reaped() - before
                figures.setdefault(label, []).append((cpu, wall))
                load = os.getloadavg()[0]
                print(
                    f"round {n} {label}: cpu {cpu:.2f} s, wall {wall:.2f} s, load {load:.1f}",
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    for label, values in figures.items():
        cpus, walls = [c for c, _ in values], [w for _, w in values]
        print(
            f"{label}: cpu median {statistics.median(cpus):.2f} ({min(cpus):.2f}-{max(cpus):.2f}),"
            f" wall median {statistics.median(walls):.2f} ({min(walls):.2f}-{max(walls):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
