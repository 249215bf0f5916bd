"""The development credential for operations the run's one ``Authorization`` cannot call.

velopayments: every operation takes an OAuth2 bearer token but ``veloAuth``, HTTP Basic only.
The auth hook sends one ``Authorization`` (the scheme most operations use), so ``veloAuth``
only ever answered 401 and the run's gate failed it ("never got past 401").
"""

from __future__ import annotations

import base64

import requests
import yaml

from specfirst.contract import AuthContext, dev_credentials, dev_operation_credentials

SPEC = """
openapi: 3.0.3
info: {title: Payments, version: 1.0.0}
security: [{oauth: []}]
paths:
  /authenticate:
    post:
      operationId: veloAuth
      security: [{basic: []}]
      responses: {'200': {description: token}}
  /payees:
    get:
      operationId: listPayees
      responses: {'200': {description: ok}}
    post:
      operationId: createPayee
      security: [{basic: []}, {oauth: []}]
      responses: {'201': {description: made}}
  /payouts:
    get: {operationId: listPayouts, responses: {'200': {description: ok}}}
    post: {operationId: submitPayout, responses: {'202': {description: accepted}}}
  /keys:
    get:
      operationId: keyed
      security: [{key: []}]
      responses: {'200': {description: ok}}
  /either:
    get:
      operationId: basicAndKey
      security: [{basic: [], key: []}]
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: open
      security: [{}, {oauth: []}]
      responses: {'200': {description: ok}}
  /anonymous:
    get:
      security: [{basic: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: /token, scopes: {}}}
"""


def test_operations_secured_only_another_way_get_their_authorization() -> None:
    ctx = AuthContext(base_url="http://t", session=requests.Session(), spec=yaml.safe_load(SPEC))
    assert dev_credentials(ctx, "c", username="dev")["Authorization"] == "Bearer c"
    basic = "Basic " + base64.b64encode(b"dev:c").decode()
    # createPayee and keyed take what the run sends; open needs nothing; the last one has no
    # operationId to name it by
    assert dev_operation_credentials(ctx, "c", username="dev") == {
        "veloAuth": {"Authorization": basic},
        "basicAndKey": {"Authorization": basic},
    }
