"""specfirst's generated server for the petstore (``run.py`` generates ``sf_petstore``).

``app``: the implementation returns what its protocol asks for, models built once.
``app_dicts``: a handler ported from FastAPI that returns plain dicts where the protocol says
``Pet`` (the generated router validates them in one pass).
"""

from __future__ import annotations

from typing import Any

from data import LIST_LIMIT, NEW_ID, NO_TELEMETRY, NOW, PETS
from sf_petstore import create_app, models, responses  # type: ignore[import-not-found]


class Pets:
    def __init__(self, items: list[Any], as_models: bool) -> None:
        self.items = items
        self.as_models = as_models

    async def list_pets(self, *, limit: int = LIST_LIMIT) -> Any:
        return self.items[:limit]

    async def create_pet(self, *, body: Any) -> Any:
        pet = {
            "id": NEW_ID,
            **body.model_dump(exclude_unset=True),
            "vaccinated": False,
            "created_at": NOW,
        }
        return models.Pet(**pet) if self.as_models else pet

    async def get_pet(self, *, pet_id: int) -> Any:
        if pet_id > len(self.items):
            return responses.GetPet404Response(body=models.Error(code=404, message="no such pet"))
        return self.items[pet_id - 1]


app = create_app(pets=Pets([models.Pet(**p) for p in PETS], as_models=True), docs=False)
app_dicts = create_app(pets=Pets(PETS, as_models=False), docs=False)
# create_app passes ``telemetry`` on to FastAPI (see data.NO_TELEMETRY).
app_no_telemetry = create_app(
    pets=Pets([models.Pet(**p) for p in PETS], as_models=True), docs=False, telemetry=NO_TELEMETRY
)
