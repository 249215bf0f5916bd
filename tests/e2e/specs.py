"""Inline specs shared by the end-to-end test modules."""

from pathlib import Path

TASKS = """
openapi: 3.0.3
info:
  title: Tasks
  version: 1.0.0
servers:
  - url: /api
tags:
  - name: tasks
  - name: admin
paths:
  /tasks:
    get:
      operationId: listTasks
      tags: [tasks]
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 50, default: 10}
        - name: status
          in: query
          schema: {type: string, enum: [open, done]}
        - name: tag
          in: query
          schema: {type: string, pattern: '^[a-z]+$', maxLength: 8}
        - name: X-Request-Id
          in: header
          schema: {type: string}
        - name: session
          in: cookie
          schema: {type: string}
      responses:
        '200':
          description: A page
          headers:
            X-Total-Count:
              required: true
              schema: {type: integer}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Page'}
    post:
      operationId: createTask
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TaskIn'}
      responses:
        '201':
          description: Created
          headers:
            Location:
              required: true
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
        '409':
          description: Duplicate
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /tasks/{taskId}:
    parameters:
      - name: taskId
        in: path
        required: true
        schema: {type: integer, minimum: 1}
    get:
      operationId: getTask
      tags: [tasks]
      responses:
        '200':
          description: The task
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
        '404':
          description: Not found
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
    delete:
      operationId: deleteTask
      tags: [tasks]
      responses:
        '204':
          description: Deleted
    patch:
      operationId: updateTask
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TaskIn'}
      responses:
        2XX:
          description: Updated
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
        default:
          description: Error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /tasks/{taskId}/archive:
    post:
      operationId: archiveTask
      tags: [tasks]
      parameters:
        - name: taskId
          in: path
          required: true
          schema: {type: integer}
        - name: reason
          in: query
          required: true
          schema: {type: string, minLength: 3}
      responses:
        '200':
          description: Archived
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
        '400':
          description: Bad request
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /admin/stats:
    get:
      operationId: getStats
      tags: [admin]
      responses:
        '200':
          description: Stats
          content:
            application/json:
              schema:
                type: object
                required: [count]
                properties:
                  count: {type: integer}
components:
  schemas:
    TaskIn:
      type: object
      required: [title]
      properties:
        title: {type: string, minLength: 1, maxLength: 20}
        priority: {type: integer, minimum: 1, maximum: 5, default: 3}
    Task:
      allOf:
        - $ref: '#/components/schemas/TaskIn'
        - type: object
          required: [id, status]
          properties:
            id: {type: integer}
            status: {type: string, enum: [open, done]}
    Page:
      type: object
      required: [items, limit]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Task'}
        limit: {type: integer}
        status: {type: string, nullable: true}
        requestId: {type: string, nullable: true}
        session: {type: string, nullable: true}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
"""

VAULT = """
openapi: 3.1.0
info:
  title: Vault
  version: 1.0.0
security:
  - bearerAuth: []
tags:
  - name: vault
paths:
  /public:
    get:
      operationId: getPublic
      tags: [vault]
      security: []
      responses:
        '200':
          description: Anyone
          content:
            text/plain:
              schema: {type: string}
  /whoami:
    get:
      operationId: whoAmI
      tags: [vault]
      responses:
        '200':
          description: Global default security (bearer)
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
  /maybe:
    get:
      operationId: maybeUser
      tags: [vault]
      security:
        - {}
        - bearerAuth: []
      responses:
        '200':
          description: Optional
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
  /basic:
    get:
      operationId: basicOnly
      tags: [vault]
      security:
        - basicAuth: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
  /keys:
    get:
      operationId: anyKey
      tags: [vault]
      security:
        - headerKey: []
        - queryKey: []
        - cookieKey: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
  /both:
    get:
      operationId: keyAndToken
      tags: [vault]
      security:
        - headerKey: []
          bearerAuth: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
  /secrets:
    get:
      operationId: readSecrets
      tags: [vault]
      security:
        - oauth: [secrets:read]
        - oidc: [secrets:read]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Identity'}
    delete:
      operationId: purgeSecrets
      tags: [vault]
      security:
        - oauth: [secrets:read, secrets:admin]
      responses:
        '204':
          description: Purged
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    basicAuth: {type: http, scheme: basic}
    headerKey: {type: apiKey, in: header, name: X-API-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
    cookieKey: {type: apiKey, in: cookie, name: vault_key}
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example.com/authorize
          tokenUrl: https://auth.example.com/token
          scopes: {'secrets:read': Read, 'secrets:admin': Administer}
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {'secrets:read': Read}
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://auth.example.com/.well-known/openid-configuration
  schemas:
    Identity:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""

BODIES = """
openapi: 3.1.0
info: {title: Bodies, version: '1'}
paths:
  /form:
    post:
      operationId: submitForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 2}
                age: {type: integer}
      responses:
        '200':
          description: echo
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  age: {type: [integer, 'null']}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                note: {type: string}
      responses:
        '200':
          description: summary
          content:
            text/plain:
              schema: {type: string}
  /blob:
    put:
      operationId: putBlob
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '200':
          description: echoed reversed
          headers:
            X-Size:
              schema: {type: integer}
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
  /text:
    post:
      operationId: shout
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string}
      responses:
        '200':
          description: upper
          content:
            text/plain:
              schema: {type: string}
"""

HATCH = """
openapi: 3.1.0
info: {title: Hatch, version: '1'}
paths:
  /hello:
    get:
      operationId: hello
      tags: [greeter]
      parameters:
        - name: name
          in: query
          schema: {type: string, default: world}
      responses:
        '200':
          description: greeting
          content:
            application/json:
              schema:
                type: object
                required: [greeting]
                properties:
                  greeting: {type: string}
"""

# Invalid only in harmless ways: defaults that break their own schemas, a misplaced example.
LENIENT = """
openapi: 3.0.3
info: {title: Lenient, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: flag, in: query, schema: {type: boolean, default: 'false'}}
        - {name: size, in: query, schema: {type: integer, minimum: 1, default: 0}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        name: {type: string, default: null}
        kind: {type: string, xml: {attribute: true, example: k}}
        count: {type: integer, default: 3}
"""

# Spec text that would break naive code generation: quotes, backslashes, Jinja syntax.
# Kept in a file because it holds every kind of Python string quote.
TRICKY = (Path(__file__).parent / "tricky.yaml").read_text(encoding="utf-8")
