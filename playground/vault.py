"""The server's secret, and what it seals for a browser to keep (remembered keys).

Gradio's `BrowserState` encrypts in the page, with a secret it sends to the page in `/config`: that hides nothing
from whoever can read the page, and a random secret changes at every start, losing what browsers kept. So keys a
person asks to remember are sealed here first (Fernet: AES-128-CBC + HMAC-SHA256) with a secret that never leaves the
server, and BrowserState gets a stable secret derived from it. The server's secret comes from `PLAYGROUND_SECRET`
or, when unset, a random one created once in the data folder (`secret.key`, mode 0600).

What this protects against: someone reading the browser's storage on disk or through an extension learns no key.
What it does not: whoever uses that browser profile on this app gets the keys filled in, as the person would.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from .settings import Settings

FILE_NAME = "secret.key"


def server_secret(settings: Settings) -> bytes:
    if settings.secret:
        return hashlib.sha256(settings.secret.encode()).digest()
    path = Path(settings.data_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(descriptor, "w") as file:
        value = secrets.token_bytes(32)
        file.write(value.hex())
    return value


class Vault:
    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(hmac.new(secret, b"seal", hashlib.sha256).digest()))
        self.browser_secret = hmac.new(secret, b"browser-state", hashlib.sha256).hexdigest()[:32]

    @classmethod
    def of(cls, settings: Settings) -> Vault:
        return cls(server_secret(settings))

    def seal(self, value: Any) -> str:
        return self._fernet.encrypt(json.dumps(value).encode()).decode()

    def open(self, sealed: Any, default: Any = None) -> Any:
        """What `seal` sealed; `default` for anything else (tampered, from another server, or not sealed at all)."""
        if not isinstance(sealed, str) or len(sealed) > 100_000:
            return default
        try:
            return json.loads(self._fernet.decrypt(sealed.encode()))
        except (InvalidToken, ValueError):
            return default
