"""API keys of the form `sf_<prefix>_<secret>`.

The prefix (8 alphanumerics) is stored in clear and indexed, to find the key and to show it in
lists; the whole key is stored only as a SHA-256 digest. With 256 bits of secret, a fast hash
is enough (no dictionary to attack) and keeps verification cheap on every request; the digest
comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

_ALPHANUMERIC = string.ascii_letters + string.digits
_KEY_RE = re.compile(r"^(sf_[A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True, slots=True)
class GeneratedKey:
    plaintext: str
    """Shown to the user once, never stored."""
    prefix: str
    digest: str


def generate_api_key() -> GeneratedKey:
    prefix = "sf_" + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(8))
    plaintext = f"{prefix}_{secrets.token_urlsafe(32)}"
    return GeneratedKey(plaintext=plaintext, prefix=prefix, digest=digest_api_key(plaintext))


def parse_prefix(key: str) -> str | None:
    """The prefix of a well-formed key, or None: malformed keys never reach the database."""
    match = _KEY_RE.match(key)
    return match.group(1) if match else None


def digest_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def verify_api_key(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest_api_key(key), stored_digest)
