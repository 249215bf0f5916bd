"""One spec through every stage: validate → generate → import → create_app → /openapi.json → routes → requests.

:func:`check_spec` runs in a child process of the runner (so a hang is killed by its timeout and
an import cannot leak into the next spec) and returns a plain dict; it never raises.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corpus.paths import served_path

STAGES = ("load", "validate", "generate", "import", "app", "openapi.json", "routes", "requests")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = re.compile(r"{[^{}]*}")


class StageFailure(Exception):
    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


def _short(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


def _crash(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return _short(f"traceback: {type(exc).__name__}: {exc}{where}")


def osv_accepts(path: Path) -> bool | None:
    """openapi-spec-validator's own verdict, for specs our validation rejected."""
    try:
        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename

        document, _ = read_from_filename(str(path))
        validate(document)
    except Exception as exc:  # any rejection (or library failure) counts as "not accepted"
        return False if type(exc).__name__ != "RecursionError" else None
    return True


def check_spec(path: Path, work: Path, cache: Path, *, probes: bool = True) -> dict[str, Any]:
    """Run every stage on ``path``; ``work`` is an empty folder for the generated package."""
    started = time.perf_counter()
    result: dict[str, Any] = {
        "status": "pass",
        "stage": None,
        "detail": "",
        "operations": 0,
        "unsupported": 0,
        "requests": 0,
        "reached": 0,
    }
    try:
        _run(path, work, cache, result, probes=probes)
    except StageFailure as exc:
        result["status"] = "fail"
        result["stage"] = exc.stage
        result["detail"] = _short(exc.detail)
    except BaseException as exc:  # the point of the runner: a crash is a result, not the end
        result["status"] = "fail"
        result["stage"] = result.get("_stage", "internal")
        result["detail"] = _crash(exc)
    _enter(result, None)
    result.pop("_stage", None)
    result.pop("_clock", None)
    if result["status"] == "invalid":
        result["osv_accepts"] = osv_accepts(path)
        if result["osv_accepts"]:
            result["status"] = "fail"  # specfirst rejected what openapi-spec-validator accepts
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _enter(result: dict[str, Any], stage: str | None) -> None:
    """Start ``stage`` (None: the end); the one before gets its wall and CPU seconds in
    ``result["stage_seconds"]``, so that a slow spec says where its time went."""
    now = (time.perf_counter(), time.process_time())
    clock = result.get("_clock")
    before = result.get("_stage")
    if clock is not None and before is not None:
        result.setdefault("stage_seconds", {})[before] = {
            "wall": round(now[0] - clock[0], 2),
            "cpu": round(now[1] - clock[1], 2),
        }
    result["_clock"] = now
    if stage is not None:
        result["_stage"] = stage


