"""From a validated, bundled OpenAPI document to the IR (``specfirst.ir``), in two passes.

Pass 1 names every schema and writes the models document; datamodel-code-generator turns it
into ``models.py``; pass 2 reads the operations into the IR against the classes that exist.
:class:`ApiParser` runs both; each module below answers one question.

- ``api_parser``: :class:`ApiParser`, which composes the two passes (``models_document``,
  ``set_models``, ``build``).
- ``context``: the document, its ``$ref`` lookups, its operations and webhooks, and the
  diagnostics sink that every part shares.

Pass 1, the models document:

- ``operation_names``: what each operation, webhook and callback is called in Python.
- ``models_document``: component class names, inline schemas hoisted under derived names,
  and the schemas-only document.
- ``read_write``: request and response shapes for schemas that readOnly/writeOnly split.
- ``refs``: ``$ref``s to component schemas, found, renamed and escaped.

Pass 2, the IR:

- ``model_types``: the Python type a schema gets (a model's request or response shape, or a
  primitive).
- ``operations``: one operation, composed from the parts below; what it may return bare.
- ``parameters``: path, query, header and cookie parameters.
- ``routes``: the path an operation is served at; operations another one shadows.
- ``bodies``: request bodies, JSON, text, binary, form and multipart fields.
- ``responses``: responses and their headers.
- ``errors``: the declared error responses the runtime's own answers follow, and the
  ``ErrorFormats`` hook method for each error body.
- ``security``: security schemes and each operation's requirements.
- ``senders``: webhooks and callbacks, and the senders the app calls them with.
- ``services``: operations grouped by tag into services.
- ``media``: media types: which body kind each is, streams, binary schemas.
"""

from specfirst.parser.api_parser import ApiParser
from specfirst.parser.services import service_tag

__all__ = ["ApiParser", "service_tag"]
