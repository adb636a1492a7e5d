"""Encryption at rest for what detainees told a visiting team: interview notes, allegation narratives.

Fernet (AES-128-CBC with an HMAC-SHA256 tag, from the ``cryptography`` package): a token that was
altered, or that was made with another key, fails its tag check, so a wrong key is an error, never
garbage. Keys come from ``settings.HABEAS_NOTES_KEY``: comma-separated, the first encrypts, every one
decrypts (``MultiFernet``), so a new key can be put first while old notes stay readable, and
``notes_rotate`` re-encrypts them under it. Outside production an unset key is read from
``settings.HABEAS_NOTES_KEY_FILE`` (``habeas visits key --ensure`` writes it once, as scripts/run does).

Nothing here falls back to plaintext: without a usable key, writing and reading notes both refuse.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

SETTING = "HABEAS_NOTES_KEY"


class NotesKeyError(Exception):
    """The notes key is missing or malformed, or does not open the stored notes. The message names the
    setting, and never includes a key or a note."""


def _configured_keys() -> tuple[str, ...]:
    value = (getattr(settings, SETTING, "") or "").strip()
    if not value and not getattr(settings, "PRODUCTION", False):
        path = getattr(settings, "HABEAS_NOTES_KEY_FILE", None)
        if path is not None and Path(path).is_file():
            value = Path(path).read_text(encoding="ascii", errors="replace").strip()
    return tuple(k.strip() for k in value.split(",") if k.strip())


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError) as error:
            raise NotesKeyError(
                f"{SETTING}: key number {position} is not a Fernet key (32 bytes, url-safe base64; "
                f"make one with `habeas visits key --generate`)"
            ) from error
    return MultiFernet(fernets)


def notes_cipher() -> MultiFernet:
    """The configured keys, or NotesKeyError naming the setting."""
    keys = _configured_keys()
    if not keys:
        where = (
            ""
            if getattr(settings, "PRODUCTION", False)
            else f" and {settings.HABEAS_NOTES_KEY_FILE} is absent"
        )
        raise NotesKeyError(
            f"{SETTING} is not set{where}: interview notes cannot be encrypted or read. "
            f"Set {SETTING} to the key they were written with "
            "(`habeas visits key --generate` makes a new one)."
        )
    return _fernet(keys)


def encrypt(text: str) -> str:
    """The token for ``text`` (empty text stays empty: there is nothing to protect)."""
    if not text:
        return ""
    return notes_cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token, or NotesKeyError when no configured key opens it."""
    if not token:
        return ""
    try:
        return notes_cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise NotesKeyError(
            f"{SETTING} does not open these notes: they were encrypted with another key, or altered. "
            f"Put the key they were written with in {SETTING} (comma-separated, after the current one)."
        ) from error


def rotate(token: str) -> str:
    """The token re-encrypted under the first key (the text is never returned)."""
    if not token:
        return ""
    try:
        return notes_cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise NotesKeyError(
            f"{SETTING} does not open these notes, so they cannot be re-encrypted."
        ) from error


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def ensure_key_file(path: Path) -> bool:
    """Write a new key to ``path`` (mode 0600) unless a file is there. Returns whether it wrote one."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two first runs at once cannot both write, and one cannot overwrite the other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(generate_key() + "\n")
    return True
