"""Password hashing with argon2id (argon2-cffi), including rehash-on-verify.

Hashing is deliberately slow (tens of milliseconds), so async callers should go through the
`*_async` variants, which run it in a worker thread instead of blocking the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    new_hash: str | None = None
    """Set when the stored hash used outdated parameters: store this one instead."""


class Passwords:
    """Hash and verify passwords. The plaintext never leaves this object."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        # Verified against when the account does not exist, so the response time does not
        # reveal which emails are registered.
        self._dummy_hash = self._hasher.hash("not a real password")

    @classmethod
    def fast_for_tests(cls) -> Passwords:
        """Minimal-cost parameters; never use outside tests."""
        return cls(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> Verification:
        try:
            self._hasher.verify(stored_hash or self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verification(ok=False)
        if stored_hash is None:
            return Verification(ok=False)
        if self._hasher.check_needs_rehash(stored_hash):
            return Verification(ok=True, new_hash=self._hasher.hash(password))
        return Verification(ok=True)

    async def hash_async(self, password: str) -> str:
        return await asyncio.to_thread(self.hash, password)

    async def verify_async(self, stored_hash: str | None, password: str) -> Verification:
        return await asyncio.to_thread(self.verify, stored_hash, password)