def _run(path: Path, work: Path, cache: Path, result: dict[str, Any], *, probes: bool) -> None:
    from specfirst.diagnostics import DiagnosticError, Level, has_errors
    from specfirst.loader import load_spec
    from specfirst.pipeline import generate
    from specfirst.validation import validate

    _enter(result, "load")
    try:
        spec = load_spec(path)
    except DiagnosticError as exc:
        result["status"] = "invalid"
        result["stage"] = "load"
        result["detail"] = _short(str(exc))
        return
    doc = spec.document
    result["openapi"] = str(doc.get("openapi") or doc.get("swagger") or "?")
    _enter(result, "validate")
    diagnostics = validate(spec, cache_dir=cache / "validate")
    if has_errors(diagnostics):
        first = next(d for d in diagnostics if d.level is Level.ERROR)
        # Not OpenAPI 3.x at all (Swagger 2.0 …): out of scope; the hint is the expected answer.
        out_of_scope = first.rule in ("not-openapi-3", "not-openapi", "unsupported-version")
        result["status"] = "skipped" if out_of_scope else "invalid"
        result["stage"] = "validate"
        result["detail"] = _short(first.format())
        return
    _enter(result, "generate")
    package = "corpus_pkg"
    out = work / package
    gen = generate(path, out, cache_dir=cache, force=True)
    result["unsupported"] = sum(1 for d in gen.diagnostics if d.rule == "unsupported")
    result["diagnostics"] = [
        _short(d.format(), 200) for d in gen.diagnostics if d.level is not Level.INFO
    ][:20]
    if not gen.ok or gen.api is None:
        errors = [d.format() for d in gen.diagnostics if d.level is Level.ERROR]
        raise StageFailure("generate", "; ".join(errors[:3]) or "no output")
    api = gen.api
    result["operations"] = len(api.operations)

    _enter(result, "import")
    sys.path.insert(0, str(work))
    try:
        module = importlib.import_module(package)
    except Exception as exc:
        raise StageFailure("import", _crash(exc)) from exc
    _enter(result, "app")
    try:
        app = module.create_app(allow_unimplemented=True)
    except Exception as exc:
        raise StageFailure("app", _crash(exc)) from exc
    base = str(importlib.import_module(f"{package}.app").BASE_PATH)

    _enter(result, "openapi.json")
    import httpx

    async def fetch(*requests: httpx.Request) -> list[httpx.Response | BaseException]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
        async with httpx.AsyncClient(transport=transport, base_url="http://corpus") as client:
            out: list[httpx.Response | BaseException] = []
            for request in requests:
                try:
                    out.append(await client.send(request))
                except Exception as exc:
                    out.append(exc)
            return out

    client = httpx.Client(base_url="http://corpus")
    served_by_api = any(
        op.method == "get" and base + op.path in ("/openapi.json", "/openapi.yaml")
        for op in api.operations
    )
    (answer,) = asyncio.run(fetch(client.build_request("GET", "/openapi.json")))
    if isinstance(answer, BaseException):
        raise StageFailure("openapi.json", _crash(answer))
    # The spec may declare GET /openapi.json itself: its operation wins; probed below.
    served = None if served_by_api else answer
    if served is not None and served.status_code != 200:
        raise StageFailure("openapi.json", f"GET /openapi.json answered {served.status_code}")
    if served is not None:
        try:
            served_doc = served.json()
        except ValueError as exc:
            raise StageFailure("openapi.json", f"not JSON: {exc}") from exc
        if list(served_doc.get("paths") or {}) != list(doc.get("paths") or {}):
            raise StageFailure(
                "openapi.json", "served document has different paths than the source"
            )

    _enter(result, "routes")
    expected = Counter(
        (op.method.upper(), _PARAM.sub("{}", base + served_path(op.path))) for op in api.operations
    )
    from corpus.samples import Sampler

    sampler = Sampler(doc)
    spec_ops: Counter[tuple[str, str]] = Counter()
    for p, raw_item in (doc.get("paths") or {}).items():
        item = sampler.resolve(raw_item)
        if isinstance(item, Mapping):
            for method in METHODS:
                if isinstance(item.get(method), Mapping):
                    spec_ops[(method.upper(), _PARAM.sub("{}", base + served_path(str(p))))] += 1
    served_routes = Counter(
        (method, _PARAM.sub("{}", route.path_format))
        for route in app.routes
        if getattr(route, "operation_id", None)
        for method in route.methods
        if method != "HEAD" or "GET" not in route.methods
    )
    if spec_ops and spec_ops != expected:
        missing = spec_ops - expected
        raise StageFailure("routes", f"operations missing from the IR: {sorted(missing)[:3]}")
    if served_routes != expected:
        missing = expected - served_routes
        extra = served_routes - expected
        raise StageFailure(
            "routes", f"missing {sorted(missing)[:3]}, unexpected {sorted(extra)[:3]}"
        )
    if not probes:
        return

    _enter(result, "requests")
    from corpus.probes import build_probes

    plans = build_probes(api, doc, base, client)
    responses = asyncio.run(fetch(*(p.request for p in plans)))
    result["requests"] = len(plans)
    failures: list[str] = []
    for plan, answer in zip(plans, responses, strict=True):
        label = f"{plan.request.method} {plan.request.url.raw_path.decode()[:80]} ({plan.kind})"
        if isinstance(answer, BaseException):
            failures.append(f"{label}: {_crash(answer)}")
            continue
        if answer.status_code == 501:
            result["reached"] += 1
        if answer.status_code not in plan.allowed:
            detail = answer.text[:160] if answer.status_code >= 500 else ""
            failures.append(f"{label}: {answer.status_code} {detail}")
    if failures:
        raise StageFailure(
            "requests", f"{len(failures)} bad answer(s): " + " | ".join(failures[:3])
        )


def main() -> None:  # debugging aid: python -m corpus.check SPEC
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        res = check_spec(Path(sys.argv[1]), Path(tmp), Path(".cache/corpus-run/cache"))
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
