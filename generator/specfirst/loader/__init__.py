"""Load an OpenAPI document from YAML or JSON, bundle its multi-file ``$ref``s, locate nodes.

:func:`load_spec` returns a :class:`SourceSpec`: one document whose refs are all internal, and
a way back from any of its nodes to the file, line and column it was written at. What lives
where, in the order a load goes through it:

- ``spec``: :func:`load_spec` and :class:`SourceSpec` (locating a node, dumping the document);
- ``files``: reading one file: UTF-8, JSON or YAML, duplicate keys, ``$self`` refs;
- ``yaml_loader``: the YAML loader (YAML 1.2 booleans, keys as written, the alias-bomb guard);
- ``refs``: what a ``$ref`` names (a file inside the spec's folder, a pointer in it);
- ``bundle``: the bundler, which hoists or inlines what external refs name;
- ``chains``: chains of refs to refs, measured in one pass and refused past a limit;
- ``positions``: the line and column of a pointer in a YAML or JSON text, found on demand;
- ``yaml_dump``: the bundled document as YAML, and the cache that re-dumps changed pieces only;
- ``edit``: small edits to one file's text that keep the rest as written (a key inserted into
  a mapping, ``$ref`` values rewritten), for ``specfirst init --spec``;
- ``pointers``: JSON pointers: ``$ref`` <-> pointer, resolving, following refs, ``iter_refs``;
- ``paths``: a Path Item's operations (``HTTP_METHODS``) and the servers' base path.

The names below are the package's public ones; the rest are private to their module.
"""

from specfirst.loader.paths import HTTP_METHODS, path_item_operations, server_base_path
from specfirst.loader.pointers import (
    Pointer,
    copy_json,
    deref,
    iter_ref_strings,
    iter_refs,
    iter_values,
    pointer_step,
    pointer_to_ref,
    ref_pointer,
    resolve_pointer,
)
from specfirst.loader.spec import SourceSpec, load_spec

__all__ = [
    "HTTP_METHODS",
    "Pointer",
    "SourceSpec",
    "copy_json",
    "deref",
    "iter_ref_strings",
    "iter_refs",
    "iter_values",
    "load_spec",
    "path_item_operations",
    "pointer_step",
    "pointer_to_ref",
    "ref_pointer",
    "resolve_pointer",
    "server_base_path",
]
