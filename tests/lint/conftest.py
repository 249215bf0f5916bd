"""Helpers for lint tests: a small spec that lints clean, and a way to lint a variant of it."""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from specfirst.diagnostics import Level
from specfirst.lint import lint
from specfirst.loader import load_spec

CLEAN = """
openapi: 3.1.0
info: {title: Clean, version: '1'}
security:
  - bearer: [things:read]
tags:
  - name: things
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      summary: List things
      description: A page of things.
      parameters:
        - name: cursor
          in: query
          schema: {type: string}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ThingList'}
              example:
                items: [{id: 1, name: one}]
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /things/{thingId}:
    parameters:
      - name: thingId
        in: path
        required: true
        schema: {type: integer}
        example: 3
    get:
      operationId: getThing
      tags: [things]
      summary: Get a thing
      description: One thing.
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /health:
    get:
      operationId: health
      tags: [things]
      summary: Health
      description: Always up.
      security: []
      responses:
        '204': {description: Up.}
components:
  securitySchemes:
    bearer:
      type: oauth2
      flows:
        password:
          tokenUrl: /token
          scopes: {things:read: Read things.}
  responses:
    Problem:
      description: An error.
      content:
        application/problem+json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    Problem:
      type: object
      properties:
        title: {type: string}
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string, examples: [spanner]}
    ThingList:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Thing'}
"""


def clean_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(CLEAN)
    return document


def op(document: dict[str, Any], path: str = "/things", method: str = "get") -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


LintFn = Callable[..., list[str]]


@pytest.fixture
def run_lint(tmp_path: Path) -> LintFn:
    """Lint a document (a dict, or YAML text): ``["error rule: message", ...]``."""

    def run(
        document: dict[str, Any] | str, settings: dict[str, Level | None] | None = None
    ) -> list[str]:
        path = tmp_path / "api.yaml"
        if isinstance(document, str):
            path.write_text(textwrap.dedent(document), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(copy.deepcopy(document), sort_keys=False))
        diagnostics = lint(load_spec(path), settings)
        return [f"{d.level} {d.rule}: {d.message}" for d in diagnostics]

    return run
