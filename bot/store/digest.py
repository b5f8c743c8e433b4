"""The digest of a declaration's content: what the reporter declared, as one SHA-256.

The receipt prints and signs it, so a receipt proves what was reported, not only that
something was. The content is canonical JSON (sorted keys, no spaces, UTF-8) of the declared
fields, with personal data in clear text: the digest reveals none of it, and it still
changes when any of it does. Status and the UPPG's later entries are not content.

Each file sent with the declaration enters as the hash its row records (`attachment_hash`):
the keyed content hash, or for a row stored before migration 0015 the plain SHA-256 that
digests were made with then (kept encrypted for this alone), so a receipt issued before the
upgrade still matches the archive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from bot.crypto import Cipher
from bot.store.models import Declaration, DeclarationAttachment

VERSION = 1


def attachment_hash(a: DeclarationAttachment, cipher: Cipher) -> str:
    """The hash a file contributes to its declaration's digest (see above); raises
    InvalidToken when no configured key opens a legacy value."""
    if a.legacy_sha256_enc is not None:
        return cipher.decrypt(a.legacy_sha256_enc) or ""
    return a.content_hmac


def declared_content(
    d: Declaration, cipher: Cipher, attachment_hashes: Sequence[str]
) -> dict[str, Any]:
    """The declaration as the reporter sent it (decrypted), for the digest."""
    return {
        "v": VERSION,
        "number": d.number,
        "report_type": d.report_type,
        "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None,
        "reporter": {
            "name": d.reporter_name,
            "nik": cipher.decrypt(d.reporter_nik_enc),
            "nip": d.reporter_nip,
            "jabatan": d.reporter_jabatan,
            "unit": d.reporter_unit,
            "address": cipher.decrypt(d.reporter_address_enc),
            "phone": cipher.decrypt(d.reporter_phone_enc),
            "email": d.reporter_email,
            "confidential": bool(d.confidential),
        },
        "giver": {
            "name": d.giver_name,
            "institution": d.giver_institution,
            "relation": d.giver_relation,
        },
        "gift": {
            "occasion": d.occasion,
            "object_type": d.object_type,
            "description": d.description,
            "value_rp": d.value_rp,
            "received_date": d.received_date.isoformat() if d.received_date else None,
            "place": d.received_place,
            "chronology": d.chronology,
            "object_location": d.object_location,
            "compensation": d.wants_compensation,
        },
        "attachments": sorted(attachment_hashes),
    }


def content_digest(d: Declaration, cipher: Cipher, attachment_hashes: Sequence[str]) -> str:
    """SHA-256 (hex) of the canonical declared content."""
    canonical = json.dumps(
        declared_content(d, cipher, attachment_hashes),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
