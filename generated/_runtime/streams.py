# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""OpenAPI 3.2 ``itemSchema`` streams: which media types are framed how.

No imports beyond the standard library: the generator reads this table too, and should not
load FastAPI and pydantic to do so. How a stream is sent is :mod:`.streaming`.
"""

from __future__ import annotations

from typing import Literal

Framing = Literal["jsonl", "json-seq", "sse"]

# media type -> how items are framed on the wire.
STREAM_FORMATS: dict[str, Framing] = {
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
    "application/json-seq": "json-seq",
    "text/event-stream": "sse",
}
