"""Resolve secret references (env, command, keyring) to values, with errors that never show them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import signal
import subprocess
import threading
from typing import Any

from crmtui.errors import ConfigError
from crmtui.model.sanitize import inert
from crmtui.profiles.model import CommandRef, EnvRef, KeyringRef, ProfileBase

COMMAND_TIMEOUT = 15.0
"""Seconds a `{ command = ... }` may take (long enough to type a passphrase into pinentry)."""
KEYRING_TIMEOUT = 3.0
"""Seconds a keyring lookup may take; a locked or unreachable keyring must not hang crmtui."""

# Digests of values resolved from references in this process, so that the writer can refuse to
# write one back to a file. Digests, not values: this set may outlive the session that needed them.
_RESOLVED: set[str] = set()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def was_resolved(value: str) -> bool:
    """Whether `value` came from a secret reference resolved in this process."""
    return _digest(value) in _RESOLVED


def resolve(
    ref: str | EnvRef | CommandRef | KeyringRef,
    *,
    where: str,
    command_timeout: float = COMMAND_TIMEOUT,
    keyring_timeout: float = KEYRING_TIMEOUT,
) -> str:
    """The secret `ref` stands for; ConfigError naming `where` (never the value) if unavailable.

    `where` reads like "profile 'x', key 'secret_key'".
    """
    if isinstance(ref, str):
        return ref
    if isinstance(ref, EnvRef):
        value = _from_env(ref, where)
    elif isinstance(ref, CommandRef):
        value = _from_command(ref, where, command_timeout)
    else:
        value = _from_keyring(ref, where, keyring_timeout)
    _RESOLVED.add(_digest(value))
    return value


def resolve_profile(profile: ProfileBase) -> dict[str, str]:
    """key -> resolved secret, for every secret key the profile sets."""
    return {
        key: resolve(ref, where=f"profile {profile.name!r}, key {key!r}")
        for key, ref in profile.secret_refs().items()
    }


def _from_env(ref: EnvRef, where: str) -> str:
    value = os.environ.get(ref.env)
    if not value:
        state = "is empty" if value == "" else "is not set"
        raise ConfigError(f"{where}: environment variable {inert(ref.env)} {state}")
    return value


def _from_command(ref: CommandRef, where: str, timeout: float) -> str:
    """The command's standard output, trimmed.

    Its error output is read but never shown: a tool may echo the secret when it fails. It runs
    in a session of its own, so a hung one is killed with everything it started.
    """
    words = shlex.split(ref.command)
    program = inert(words[0]) if words else ""
    try:
        process = subprocess.Popen(
            words,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ConfigError(f"{where}: command not found: {program}") from None
    except PermissionError:
        raise ConfigError(f"{where}: command is not executable: {program}") from None
    except OSError as exc:
        raise ConfigError(f"{where}: command {program} could not run ({exc.strerror})") from None
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConfigError(
            f"{where}: command {program} did not finish in {timeout:g} s; it was stopped, "
            "with every process it started"
        ) from None
    finally:
        if process.poll() is None:  # interrupted (Ctrl-C): leave nothing running
            _kill_group(process)
    if process.returncode != 0:
        raise ConfigError(
            f"{where}: command {program} failed with exit status {process.returncode} (its "
            "error output is not shown: it may hold the secret; run the command yourself to see it)"
        )
    try:
        value = out.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: command {program} printed text that is not UTF-8") from None
    if not value:
        raise ConfigError(f"{where}: command {program} printed nothing")
    return value


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the command's whole process group (it leads it), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=5)


def _from_keyring(ref: KeyringRef, where: str, timeout: float) -> str:
    fallback = 'use { env = "NAME" } or { command = "..." } instead'
    try:
        import keyring
    except ImportError:
        raise ConfigError(
            f"{where}: keyring references need the optional keyring package "
            f"(pip install 'crmtui[keyring]'); or {fallback}"
        ) from None
    service, user = ref.parts()
    box: dict[str, Any] = {}

    def lookup() -> None:
        try:
            box["value"] = keyring.get_password(service, user)
        except Exception as exc:  # any backend failure becomes a clear message below
            box["error"] = exc

    # A daemon thread, not an executor: a hung keyring must not keep the process from exiting.
    worker = threading.Thread(target=lookup, name="crmtui-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ConfigError(
            f"{where}: the keyring did not answer in {timeout:g} s (locked, or no session bus "
            f"over SSH?); {fallback}"
        )
    if "error" in box:
        exc = box["error"]
        detail = f"{type(exc).__name__}: {inert(str(exc))[:200]}"
        raise ConfigError(f"{where}: the keyring failed ({detail}); {fallback}")
    value = box.get("value")
    if not isinstance(value, str) or not value:
        raise ConfigError(
            f"{where}: no keyring entry for service {inert(service)!r}, user {inert(user)!r}"
        )
    return value


def masked(profile: ProfileBase) -> dict[str, Any]:
    """The profile as TOML-ready data, literal secrets as "***" and references as they are."""
    data = profile.model_dump(mode="json", exclude={"name"}, exclude_none=True)
    for key, value in profile.secret_refs().items():
        if isinstance(value, str) and key not in profile.PLAIN_KEYS:
            data[key] = "***"
    return data
