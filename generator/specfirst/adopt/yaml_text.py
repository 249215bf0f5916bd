"""A spec's data as YAML a person reviews: block style, keys in source order, no aliases.

PyYAML (already the loader's parser) writes it; only the choices are ours. Multi-line
strings (Markdown descriptions) are literal blocks (``|``), so they read as written; long
single-line ones fold at spaces past :data:`WIDTH` columns. Mapping keys are never blocks.
Where YAML cannot hold a string as a block (trailing spaces on a line, control characters),
the emitter falls back to a quoted scalar on its own, so the text always loads back to the
same data: :func:`yaml_text` is what ``specfirst init --spec x.json`` writes, and it is
tested to round-trip on the corpora's specs.
"""

from __future__ import annotations

from typing import Any

import yaml

WIDTH = 100

# libyaml's C emitter is much faster; the pure-Python one only if PyYAML was built without it.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR = "tag:yaml.org,2002:str"


class _ReadableDumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a JSON document has none; a shared Python object is written twice

    def represent_str(self, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        node: yaml.ScalarNode = self.represent_scalar(_STR, data, style=style)
        return node

    def represent_dict(self, data: dict[Any, Any]) -> yaml.MappingNode:
        pairs = [
            (
                self.represent_scalar(_STR, key)
                if isinstance(key, str)
                else self.represent_data(key),
                self.represent_data(value),
            )
            for key, value in data.items()
        ]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


_ReadableDumper.add_representer(str, _ReadableDumper.represent_str)
_ReadableDumper.add_representer(dict, _ReadableDumper.represent_dict)


def yaml_text(data: Any) -> str:
    """``data`` (as JSON loads it) as readable block YAML that loads back to the same data."""
    out: str = yaml.dump(
        data,
        Dumper=_ReadableDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
    )
    return out
