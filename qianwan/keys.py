"""The installation's secrets as the settings name them: the event signing key, the trusted event
public keys, and what the server refuses to start on (docs/audit.md, "Keys").

Production names every key explicitly. Development mode (``qianwan serve --dev`` or ``--demo``,
``QIANWAN_DEV=on``) signs with a development key made on first use in ``var/dev-keys/`` and may
keep the public development secret for personal data; the server says so loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.audit.errors import EventSigningKeyNotConfigured, PersonalDataSecretNotConfigured
from domain.audit.keyfiles import EVENTS, generate_key_pair, key_paths, load_private_key
from domain.audit.keyfiles import load_public_key as load_public_key_file
from domain.audit.signing import EventSigner, TrustedEventKeys
from qianwan.settings import DEV_KEY_DIR, Settings


@dataclass(frozen=True)
class EventKeys:
    signer: EventSigner | None  # None: this process records nothing
    trusted: TrustedEventKeys
    development_key: Path | None  # the development key file, when one signs


def development_key_file(directory: Path = DEV_KEY_DIR) -> Path:
    """The development event key, made on first use."""
    private, _ = key_paths(directory, EVENTS)
    if not private.exists():
        generate_key_pair(directory, EVENTS)
    return private


def event_keys(settings: Settings) -> EventKeys:
    """The signer of this process and the event keys it trusts: the signer's own public key
    and those of QIANWAN_EVENT_PUBLIC_KEYS. Never a key read from the database."""
    key_file = settings.event_key_file
    development = None
    if key_file is None and settings.development:
        key_file = development = development_key_file()
    signer = EventSigner(load_private_key(key_file)) if key_file is not None else None
    public = [load_public_key_file(path) for path in settings.event_public_key_files]
    if signer is not None:
        public.append(signer.public_key)
    return EventKeys(signer, TrustedEventKeys(public), development)


def check_ready_to_serve(settings: Settings) -> None:
    """Refuse to serve real data without an event key or on the public development secret;
    development mode aside (the server prints ``development_warnings`` then)."""
    if settings.development:
        return
    if settings.event_key_file is None:
        raise EventSigningKeyNotConfigured(
            "the server records only signed events: set QIANWAN_EVENT_KEY_FILE to the private "
            "key made by `qianwan keygen --purpose events --dir DIR` (kept outside the "
            "database), or serve invented data with --dev / --demo"
        )
    if settings.uses_development_secret:
        raise PersonalDataSecretNotConfigured(
            "QIANWAN_PERSONAL_DATA_SECRET is not set: the public development secret protects "
            "no personal data. Set it (a long random string kept outside the database), or "
            "serve invented data with --dev / --demo"
        )


def development_warnings(settings: Settings, keys: EventKeys) -> list[str]:
    """What development mode uses instead of real secrets, to be printed at start."""
    if not settings.development:
        return []
    found = ["DEVELOPMENT MODE: for invented data only, never for real records."]
    if keys.development_key is not None:
        found.append(
            f"  events are signed with the DEVELOPMENT key {keys.development_key} "
            f"(key id {keys.signer.key_id if keys.signer else '-'}), kept beside the database"
        )
    if settings.uses_development_secret:
        found.append(
            "  personal data is sealed under the PUBLIC development secret "
            "(QIANWAN_PERSONAL_DATA_SECRET is not set): it protects nothing"
        )
    return found
