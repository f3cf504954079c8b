"""The Ed25519 keys that sign certificates' Open Badges credentials and the status list.

Keys live in ``CREDENTIAL_KEYS_DIR`` (outside the repository; ``var/credential-keys`` under
``make run``), one PKCS#8 PEM file per key, mode 600, named by its key id, and a file
``active`` naming the key that signs now. Rotating adds a key and makes it active; the old
keys stay in the folder so their public halves are still published (``public_key_set``) and
credentials signed before the rotation still verify. Nothing here is cached: a worker picks up
a rotation on its next signature, and a web server on its next request.

Operators manage the folder with ``manage.py credential_keys create|rotate|list``
(docs/operators.md). Where ``CREDENTIAL_KEYS_AUTO_CREATE`` is on (``make run``, tests), the first
signature creates a key if there is none; in production a missing key is an error.
"""

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

ACTIVE_FILE = "active"
_KID = re.compile(r"^[0-9]{8}-[0-9a-f]{8}$")


class NoCredentialKey(ImproperlyConfigured):
    """No active signing key, and this installation may not create one by itself."""


@dataclass(frozen=True)
class CredentialKey:
    kid: str  # the short id, also the file's name
    path: Path
    created: datetime
    active: bool

    @property
    def key_uri(self) -> str:
        """The key's id in JWT headers and in the published key set: the key set's address with
        the short id as fragment, so it dereferences to the key (OB 3.0's ``kid`` rule)."""
        return key_uri(self.kid)

    def private_key(self):
        from joserfc.jwk import OKPKey

        return OKPKey.import_key(self.path.read_bytes(), parameters={"kid": self.key_uri})

    def public_jwk(self) -> dict:
        return self.private_key().as_dict(private=False) | {"use": "sig", "alg": "EdDSA"}


def key_uri(kid: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("credentials:jwks") + "#" + kid


def keys_dir() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR)


def list_keys() -> list[CredentialKey]:
    """Every key in the folder, oldest first, the active one marked."""
    folder = keys_dir()
    if not folder.is_dir():
        return []
    active = _active_kid(folder)
    keys = []
    for path in sorted(folder.glob("*.pem")):
        kid = path.stem
        if not _KID.match(kid):
            continue
        created = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        keys.append(CredentialKey(kid=kid, path=path, created=created, active=kid == active))
    return keys


def _active_kid(folder: Path) -> str:
    try:
        return (folder / ACTIVE_FILE).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def create_key() -> CredentialKey:
    """A new Ed25519 key, written with mode 600 and made the active one. Older keys stay."""
    from joserfc.jwk import OKPKey

    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = f"{datetime.now(tz=UTC):%Y%m%d}-{secrets.token_hex(4)}"
    path = folder / f"{kid}.pem"
    key = OKPKey.generate_key("Ed25519")
    # O_EXCL: never overwrite a key; mode 600 from the start, not chmod after the bytes are there.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.as_pem(private=True))
    _write_active(folder, kid)
    return next(k for k in list_keys() if k.kid == kid)


def _write_active(folder: Path, kid: str) -> None:
    temp = folder / f".{ACTIVE_FILE}.{secrets.token_hex(4)}"
    temp.write_text(kid + "\n", encoding="ascii")
    os.replace(temp, folder / ACTIVE_FILE)  # atomic: a reader sees the old or the new id


def active_key() -> CredentialKey:
    """The key that signs now; created on first use where ``CREDENTIAL_KEYS_AUTO_CREATE`` allows."""
    for key in list_keys():
        if key.active:
            return key
    if getattr(settings, "CREDENTIAL_KEYS_AUTO_CREATE", False):
        return create_key()
    raise NoCredentialKey(
        f"No active credential signing key in {keys_dir()}: run `manage.py credential_keys create`."
    )


def public_key_set() -> dict:
    """Every key's public half as a JWKS (RFC 7517), retired keys included."""
    return {"keys": [key.public_jwk() for key in list_keys()]}
