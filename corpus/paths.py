"""Path keys as requests carry them: shared by the route check and the probes.

A path key of the spec may carry a fragment or a query string (``/rest?method=search``); the
stage that compares routes (:mod:`corpus.check`) and the one that sends requests
(:mod:`corpus.probes`) both need the bare path.
"""

from __future__ import annotations


def served_path(key: str) -> str:
    """The path a request for a path key carries: without the key's fragment and query string."""
    return key.partition("#")[0].partition("?")[0]
