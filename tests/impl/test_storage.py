"""The storage interface, the same tests on both backends: local disk, and S3 (moto's server,
started by the test session). Every read and write is streamed in bounded chunks."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from impl.errors import PayloadTooLarge
from impl.settings import Settings
from impl.storage import (
    CHUNK_BYTES,
    BlobMissing,
    LocalStorage,
    S3Storage,
    Storage,
    StorageUnavailable,
    storage_from_settings,
)
from tests.impl.s3 import bucket_state

MIB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files", timeout=5)
    url = request.getfixturevalue("s3_url")
    return S3Storage(url, timeout=5)


def leftovers(storage: Storage, request: pytest.FixtureRequest) -> list[str]:
    """Every file or object (and unfinished multipart upload) the backend holds."""
    if isinstance(storage, LocalStorage):
        if not storage.root.exists():
            return []
        return [str(p) for p in storage.root.rglob("*") if p.is_file()]
    objects, uploads = bucket_state(
        request.getfixturevalue("moto_endpoint"), request.getfixturevalue("s3_url")
    )
    return objects + uploads


async def chunks_of(data: bytes, size: int = 100_000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read_all(storage: Storage, key: str) -> tuple[bytes, int]:
    data, largest = b"", 0
    async for chunk in await storage.open(key):
        largest = max(largest, len(chunk))
        data += chunk
    return data, largest


@pytest.mark.parametrize("size", [0, 5, 7 * MIB])  # empty, one PUT, a multipart upload
async def test_save_open_delete(
    backend: Storage, request: pytest.FixtureRequest, size: int
) -> None:
    data = os.urandom(size)
    blob = await backend.save(chunks_of(data), max_bytes=10 * MIB)
    assert blob.size == size and blob.sha256 == hashlib.sha256(data).hexdigest()
    read, largest = await read_all(backend, blob.key)
    assert read == data
    # Streamed in bounded chunks, never the whole file at once (S3: chunks of at least
    # CHUNK_BYTES, joined from what the network brings at once: a few hundred KiB at most).
    bound = CHUNK_BYTES if isinstance(backend, LocalStorage) else MIB
    assert largest <= min(bound, max(size, 1))
    assert await backend.exists(blob.key)
    await backend.delete(blob.key)
    await backend.delete(blob.key)  # idempotent
    assert not await backend.exists(blob.key)
    with pytest.raises(BlobMissing):
        await backend.open(blob.key)
    assert leftovers(backend, request) == []


@pytest.mark.parametrize("size", [20, 7 * MIB])
async def test_too_large_leaves_nothing_behind(
    backend: Storage, request: pytest.FixtureRequest, size: int
) -> None:
    with pytest.raises(PayloadTooLarge):
        await backend.save(chunks_of(os.urandom(size)), max_bytes=size - 1)
    assert leftovers(backend, request) == []


async def test_a_failing_stream_leaves_nothing_behind(
    backend: Storage, request: pytest.FixtureRequest
) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield os.urandom(6 * MIB)  # past one part: the S3 upload is multipart by now
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await backend.save(broken(), key=backend.new_key())
    assert leftovers(backend, request) == []


async def test_save_under_a_chosen_key(backend: Storage) -> None:
    key = backend.new_key()
    blob = await backend.save_bytes(b"a,b\r\n", key=key)
    assert blob.key == key
    assert (await read_all(backend, key))[0] == b"a,b\r\n"


async def test_an_unreachable_s3_is_storage_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    storage = S3Storage("s3://nowhere/files", timeout=1)
    with pytest.raises(StorageUnavailable):
        await storage.save_bytes(b"x")
    with pytest.raises(StorageUnavailable):
        await storage.open("aa/bb/cc")


def test_storage_url_picks_the_backend(tmp_path: Path, s3_url: str) -> None:
    def settings(**values: object) -> Settings:
        return Settings(_env_file=None, environment="test", jwt_secret="x" * 40, **values)  # type: ignore[arg-type]

    default = storage_from_settings(settings(storage_dir=tmp_path / "d"))
    assert isinstance(default, LocalStorage) and default.root == (tmp_path / "d").resolve()
    as_path = storage_from_settings(settings(storage_url=str(tmp_path / "p")))
    assert isinstance(as_path, LocalStorage) and as_path.root == (tmp_path / "p").resolve()
    as_file = storage_from_settings(settings(storage_url=f"file://{tmp_path}/f"))
    assert isinstance(as_file, LocalStorage) and as_file.root == (tmp_path / "f").resolve()
    assert isinstance(storage_from_settings(settings(storage_url=s3_url)), S3Storage)
    with pytest.raises(ValueError, match="unsupported scheme"):
        storage_from_settings(settings(storage_url="ftp://host/x"))


async def test_deleting_a_key_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    """A process killed (SIGKILL) in the middle of `save` cleans up nothing: its partial file
    stays. Deleting the key it was writing (what an export's next attempt does with the key
    the dead one recorded) deletes that partial file too, so nothing is orphaned."""
    root = tmp_path / "files"
    storage = LocalStorage(root, timeout=5)
    key = storage.new_key()
    writer = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from impl.storage import LocalStorage\n"
        "async def stalled():\n"
        "    yield b'x' * 100_000\n"
        "    print('writing', flush=True)\n"
        "    await asyncio.Event().wait()\n"
        "    yield b''\n"
        "asyncio.run(LocalStorage(Path(sys.argv[1])).save(stalled(), key=sys.argv[2]))\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", writer, str(root), key],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == b"writing\n"
        finally:
            process.kill()
    left = [p.name for p in root.rglob("*") if p.is_file()]
    assert len(left) == 1 and left[0].endswith(".part"), left  # what the kill left
    await storage.delete(key)
    assert [p for p in root.rglob("*") if p.is_file()] == []
    other = storage.new_key()
    await storage.save_bytes(b"kept", key=other)
    await storage.delete(key)  # again, and with another key's file beside: that one stays
    assert (await read_all(storage, other))[0] == b"kept"
