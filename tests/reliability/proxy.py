"""A switchable TCP proxy for fault tests: forward, black-hole, or refuse.

`FaultProxy` listens on 127.0.0.1 and relays every connection to an upstream server (the test
PostgreSQL or Redis). `blackhole()` stops relaying in both directions without closing anything:
what a dead router or a frozen server looks like to a client, which then waits for its own
timeouts. New connections are accepted but never reach the upstream. `refuse()` closes every
connection and refuses new ones (a crashed server). `restore()` goes back to forwarding; bytes held
during a black hole flow again.

It runs on its own event loop in a thread, so it serves an in-process app and subprocess servers
alike.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Literal

Mode = Literal["forward", "blackhole", "refuse"]
_CHUNK = 64 * 1024


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode: Mode = "forward"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def forward(self) -> None:
        self._switch("forward")

    restore = forward

    def blackhole(self) -> None:
        self._switch("blackhole")

    def refuse(self) -> None:
        self._switch("refuse")

    def _switch(self, mode: Mode) -> None:
        asyncio.run_coroutine_threadsafe(self._set(mode), self._loop).result(timeout=10)

    async def _set(self, mode: Mode) -> None:
        self.mode = mode
        if mode == "forward":
            self._flowing.set()
        else:
            self._flowing.clear()
        if mode == "refuse":
            for writer in list(self._writers):
                writer.transport.abort()

    def _refusing(self) -> bool:
        return self.mode == "refuse"  # read again after every wait: another switch may have come

    async def _start(self) -> None:
        self._flowing.set()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "refuse":
            writer.transport.abort()
            return
        self.connections += 1
        self._writers.add(writer)
        try:
            await self._flowing.wait()  # a black hole holds new connections too
            if self._refusing():
                return
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            self._writers.add(up_writer)
            try:
                await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
            finally:
                self._writers.discard(up_writer)
                up_writer.transport.abort()
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(_CHUNK)
                if not data:
                    break
                await self._flowing.wait()
                if self._refusing():
                    break
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.transport.abort()
