"""datamodel-code-generator's ``--generate-server fastapi`` (async handlers) on the petstore.

``run.py`` generates ``dcg_models`` and the ``dcg_server`` package into the build directory
(on ``sys.path``); its service returns the models its protocol asks for, built once.
"""

from __future__ import annotations

from typing import Any

import dcg_models  # type: ignore[import-not-found]
from data import LIST_LIMIT, NEW_ID, NOW, PETS
from dcg_server.application import create_app  # type: ignore[import-not-found]
from fastapi import HTTPException

_PETS = [dcg_models.Pet(**p) for p in PETS]


class Pets:
    async def list_pets(self, *, limit: int = LIST_LIMIT) -> Any:
        return dcg_models.PetsGetResponse(_PETS[:limit])

    async def create_pet(self, *, body: Any) -> Any:
        return dcg_models.Pet(
            id=NEW_ID, **body.model_dump(exclude_unset=True), vaccinated=False, created_at=NOW
        )

    async def get_pet(self, *, petId: int) -> Any:
        if petId > len(_PETS):
            raise HTTPException(404, "no such pet")
        return _PETS[petId - 1]


app = create_app(pets=Pets())
