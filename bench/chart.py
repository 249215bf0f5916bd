"""Draw ``bench/results.png`` from ``bench/results.json`` (written by the benchmarks).

Left: server CPU per request of each server relative to idiomatic FastAPI (above 1 is
cheaper), per endpoint (``bench/http/run.py``). Right: GitHub's spec, generation and start-up
wall times (``bench/generate_github.py``).

    .venv/bin/python bench/chart.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

HERE = Path(__file__).resolve().parent


def _median(ratio: Any) -> float:
    """A ratio as ``run.py`` writes it: per-round figures with their median (or, before, one)."""
    return float(ratio["median"] if isinstance(ratio, dict) else ratio)


def main() -> None:
    data = json.loads((HERE / "results.json").read_text())
    serving, generation = data.get("serving"), data.get("generation")
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 2]})
    if serving:
        rows = serving["rows"]
        endpoints = [k for k in rows[0] if k != "server"]
        width = 0.8 / len(rows)
        for i, row in enumerate(rows):
            xs = [j + i * width for j in range(len(endpoints))]
            ratios = [_median(row[e]["ratio"]) for e in endpoints]
            bars = left.bar(xs, ratios, width, label=row["server"])
            left.bar_label(bars, fmt="%.2f", fontsize=6)
        left.axhline(1.0, color="grey", linewidth=0.8)
        left.set_xticks([j + 0.4 - width / 2 for j in range(len(endpoints))], endpoints)
        left.set_ylabel("requests per CPU-second, relative to FastAPI")
        left.set_title(f"Serving the petstore under uvicorn + wrk ({serving['when']})", fontsize=9)
        left.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3)
    if generation:
        items = [
            ("datamodel-codegen models only", generation.get("dcg_models_only", {}).get("wall_s")),
            ("specfirst cold generate", generation["cold"]["wall_s"]),
            ("one description changed", generation["one_description"]["wall_s"]),
            ("no-op generate", generation["noop"]["wall_s"]),
            ("start-up to /openapi.json", generation["startup"]["first_openapi_s"]),
            (
                "start-up, package of the --before commit",
                generation.get("startup_before", {}).get("first_openapi_s"),
            ),
        ]
        items = [(label, value) for label, value in items if value is not None]
        bars = right.barh([label for label, _ in items], [value for _, value in items])
        right.bar_label(bars, fmt="%.1f s", fontsize=7)
        right.invert_yaxis()
        right.set_xlabel("wall seconds")
        right.set_title(f"GitHub's REST API ({generation['when']})", fontsize=9)
    fig.tight_layout()
    fig.savefig(HERE / "results.png", dpi=110, bbox_inches="tight")
    print(HERE / "results.png")


if __name__ == "__main__":
    main()
