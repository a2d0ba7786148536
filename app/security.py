"""Passwords (argon2id), session and API tokens, CSRF and login rate limits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.models import utcnow

# argon2-cffi's defaults are the RFC 9106 "low memory" argon2id profile; configure_hashing
# replaces them with the settings' costs when the application starts.
password_hasher = PasswordHasher()

# Verified against when the user name is unknown, so that the answer takes as long as for
# a known user with a wrong password and does not reveal which names exist.
_DUMMY_HASH = password_hasher.hash("tandem-dummy-password")


def configure_hashing(time_cost: int, memory_kib: int, parallelism: int) -> None:
    global password_hasher, _DUMMY_HASH
    if (
        password_hasher.time_cost,
        password_hasher.memory_cost,
        password_hasher.parallelism,
    ) == (time_cost, memory_kib, parallelism):
        return
    password_hasher = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
    )
    _DUMMY_HASH = password_hasher.hash("tandem-dummy-password")


MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return password_hasher.verify(password_hash or _DUMMY_HASH, password) and (
            password_hash is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return password_hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored only as their SHA-256, so a database leak reveals no live token."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def session_expiry(days: int) -> datetime:
    return utcnow() + timedelta(days=days)
