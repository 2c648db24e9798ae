"""A vendor's bearer token kept between runs, so a launch need not sign in again before its first
request (one round trip fewer on the way to the first rows, one call fewer of an hourly quota).

The file is private (0600, in the 0700 data dir), holds the token, its expiry and a tag of the
credentials it was issued for, and is used only if it is still private, owned by this user and
the profile's credentials still give the same tag (a changed password signs in again). The tag is
a salted, slow one-way digest (PBKDF2, about 10 ms): the file never holds a credential, nor a
quick hash of one. A backend drops the file when the vendor refuses the credentials. The token
itself is a secret: the backend adds it to the session's redactor before using it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from crmtui.files import write_json_atomic

MAX_SIZE = 64 * 1024  # a token file is a few hundred bytes: anything larger is not ours


def token_file_name(profile: str) -> str:
    """The file name of a profile's kept token (a safe, distinct name for any profile)."""
    digest = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:16]
    return f"token-{digest}.json"


ROUNDS = 20_000  # PBKDF2-SHA256 rounds of the credentials' tag: ~10 ms, off the event loop


def tag(credentials: Iterable[str], salt: bytes) -> str:
    """A one-way tag of the credentials a token was issued for (base URL, ids, secrets)."""
    material = json.dumps(list(credentials)).encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", material, salt, ROUNDS).hex()


class TokenFile:
    """One profile's kept token: `load` it, `save` a new one, `drop` it when refused."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, credentials: Sequence[str], margin: float = 0.0) -> tuple[str, float] | None:
        """(token, expiry) kept for these `credentials`, valid `margin` seconds more; else None.

        Blocking (a file read and the tag): call it in a thread."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not _private(info) or info.st_size > MAX_SIZE:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                body = json.loads(handle.read(MAX_SIZE))
        except (OSError, ValueError):
            return None
        finally:
            os.close(fd)
        if not isinstance(body, dict):
            return None
        token, expires, salt, kept_tag = (body.get(k) for k in ("token", "expires", "salt", "tag"))
        if not isinstance(token, str) or not token or not isinstance(expires, (int, float)):
            return None
        if not isinstance(salt, str) or not isinstance(kept_tag, str):
            return None
        if time.time() >= float(expires) - margin:
            return None
        try:
            mine = tag(credentials, bytes.fromhex(salt))
        except ValueError:
            return None
        if not hmac.compare_digest(mine, kept_tag):
            return None
        return token, float(expires)

    def save(self, credentials: Sequence[str], token: str, expires: float) -> None:
        """Keep `token` (mode 0600); a file that cannot be written only costs a sign-in later.

        Blocking (the tag and an fsync'd write): call it in a thread."""
        salt = os.urandom(16)
        body = {"token": token, "expires": expires, "salt": salt.hex()}
        body["tag"] = tag(credentials, salt)
        with contextlib.suppress(OSError):
            write_json_atomic(self.path, body, mode=0o600)

    def drop(self) -> None:
        """Forget the kept token (the vendor refused it, or the credentials changed)."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


def _private(info: os.stat_result) -> bool:
    """A regular file of this user that nobody else may read or write."""
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


@runtime_checkable
class KeepsToken(Protocol):
    """A backend that can reuse a token kept between runs (its profile may refuse to)."""

    def keep_token(self, store: TokenFile) -> None:
        """Use `store` to load and save this backend's token."""
