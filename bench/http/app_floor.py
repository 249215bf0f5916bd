"""The floor: bare Starlette, no validation, pre-serialized JSON bodies."""

from __future__ import annotations

import json

from data import LIST_LIMIT, NEW_ID, NOW, PETS
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_NOW = NOW.isoformat().replace("+00:00", "Z")  # as pydantic writes an aware UTC datetime
_JSON = [json.dumps({**p, "created_at": _NOW}).encode() for p in PETS]


async def list_pets(request: Request) -> Response:
    limit = int(request.query_params.get("limit", LIST_LIMIT))
    return Response(b"[" + b",".join(_JSON[:limit]) + b"]", media_type="application/json")


async def create_pet(request: Request) -> Response:
    body = json.loads(await request.body())
    pet = {"id": NEW_ID, **body, "vaccinated": False, "created_at": _NOW}
    return Response(json.dumps(pet).encode(), 201, media_type="application/json")


_NOT_FOUND = json.dumps({"code": 404, "message": "no such pet"}).encode()


async def get_pet(request: Request) -> Response:
    pet_id = int(request.path_params["pet_id"])
    if not 1 <= pet_id <= len(_JSON):
        return Response(_NOT_FOUND, 404, media_type="application/json")
    return Response(_JSON[pet_id - 1], media_type="application/json")


app = Starlette(
    routes=[
        Route("/pets", list_pets, methods=["GET"]),
        Route("/pets", create_pet, methods=["POST"]),
        Route("/pets/{pet_id:int}", get_pet, methods=["GET"]),
    ]
)
