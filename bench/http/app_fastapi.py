"""Idiomatic hand-written FastAPI: pydantic models, ``response_model``, handlers return dicts.

This is the baseline (1.00) of the serving benchmark; ``app_models`` is the same API whose
handlers return pre-built model instances.
"""

from __future__ import annotations

from typing import Annotated, Any

from data import LIST_LIMIT, NEW_ID, NO_TELEMETRY, NOW, PETS
from fastapi import FastAPI, HTTPException, Path, Query
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


def build(items: list[Any], models: bool, telemetry: Any = None) -> FastAPI:
    app = FastAPI(title="Petstore", version="1", telemetry=telemetry)

    @app.get("/pets", response_model=list[Pet], response_model_exclude_unset=True)
    async def list_pets(limit: Annotated[int, Query(ge=1, le=100)] = LIST_LIMIT) -> Any:
        return items[:limit]

    @app.post("/pets", response_model=Pet, status_code=201, response_model_exclude_unset=True)
    async def create_pet(body: NewPet) -> Any:
        pet = {
            "id": NEW_ID,
            **body.model_dump(exclude_unset=True),
            "vaccinated": False,
            "created_at": NOW,
        }
        return Pet(**pet) if models else pet

    @app.get("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)
    async def get_pet(pet_id: Annotated[int, Path(ge=1)]) -> Any:
        if pet_id > len(items):
            raise HTTPException(404, "no such pet")
        return items[pet_id - 1]

    return app


app = build(PETS, models=False)
app_models = build([Pet(**p) for p in PETS], models=True)
app_no_telemetry = build(PETS, models=False, telemetry=NO_TELEMETRY)
