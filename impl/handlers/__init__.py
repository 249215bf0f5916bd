"""HTTP adapters: one class per tag implementing the generated protocol.

Each class is built per request by FastAPI (its `__init__` parameters are dependencies: the
request's session, the runtime, the `Request`/`Response`). Methods stay thin: arguments →
one service call → the declared result class. Domain errors propagate to the handler
registered in `impl.http.problems`.
"""
