"""Idiomatic hand-written FastAPI: pydantic models, ``response_model``.

The baseline (1.00) of the serving benchmark is ``app``, whose handlers return dicts. The other
apps are the same API written the other ways the benchmark pairs with specfirst's:
``app_models`` returns model instances built once at start, ``app_per_request`` builds the
models per request, and ``app_depends`` is a class service that FastAPI builds per request
with ``Depends``, itself asking for a per-request session from a ``yield`` dependency.
A missing pet is answered with the spec's ``Error`` body, as the spec declares it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from data import LIST_LIMIT, NEW_ID, NO_TELEMETRY, NOW, PETS, Session, get_session
from fastapi import Depends, FastAPI, Path, Query
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field


class NewPet(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    tag: Annotated[str | None, Field(max_length=50)] = None
    age: Annotated[int | None, Field(ge=0, le=100)] = None


class Pet(BaseModel):
    id: Annotated[int, Field(ge=1)]
    name: str
    tag: str | None = None
    age: int | None = None
    vaccinated: bool
    created_at: AwareDatetime


def not_found() -> JSONResponse:
    return JSONResponse({"code": 404, "message": "no such pet"}, status_code=404)


def build(mode: Literal["dicts", "prebuilt", "per_request"], telemetry: Any = None) -> FastAPI:
    app = FastAPI(title="Petstore", version="1", telemetry=telemetry)
    prebuilt = [Pet(**p) for p in PETS]

    def one(index: int) -> Any:
        if mode == "dicts":
            return PETS[index]
        return prebuilt[index] if mode == "prebuilt" else Pet(**PETS[index])

    @app.get("/pets", response_model=list[Pet], response_model_exclude_unset=True)
    async def list_pets(limit: Annotated[int, Query(ge=1, le=100)] = LIST_LIMIT) -> Any:
        if mode == "per_request":
            return [Pet(**p) for p in PETS[:limit]]
        return (PETS if mode == "dicts" else prebuilt)[:limit]

    @app.post("/pets", response_model=Pet, status_code=201, response_model_exclude_unset=True)
    async def create_pet(body: NewPet) -> Any:
        pet = {
            "id": NEW_ID,
            **body.model_dump(exclude_unset=True),
            "vaccinated": False,
            "created_at": NOW,
        }
        return pet if mode == "dicts" else Pet(**pet)

    @app.get("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)
    async def get_pet(pet_id: Annotated[int, Path(ge=1)]) -> Any:
        if pet_id > len(PETS):
            return not_found()
        return one(pet_id - 1)

    return app


class PetsService:
    """A service class FastAPI builds per request, with a session from a ``yield`` dependency."""

    def __init__(self, session: Annotated[Session, Depends(get_session)]) -> None:
        self.session = session

    def list_pets(self, limit: int) -> list[Pet]:
        return [Pet(**p) for p in self.session.rows[:limit]]

    def create_pet(self, body: NewPet) -> Pet:
        fields = body.model_dump(exclude_unset=True)
        return Pet(id=NEW_ID, **fields, vaccinated=False, created_at=NOW)

    def get_pet(self, pet_id: int) -> Pet | None:
        rows = self.session.rows
        return Pet(**rows[pet_id - 1]) if pet_id <= len(rows) else None


Service = Annotated[PetsService, Depends(PetsService)]


def build_depends() -> FastAPI:
    app = FastAPI(title="Petstore", version="1")

    @app.get("/pets", response_model=list[Pet], response_model_exclude_unset=True)
    async def list_pets(
        service: Service, limit: Annotated[int, Query(ge=1, le=100)] = LIST_LIMIT
    ) -> Any:
        return service.list_pets(limit)

    @app.post("/pets", response_model=Pet, status_code=201, response_model_exclude_unset=True)
    async def create_pet(body: NewPet, service: Service) -> Any:
        return service.create_pet(body)

    @app.get("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)
    async def get_pet(pet_id: Annotated[int, Path(ge=1)], service: Service) -> Any:
        found = service.get_pet(pet_id)
        return not_found() if found is None else found

    return app


app = build("dicts")
app_models = build("prebuilt")
app_per_request = build("per_request")
app_depends = build_depends()
app_no_telemetry = build("dicts", telemetry=NO_TELEMETRY)
