"""File storage for attachments and exports: one interface, two backends, streamed both ways.

`Storage` is what services use: `save` consumes an async iterable of chunks (an upload, or an
export's CSV rows) and `open` hands back an async iterator of chunks, so no file is ever held
whole in memory. `storage_from_settings` picks the backend from `STORAGE_URL`:

- a local path or `file://` URL (default: `STORAGE_DIR`, `./var/files`): `LocalStorage`, a
  directory on disk. Writes go to a temporary file renamed into place, so readers never see
  half a file. Several hosts need a shared file system for it; prefer S3.
- `s3://bucket/prefix`: `S3Storage`, any service speaking the S3 API, through obstore (a
  maintained, typed, Rust-backed client: ranged `get`, multipart `put` from an async
  iterable, aborted when the iterable raises; chosen over aiobotocore for those and for
  needing no session or body-wrapping code here). Endpoint, credentials and region come
  from the usual environment variables (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
  `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, ...). An object appears only once its upload
  completes, so readers never see half of one either.

Keys are random, sharded two levels deep, and never derived from user input, so a file name
can never escape the directory or prefix. Every wait on the backend is bounded
(`STORAGE_TIMEOUT_SECONDS`): past it, or when the backend refuses, `StorageUnavailable` is
raised, which the HTTP layer answers with 503.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import glob
import hashlib
import os
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit

from impl.errors import PayloadTooLarge

if TYPE_CHECKING:
    from obstore import GetOptions
    from obstore.store import ClientConfig, RetryConfig, S3Store

    from impl.settings import Settings

CHUNK_BYTES = 64 * 1024
"""Size of the chunks a download is streamed in from local disk."""
RANGE_BYTES = 256 * 1024
"""Size of the ranges an S3 download is read in (one request each)."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StoredBlob:
    key: str
    size: int
    sha256: str


class StorageUnavailable(Exception):
    """The storage backend did not answer in time, or refused: the request answers 503."""


class BlobMissing(LookupError):
    """No stored file under that key (deleted meanwhile, or lost)."""


class Chunks(AsyncIterator[bytes]):
    """An opened file's bytes, chunk by chunk; released at the end, or by `aclose()`."""

    async def aclose(self) -> None:
        return None


class _FileChunks(Chunks):
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    async def __anext__(self) -> bytes:
        chunk = (
            await asyncio.to_thread(self.handle.read, CHUNK_BYTES)
            if not self.handle.closed
            else b""
        )
        if not chunk:
            self.handle.close()
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        self.handle.close()


def new_key() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name[2:4]}/{name}"


class _Limited:
    """Counts and hashes the chunks passing through; past `max_bytes`, raises 413."""

    def __init__(self, chunks: AsyncIterable[bytes], max_bytes: int | None) -> None:
        self.chunks = chunks
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()
        self.error: Exception | None = None

    async def __aiter__(self) -> AsyncGenerator[bytes, None]:
        try:
            async for chunk in self.chunks:
                if not chunk:
                    continue
                self.size += len(chunk)
                if self.max_bytes is not None and self.size > self.max_bytes:
                    raise PayloadTooLarge(f"The file is larger than {self.max_bytes} bytes.")
                self.digest.update(chunk)
                yield bytes(chunk)
        except Exception as exc:
            self.error = exc  # the source's failure (or 413), not the backend's
            raise

    def blob(self, key: str) -> StoredBlob:
        return StoredBlob(key=key, size=self.size, sha256=self.digest.hexdigest())


