"""specfirst's generated server for the petstore (``run.py`` generates ``sf_petstore``).

Each app is the same implementation written one of the ways the benchmark pairs with FastAPI:
``app`` returns models built once at start (an instance service), ``app_per_request`` builds
them per request, ``app_dicts`` is a handler ported from FastAPI that returns plain dicts where
the protocol says ``Pet`` (the generated router validates them in one pass), and
``app_class`` passes a service class that ``create_app`` builds per request with a session
from a ``yield`` dependency (as ``app_fastapi.app_depends`` does with ``Depends``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from data import LIST_LIMIT, NEW_ID, NO_TELEMETRY, NOW, PETS, Session, get_session
from fastapi import Depends
from sf_petstore import create_app, models, responses  # type: ignore[import-not-found]

NOT_FOUND = responses.GetPet404Response(body=models.Error(code=404, message="no such pet"))


class Pets:
    def __init__(self, mode: Literal["dicts", "prebuilt", "per_request"]) -> None:
        self.mode = mode
        self.prebuilt = [models.Pet(**p) for p in PETS]

    def one(self, index: int) -> Any:
        if self.mode == "dicts":
            return PETS[index]
        return self.prebuilt[index] if self.mode == "prebuilt" else models.Pet(**PETS[index])

    async def list_pets(self, *, limit: int = LIST_LIMIT) -> Any:
        if self.mode == "per_request":
            return [models.Pet(**p) for p in PETS[:limit]]
        return (PETS if self.mode == "dicts" else self.prebuilt)[:limit]

    async def create_pet(self, *, body: Any) -> Any:
        pet = {
            "id": NEW_ID,
            **body.model_dump(exclude_unset=True),
            "vaccinated": False,
            "created_at": NOW,
        }
        return pet if self.mode == "dicts" else models.Pet(**pet)

    async def get_pet(self, *, pet_id: int) -> Any:
        if pet_id > len(PETS):
            return NOT_FOUND
        return self.one(pet_id - 1)


class PetsWithSession:
    """A service class built per request, with a session from a ``yield`` dependency."""

    def __init__(self, session: Annotated[Session, Depends(get_session)]) -> None:
        self.session = session

    async def list_pets(self, *, limit: int = LIST_LIMIT) -> Any:
        return [models.Pet(**p) for p in self.session.rows[:limit]]

    async def create_pet(self, *, body: Any) -> Any:
        fields = body.model_dump(exclude_unset=True)
        return models.Pet(id=NEW_ID, **fields, vaccinated=False, created_at=NOW)

    async def get_pet(self, *, pet_id: int) -> Any:
        rows = self.session.rows
        return models.Pet(**rows[pet_id - 1]) if pet_id <= len(rows) else NOT_FOUND


app = create_app(pets=Pets("prebuilt"), docs=False)
app_per_request = create_app(pets=Pets("per_request"), docs=False)
app_dicts = create_app(pets=Pets("dicts"), docs=False)
app_class = create_app(pets=PetsWithSession, docs=False)
# create_app passes ``telemetry`` on to FastAPI (see data.NO_TELEMETRY).
app_no_telemetry = create_app(pets=Pets("prebuilt"), docs=False, telemetry=NO_TELEMETRY)
