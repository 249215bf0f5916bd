"""``specfirst diff BASE [HEAD]``: breaking changes between two versions of the spec.

BASE and HEAD are spec files or git revisions. A revision means "the configured spec as it
was at that revision", with its multi-file ``$ref``s as they were then: ``specfirst diff
origin/main`` compares that revision with the working tree.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from specfirst.commands.common import print_diagnostics
from specfirst.config import find_pyproject, load_config
from specfirst.diagnostics import DiagnosticError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "diff", help="classify the changes between two versions of the spec for existing clients"
    )
    p.add_argument(
        "base",
        nargs="?",
        help="base spec file, or a git revision of the configured spec (e.g. origin/main)",
    )
    p.add_argument(
        "head", nargs="?", help="head spec file or git revision (default: the working tree's spec)"
    )
    p.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    p.add_argument("-o", "--output", help="write the report to this file instead of stdout")
    p.add_argument(
        "--allow-breaking", action="store_true", help="exit 0 even when there are breaking changes"
    )
    p.add_argument(
        "--ignore",
        metavar="FILE",
        help="accepted findings, each with a reason (default: [tool.specfirst.diff] ignore-file)",
    )
    p.add_argument(
        "--list-rules",
        action="store_true",
        help="list every rule id with its severity and a before → after example, then exit",
    )
    p.set_defaults(func=run)


class RevisionError(Exception):
    pass


def _git(*args: str, cwd: Path) -> bytes:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        raise RevisionError(
            done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed"
        )
    return done.stdout


def materialize(revision: str, spec: Path, stack: ExitStack) -> tuple[Path, str]:
    """Extract the spec's folder as it was at ``revision``; return the spec's path in it."""
    spec = spec.resolve()
    top = Path(_git("rev-parse", "--show-toplevel", cwd=spec.parent).decode().strip())
    relative = spec.relative_to(top)
    folder = relative.parts[0] if len(relative.parts) > 1 else "."
    try:
        _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=top)
    except RevisionError:
        raise RevisionError(f"{revision!r} is neither a file nor a git revision") from None
    archive = _git("archive", "--format=tar", revision, "--", folder, cwd=top)
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="specfirst-diff-")))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    extracted = tmp / relative
    if not extracted.is_file():
        raise RevisionError(f"{relative} does not exist at {revision}")
    return extracted, str(tmp)


def _load(argument: str, default_spec: Path, stack: ExitStack) -> tuple[Any, str, str | None]:
    from specfirst.loader import load_spec

    path = Path(argument)
    if path.is_file():
        return load_spec(path), argument, None
    extracted, prefix = materialize(argument, default_spec, stack)
    return load_spec(extracted), f"{argument}:{default_spec.as_posix()}", prefix


def _relabel(text: str, prefix: str | None, revision: str) -> str:
    if prefix is None:
        return text
    return text.replace(prefix + "/", f"{revision}:")


def run(args: argparse.Namespace) -> int:
    from specfirst.diff import diff_specs
    from specfirst.diff.registry import list_rules
    from specfirst.diff.settings import ConfigError, load_diff_settings, load_ignore_file

    config = load_config()
    try:
        settings = load_diff_settings(find_pyproject(config.root.resolve()))
        if args.list_rules:
            sys.stdout.write(list_rules(settings.severities))
            return 0
        ignore_path = Path(args.ignore) if args.ignore else settings.ignore_file
        ignore = load_ignore_file(ignore_path) if ignore_path else []
    except ConfigError as exc:
        print(f"specfirst diff: {exc}", file=sys.stderr)
        return 2
    if not args.base:
        print("specfirst diff: give the BASE spec file or git revision", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        try:
            base, base_label, base_prefix = _load(args.base, config.spec, stack)
            if args.head:
                head, head_label, head_prefix = _load(args.head, config.spec, stack)
            else:
                head, head_label, head_prefix = _load(str(config.spec), config.spec, stack)
        except DiagnosticError as exc:
            print_diagnostics(exc.diagnostics)
            return 1
        except (RevisionError, OSError) as exc:
            print(f"specfirst diff: {exc}", file=sys.stderr)
            return 2
        report = diff_specs(
            base,
            head,
            base_label=base_label,
            head_label=head_label,
            severities=settings.severities,
            ignore=ignore,
        )
        for entry in report.unused_ignores:
            print(
                f"{ignore_path}:{entry.line}: warning: accepted finding {entry.id}"
                f"{' ' + entry.operation if entry.operation else ''} matches nothing any more",
                file=sys.stderr,
            )
        if args.format == "json":
            text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
        elif args.format == "markdown":
            text = report.to_markdown()
        elif args.format == "html":
            from specfirst.docs import render_diff_html

            text = render_diff_html(report.to_json())
        else:
            text = report.to_text()
        text = _relabel(text, base_prefix, args.base)
        if args.head:
            text = _relabel(text, head_prefix, args.head)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if report.breaking and not args.allow_breaking:
        if report.major_bumped:
            print(
                f"breaking changes allowed: info.version major bumped ({report.base_version} → {report.head_version})",
                file=sys.stderr,
            )
            return 0
        print(
            "breaking changes found (use --allow-breaking, or bump info.version's major)",
            file=sys.stderr,
        )
        return 1
    return 0
