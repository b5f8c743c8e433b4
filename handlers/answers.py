"""The answers of a declaration draft: what the form keeps and what the store reads.

One TypedDict from the step functions to `DeclarationPort.submit`, so mypy checks every key on
the way. Codes, not labels (handlers/vocab.py); dates as ISO strings (the session is JSON).
A key that is present with None means "asked and left empty" (skipped, or "tidak tahu").
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class FileRef(TypedDict):
    """A stored attachment: key in the attachment store, name, MIME type, size in bytes,
    SHA-256 of the content (hex; drafts from before it was kept have none)."""

    k: str
    n: str
    m: str | None
    s: int
    h: NotRequired[str]


class Answers(TypedDict, total=False):
    report_type: str  # vocab.REPORT_TYPES
    consent: str  # when the privacy notice was accepted (ISO)
    story: bool  # True: told as a story (the chronology); False: step by step
    # The reporter.
    name: str
    nik: str
    nip: str | None  # None: not a PNS (PPPK may give their NI PPPK here)
    jabatan: str
    unit_kerja: str
    address: str
    phone: str  # +62...
    email: str | None
    confidential: bool
    # The giver.
    giver_name: str
    giver_position: str | None
    giver_institution: str | None
    giver_address: str | None
    giver_relation: str | None  # vocab.GIVER_RELATIONS (None: the giver is unknown)
    # The gift.
    occasion: str  # vocab.OCCASIONS
    occasion_other: str  # what was typed when the occasion is "lainnya"
    reason: str | None
    object_type: str  # vocab.OBJECT_TYPES
    object_type_other: str  # what was typed when the object is "lainnya"
    description: str
    value_rp: int
    value_ok: bool  # the amount was typed in full or confirmed
    received_date: str  # ISO date
    date_ok: bool  # the date was typed in full or confirmed
    received_place: str
    chronology: str
    object_location: str  # vocab.OBJECT_LOCATIONS
    compensation: bool
    attachments: list[FileRef]
    declared_true: str  # when the reporter stated the report is true, pressing Kirim (ISO)


AnswerKey = Literal[
    "report_type",
    "consent",
    "story",
    "name",
    "nik",
    "nip",
    "jabatan",
    "unit_kerja",
    "address",
    "phone",
    "email",
    "confidential",
    "giver_name",
    "giver_position",
    "giver_institution",
    "giver_address",
    "giver_relation",
    "occasion",
    "occasion_other",
    "reason",
    "object_type",
    "object_type_other",
    "description",
    "value_rp",
    "value_ok",
    "received_date",
    "date_ok",
    "received_place",
    "chronology",
    "object_location",
    "compensation",
    "attachments",
    "declared_true",
]

# The reporter's identity: copied from a saved profile, and saved back after "Kirim".
IDENTITY_KEYS: tuple[AnswerKey, ...] = (
    "name",
    "nik",
    "nip",
    "jabatan",
    "unit_kerja",
    "address",
    "phone",
    "email",
)
