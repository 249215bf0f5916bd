"""connexion 3 (``AsyncApp``) serving the petstore spec; runs in its own venv (``run.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import connexion  # type: ignore[import-not-found]
from data import LIST_LIMIT, NEW_ID, NOW, PETS

_PETS = [{**p, "created_at": p["created_at"].isoformat().replace("+00:00", "Z")} for p in PETS]


async def list_pets(limit: int = LIST_LIMIT) -> Any:
    return _PETS[:limit], 200


async def create_pet(body: dict[str, Any]) -> Any:
    return {
        "id": NEW_ID,
        **body,
        "vaccinated": False,
        "created_at": NOW.isoformat().replace("+00:00", "Z"),
    }, 201


async def get_pet(petId: int) -> Any:
    if petId > len(_PETS):
        return {"code": 404, "message": "no such pet"}, 404
    return _PETS[petId - 1], 200


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def build(validate_responses: bool) -> Any:
    built = connexion.AsyncApp(__name__)
    built.add_api(
        Path(__file__).with_name("petstore.yaml"),
        resolver=connexion.resolver.Resolver(lambda op_id: globals()[_snake(op_id)]),
        validate_responses=validate_responses,
    )
    return built


app = build(validate_responses=False)  # connexion's default
app_validated = build(validate_responses=True)  # checks what it sends, as the others do
