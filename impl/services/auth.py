"""Accounts, tokens and authentication of every credential type."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import User
from impl.errors import Conflict, InvalidGrant
from impl.repositories import api_keys, refresh_tokens, users
from impl.security.api_keys import parse_prefix, verify_api_key
from impl.security.passwords import Passwords
from impl.security.principal import Principal, scopes_for
from impl.security.tokens import AccessTokens, InvalidToken, digest_refresh_token, new_refresh_token
from impl.services.emails import checked_email


@dataclass(frozen=True, slots=True)
class TokenPair:
    """Mirrors the contract's `TokenResponse`."""

    access_token: str
    refresh_token: str
    expires_in: int
    scope: str
    token_type: str = "Bearer"


class InvalidScope(InvalidGrant):
    code = "invalid_scope"


class UnsupportedGrantType(InvalidGrant):
    code = "unsupported_grant_type"


class AuthService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        passwords: Passwords,
        access_tokens: AccessTokens,
        refresh_ttl: timedelta,
        admin_emails: frozenset[str] = frozenset(),
    ) -> None:
        self.session = session
        self.passwords = passwords
        self.access_tokens = access_tokens
        self.refresh_ttl = refresh_ttl
        self.admin_emails = admin_emails

    async def register(self, *, email: str, password: str, display_name: str) -> User:
        email = checked_email(email)
        if await users.email_taken(self.session, email):
            raise Conflict("This email address is already registered.", code="email_taken")
        password_hash = await self.passwords.hash_async(password)
        return await users.add(
            self.session,
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            is_admin=users.normalize_email(email) in self.admin_emails,
        )

    async def token(
        self,
        *,
        grant_type: str,
        username: str | None = None,
        password: str | None = None,
        refresh_token: str | None = None,
        scope: str | None = None,
    ) -> TokenPair:
        """The OAuth2 token endpoint (RFC 6749 §4.3 and §6)."""
        if grant_type == "password":
            if not username or not password:
                raise InvalidGrant("username and password are required.", code="invalid_request")
            return await self.password_grant(username, password, scope)
        if grant_type == "refresh_token":
            if not refresh_token:
                raise InvalidGrant("refresh_token is required.", code="invalid_request")
            return await self.refresh_grant(refresh_token, scope)
        raise UnsupportedGrantType(f"Grant type {grant_type!r} is not supported.")

    async def password_grant(self, username: str, password: str, scope: str | None) -> TokenPair:
        user = await users.get_by_email(self.session, username)
        result = await self.passwords.verify_async(user.password_hash if user else None, password)
        if user is None or not result.ok or not user.is_active:
            raise InvalidGrant("The email or password is wrong.")
        if result.new_hash is not None and not await users.replace_password_hash(
            self.session, user, verified=user.password_hash, new=result.new_hash
        ):
            # Changed since it was verified: this password is no longer the account's.
            raise InvalidGrant("The email or password is wrong.")
        granted = _grant(scope, scopes_for(is_admin=user.is_admin))
        return await self._issue(user, granted, family_id=uuid.uuid4())

    async def refresh_grant(self, token: str, scope: str | None) -> TokenPair:
        """Rotate a refresh token. Presenting a spent or revoked token revokes its whole family
        (RFC 9700 §4.14.2): either a thief or the victim holds a copy, and we cannot tell which.
        The revocation is committed before the error is raised, so it survives the rollback."""
        now = datetime.now(UTC)
        stored = await refresh_tokens.get_by_hash(self.session, digest_refresh_token(token))
        if stored is None:
            raise InvalidGrant("The refresh token is invalid.")
        if (
            stored.used_at is not None
            or stored.revoked_at is not None
            or not await refresh_tokens.mark_used(self.session, stored.id, now)
        ):
            await refresh_tokens.revoke_family(self.session, stored.family_id, now)
            await self.session.commit()
            raise InvalidGrant("The refresh token was already used; this login has been ended.")
        if stored.expires_at <= now:
            raise InvalidGrant("The refresh token has expired.")
        user = await users.get(self.session, stored.user_id)
        if user is None or not user.is_active:
            raise InvalidGrant("The account is not active.")
        granted_before = frozenset(stored.scope.split())
        granted = (
            _grant(scope, granted_before & scopes_for(is_admin=user.is_admin))
            if scope
            else (granted_before & scopes_for(is_admin=user.is_admin))
        )
        return await self._issue(user, granted, family_id=stored.family_id)

    async def logout(self, token: str) -> None:
        """End the login the refresh token belongs to. Unknown tokens are ignored (RFC 7009)."""
        stored = await refresh_tokens.get_by_hash(self.session, digest_refresh_token(token))
        if stored is not None:
            await refresh_tokens.revoke_family(self.session, stored.family_id, datetime.now(UTC))

    async def authenticate_bearer(self, token: str) -> Principal:
        """Access token → principal; the account must still be active."""
        claims = self.access_tokens.verify(token)
        user = await users.get(self.session, claims.user_id)
        if user is None or not user.is_active:
            raise InvalidToken("The account behind this token is not active.")
        if claims.session_id is not None and await refresh_tokens.family_revoked(
            self.session, claims.session_id
        ):
            raise InvalidToken(
                "This login has ended (logout, a password change or a reused refresh token)."
            )
        return Principal(
            user_id=user.id,
            scopes=claims.scopes & scopes_for(is_admin=user.is_admin),
            method="bearer",
            credential_id=claims.jti,
            is_admin=user.is_admin,
        )

    async def authenticate_api_key(self, key: str) -> Principal:
        prefix = parse_prefix(key)
        stored = await api_keys.get_by_prefix(self.session, prefix) if prefix else None
        now = datetime.now(UTC)
        if (
            stored is None
            or not verify_api_key(key, stored.key_hash)
            or stored.revoked_at is not None
            or (stored.expires_at is not None and stored.expires_at <= now)
        ):
            raise InvalidToken("The API key is invalid, expired or revoked.")
        user = await users.get(self.session, stored.user_id)
        if user is None or not user.is_active:
            raise InvalidToken("The account behind this API key is not active.")
        if stored.last_used_at is None or now - stored.last_used_at > timedelta(minutes=1):
            await api_keys.touch(self.session, stored.id, now)  # throttled: not a write per request
        return Principal(
            user_id=user.id,
            scopes=frozenset(stored.scopes) & scopes_for(is_admin=user.is_admin),
            method="api_key",
            credential_id=str(stored.id),
            is_admin=user.is_admin,
        )

    async def _issue(
        self, user: User, scopes: frozenset[str], *, family_id: uuid.UUID
    ) -> TokenPair:
        plaintext, digest = new_refresh_token()
        scope = " ".join(sorted(scopes))
        await refresh_tokens.add(
            self.session,
            user_id=user.id,
            family_id=family_id,
            token_hash=digest,
            scope=scope,
            expires_at=datetime.now(UTC) + self.refresh_ttl,
        )
        return TokenPair(
            access_token=self.access_tokens.issue(user.id, scopes, session_id=family_id),
            refresh_token=plaintext,
            expires_in=int(self.access_tokens.ttl.total_seconds()),
            scope=scope,
        )


def _grant(requested: str | None, allowed: frozenset[str]) -> frozenset[str]:
    if not requested:
        return allowed
    wanted = frozenset(requested.split())
    if not wanted <= allowed:
        names = ", ".join(sorted(wanted - allowed))
        raise InvalidScope(f"Scope(s) not available to this account: {names}.")
    return wanted