class Storage(ABC):
    """Where files live. Implementations stream: nothing here reads a whole file."""

    timeout: float

    def new_key(self) -> str:
        """A fresh random key, for callers that must know it before writing (exports)."""
        return new_key()

    @abstractmethod
    async def save(
        self,
        chunks: AsyncIterable[bytes],
        *,
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredBlob:
        """Stream `chunks` to a new file (under `key`, or a new one); past `max_bytes`,
        discard it and raise 413. If anything fails, nothing is left under the key."""

    @abstractmethod
    async def open(self, key: str) -> Chunks:
        """The file's bytes in bounded chunks. Opens it before returning, so a missing file
        (`BlobMissing`) or an unavailable backend surfaces here, before a response starts."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Delete the file if it exists."""

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    async def save_bytes(self, data: bytes, *, key: str | None = None) -> StoredBlob:
        async def one() -> AsyncIterator[bytes]:
            yield data

        return await self.save(one(), key=key)

    async def _bounded(self, awaitable: Awaitable[_T]) -> _T:
        try:
            async with asyncio.timeout(self.timeout):
                return await awaitable
        except TimeoutError as exc:
            raise StorageUnavailable("storage did not answer in time") from exc


def decode_utf8(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    """Decode a UTF-8 byte stream chunk by chunk (a character split between chunks is kept
    for the next one)."""

    async def decoded() -> AsyncIterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        async for chunk in chunks:
            if text := decoder.decode(chunk):
                yield text
        if tail := decoder.decode(b"", final=True):
            yield tail

    return decoded()


class LocalStorage(Storage):
    """A directory on local (or shared) disk; file I/O runs in worker threads."""

    def __init__(self, root: Path, *, timeout: float = 30.0) -> None:
        self.root = root.expanduser().resolve()
        self.timeout = timeout

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"invalid storage key {key!r}")
        return path

    async def save(
        self,
        chunks: AsyncIterable[bytes],
        *,
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredBlob:
        key = key or new_key()
        path = self.path(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.part")
        limited = _Limited(chunks, max_bytes)
        handle: IO[bytes] = await asyncio.to_thread(partial.open, "wb")
        try:
            async for chunk in limited:
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(handle.close)
            await asyncio.to_thread(os.replace, partial, path)
        except BaseException:
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        return limited.blob(key)

    async def open(self, key: str) -> Chunks:
        try:
            handle: IO[bytes] = await asyncio.to_thread(self.path(key).open, "rb")
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc
        return _FileChunks(handle)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        """Delete the file, and what a write under its key left unfinished: a process killed
        in the middle of `save` (`kill -9`, a lost host) leaves its `.part` file, and the
        deletion of the key it was writing (an export's next attempt records it) is the one
        moment anything knows that file is there."""
        path = self.path(key)

        def remove() -> None:
            for partial in path.parent.glob(f"{glob.escape(path.name)}.*.part"):
                partial.unlink(missing_ok=True)
            path.unlink(missing_ok=True)

        await asyncio.to_thread(remove)


class S3Storage(Storage):
    """Objects in an S3 bucket (AWS or any S3-compatible service), under a prefix.

    Every request carries a body this process holds whole (a part of at most `part_bytes`
    going up, a range of `RANGE_BYTES` coming down), so each is bounded as a whole by
    `timeout`. Uploads go in parts of `part_bytes` with at most `part_concurrency` in
    flight: that is the memory an upload costs. A file smaller than one part is one PUT;
    downloads read one range at a time, as fast as the client takes them."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        part_bytes: int = 5 * 1024 * 1024,
        part_concurrency: int = 2,
    ) -> None:
        from obstore.store import S3Store

        self.url = url
        self.timeout = timeout
        self.part_bytes = part_bytes
        self.part_concurrency = part_concurrency
        endpoint = (
            os.environ.get("AWS_ENDPOINT_URL_S3")
            or os.environ.get("AWS_ENDPOINT_URL")
            or os.environ.get("AWS_ENDPOINT")
            or ""
        )
        bound = timedelta(seconds=timeout)
        retry: RetryConfig = {"max_retries": 2, "retry_timeout": bound}
        options: ClientConfig = {
            "connect_timeout": bound,
            "timeout": bound,
            "allow_http": endpoint.startswith("http://"),
        }
        self._store: S3Store = S3Store.from_url(url, client_options=options, retry_config=retry)

    async def save(
        self,
        chunks: AsyncIterable[bytes],
        *,
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredBlob:
        import obstore

        key = key or new_key()
        limited = _Limited(chunks, max_bytes)
        stream = limited.__aiter__()
        head = bytearray()
        try:
            async for chunk in stream:
                head += chunk
                if len(head) >= self.part_bytes:
                    break
            else:  # the whole file fits in one part: one PUT
                await self._s3(obstore.put_async(self._store, key, bytes(head)))
                return limited.blob(key)

            async def rest() -> AsyncIterator[bytes]:
                yield bytes(head)
                head.clear()
                async for chunk in stream:
                    yield chunk

            # Aborted by obstore when `rest()` raises (413, client gone): no object appears.
            try:
                await self._s3(
                    obstore.put_async(
                        self._store,
                        key,
                        rest(),
                        chunk_size=self.part_bytes,
                        max_concurrency=self.part_concurrency,
                    ),
                    bounded=False,  # each part's request is bounded by the client's timeout
                )
            except Exception:
                if limited.error is not None:
                    raise limited.error from None
                raise
        finally:
            await stream.aclose()
        return limited.blob(key)

    async def open(self, key: str) -> Chunks:
        import obstore

        try:
            meta = await self._s3(obstore.head_async(self._store, key))
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc
        return _ObjectChunks(self, key, meta["size"], meta["e_tag"])

    async def exists(self, key: str) -> bool:
        import obstore

        try:
            await self._s3(obstore.head_async(self._store, key))
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        import obstore

        with contextlib.suppress(FileNotFoundError):
            await self._s3(obstore.delete_async(self._store, key))

    async def _s3(self, awaitable: Awaitable[_T], *, bounded: bool = True) -> _T:
        """Await an obstore call: a missing object stays `FileNotFoundError`, a 413 or a
        caller's error passes through, and every other failure (timeouts, refused or
        dropped connections, 5xx after retries) becomes `StorageUnavailable`."""
        from obstore.exceptions import BaseError

        try:
            return await (self._bounded(awaitable) if bounded else awaitable)
        except (FileNotFoundError, StopAsyncIteration, StorageUnavailable):
            raise
        except BaseError as exc:
            raise StorageUnavailable(f"storage error: {type(exc).__name__}") from exc
        except (TimeoutError, ConnectionError) as exc:
            raise StorageUnavailable(f"storage error: {type(exc).__name__}") from exc


class _ObjectChunks(Chunks):
    """An object read in ranges of `RANGE_BYTES`, one request each, and only as fast as the
    client takes them: a streamed GET would let the HTTP client read ahead (hyper buffers up
    to ~400 KiB per connection, which obstore does not let us bound), so 64 slow downloads
    would hold ~100 MiB instead of a few. Each range must come from the version that was
    opened (`If-Match` on its ETag); one that changed or vanished ends the response early."""

    def __init__(self, storage: S3Storage, key: str, size: int, etag: str | None) -> None:
        self.storage, self.key, self.size, self.etag = storage, key, size, etag
        self.offset = 0

    async def __anext__(self) -> bytes:
        import obstore

        if self.offset >= self.size:
            raise StopAsyncIteration
        end = min(self.offset + RANGE_BYTES, self.size)
        options: GetOptions = {"range": (self.offset, end)}
        if self.etag:
            options["if_match"] = self.etag
        result = await self.storage._s3(
            obstore.get_async(self.storage._store, self.key, options=options)
        )
        chunk = bytes(await self.storage._s3(result.bytes_async()))
        self.offset += len(chunk)
        if not chunk:
            raise StopAsyncIteration
        return chunk


def storage_from_settings(settings: Settings) -> Storage:
    """`STORAGE_URL` (`s3://bucket/prefix`, `file:///path` or a path), else `STORAGE_DIR`."""
    url = settings.storage_url
    timeout = settings.storage_timeout_seconds
    if url is None:
        return LocalStorage(settings.storage_dir, timeout=timeout)
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("s3", "s3a"):
        return S3Storage(url, timeout=timeout)
    if scheme == "file":
        return LocalStorage(Path(unquote(urlsplit(url).path)), timeout=timeout)
    if scheme and len(scheme) > 1:  # a Windows drive letter is not a scheme
        raise ValueError(f"STORAGE_URL: unsupported scheme {scheme!r}; use s3:// or file://")
    return LocalStorage(Path(url), timeout=timeout)
