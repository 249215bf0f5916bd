"""How a run reaches the service under test: an ASGI app in-process, or a live server.

For ``app``, :func:`like_a_server` makes the app answer an unhandled exception with a 500 as
a server does, and :func:`_session` is schemathesis' in-process client (entering it runs the
app's lifespan); for ``url``, a plain ``requests`` session, and :func:`_wait_until_reachable`
gives a server that is still starting a few seconds. The hooks get the same session, so their
requests reach the same service the run tests.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from specfirst.contract.hooks import ContractError

if TYPE_CHECKING:
    import requests


def like_a_server(app: Any) -> Any:
    """``app`` behaving as it does under uvicorn: an exception becomes a 500, never a raise.

    Starlette re-raises an unhandled exception after answering 500, so that test clients see
    it; a server logs it instead. Without this an in-process run would stop at the exception
    rather than report the operation and the ``not_a_server_error`` check.
    """

    async def served(scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def tracking(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        try:
            await app(scope, receive, tracking)
        except Exception:
            if started:
                return  # the app already answered (its 500 problem); a server only logs this
            body = b"Internal Server Error"
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

    return served


def _session(app: Any) -> requests.Session:
    if app is not None:
        from schemathesis.python import asgi

        # Entering the client runs the app's lifespan, which schemathesis keeps for the process.
        return asgi.get_client(app)
    import requests

    return requests.Session()


def _wait_until_reachable(session: requests.Session, base_url: str, timeout: float = 5.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while True:
        try:
            session.get(base_url, timeout=2)
            return
        except requests.ConnectionError as exc:
            if time.monotonic() > deadline:
                raise ContractError(f"{base_url}: server not reachable: {exc}") from None
            time.sleep(0.2)
