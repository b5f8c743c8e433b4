"""The declaration's fields, defined once: labels, order and kind, for the detail page, the
PDF form and the CSV/XLSX exports.

Labels use the words the reporter saw in the chat ("Peristiwa", "Nomor HP", "E-mail"), so a
reporter, an officer and KPK read one term per concept. `kind` tells exports how to keep a
value: `code` stays text (an 18-digit NIP must never become 1,98505E+17), `date` is a date,
`money` a number.

Who gets which value (the rule the tests in tests/bot/web/dashboard/test_exports.py hold):
- the detail page and the official PDF form (KPK's report form, which asks for the reporter's
  identity and contacts): every field, for a logged-in officer;
- the list exports (CSV/XLSX of the queue): work data only. `personal` fields (NIK, address,
  phone, e-mail, the giver's address) are left out: an officer who needs to reach the reporter
  opens the report. Free text has NIKs, phone numbers and e-mail addresses typed into it
  hidden (bot/web/dashboard/masking.py). A confidential reporter's `identifying` fields are
  withheld as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.store.models import Declaration
from bot.web.dashboard import labels
from bot.web.dashboard.masking import masked

Kind = Literal["text", "code", "date", "money", "long", "count"]
CONFIDENTIAL = "(dirahasiakan)"


@dataclass(frozen=True)
class ReporterPii:
    """The decrypted personal data, passed in by the caller (only for logged-in officers)."""

    nik: str | None = None
    address: str | None = None
    phone: str | None = None
    giver_address: str | None = None


@dataclass(frozen=True)
class Field:
    """One value of a declaration: its label, how to read it, how exports keep it."""

    key: str
    label: str
    read: Callable[[Declaration, ReporterPii, ZoneInfo], Any]
    kind: Kind = "text"
    # Identifies a reporter who asked for confidentiality: withheld from exported files.
    identifying: bool = False
    # Personal data (NIK, address, phone, e-mail): pages and the PDF form only, never exports.
    personal: bool = False

    def text(self, d: Declaration, pii: ReporterPii, tz: ZoneInfo) -> str:
        """The value as a page or the PDF shows it."""
        value = self.read(d, pii, tz)
        if value is None or value == "":
            return "-"
        if self.kind == "money":
            return labels.rupiah(value)
        if self.kind == "date":
            return labels.day(value)
        return str(value)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


def _attr(name: str) -> Callable[[Declaration, ReporterPii, ZoneInfo], Any]:
    return lambda d, pii, tz: getattr(d, name)


def _submitted(d: Declaration, pii: ReporterPii, tz: ZoneInfo) -> Any:
    return d.submitted_at.astimezone(tz).date() if d.submitted_at else None


def _received_label(d: Declaration) -> str:
    return "Tanggal ditolak" if d.report_type == "penolakan" else "Tanggal diterima"


NUMBER = Field("number", "Nomor laporan", _attr("number"), "code")
REPORT_TYPE = Field(
    "report_type", "Jenis laporan", lambda d, p, tz: labels.report_type(d.report_type)
)
STATUS = Field("status", "Status", lambda d, p, tz: labels.status(d.status))
SUBMITTED = Field("submitted", "Tanggal lapor", _submitted, "date")
CHANNEL = Field("channel", "Kanal", lambda d, p, tz: labels.channel(d.channel))

NAME = Field("name", "Nama pelapor", _attr("reporter_name"), identifying=True)
NIK = Field("nik", "NIK", lambda d, p, tz: p.nik, "code", identifying=True, personal=True)
NIP = Field("nip", "NIP", _attr("reporter_nip"), "code", identifying=True)
JABATAN = Field("jabatan", "Jabatan", _attr("reporter_jabatan"), identifying=True)
UNIT = Field("unit", "Unit kerja", _attr("reporter_unit"))
ADDRESS = Field("address", "Alamat", lambda d, p, tz: p.address, identifying=True, personal=True)
PHONE = Field(
    "phone", "Nomor HP", lambda d, p, tz: p.phone, "code", identifying=True, personal=True
)
EMAIL = Field("email", "E-mail", _attr("reporter_email"), identifying=True, personal=True)
CONFIDENTIAL_FLAG = Field(
    "confidential", "Identitas dirahasiakan", lambda d, p, tz: labels.yes_no(d.confidential)
)

GIVER_NAME = Field("giver_name", "Nama pemberi", _attr("giver_name"))
GIVER_POSITION = Field("giver_position", "Jabatan/pekerjaan pemberi", _attr("giver_position"))
GIVER_INSTITUTION = Field("giver_institution", "Instansi pemberi", _attr("giver_institution"))
GIVER_ADDRESS = Field(
    "giver_address", "Alamat pemberi", lambda d, p, tz: p.giver_address, personal=True
)
GIVER_RELATION = Field(
    "giver_relation",
    "Hubungan pemberi",
    lambda d, p, tz: labels.relation(d.giver_relation) if d.giver_relation else None,
)

OCCASION = Field(
    "occasion",
    "Peristiwa",
    lambda d, p, tz: labels.occasion(d.occasion, d.occasion_other) if d.occasion else None,
)
REASON = Field("reason", "Alasan pemberian", _attr("reason"), "long")
OBJECT_TYPE = Field(
    "object_type",
    "Jenis objek",
    lambda d, p, tz: (
        labels.object_type(d.object_type, d.object_type_other) if d.object_type else None
    ),
)
DESCRIPTION = Field("description", "Uraian objek", _attr("description"), "long")
VALUE = Field("value", "Perkiraan nilai (Rp)", _attr("value_rp"), "money")
RECEIVED = Field("received", "Tanggal diterima/ditolak", _attr("received_date"), "date")
PLACE = Field("place", "Tempat", _attr("received_place"))
LOCATION = Field(
    "object_location",
    "Posisi objek",
    lambda d, p, tz: labels.location(d.object_location) if d.object_location else None,
)
COMPENSATION = Field(
    "compensation",
    "Ingin kompensasi (membayar senilai objek)",
    lambda d, p, tz: labels.yes_no(d.wants_compensation),
)
CHRONOLOGY = Field("chronology", "Kronologi", _attr("chronology"), "long")

FORWARDED = Field(
    "forwarded",
    "Diteruskan ke KPK",
    lambda d, p, tz: d.forwarded_at.astimezone(tz).date() if d.forwarded_at else None,
    "date",
)
KPK_REFERENCE = Field("kpk_reference", "Nomor laporan KPK", _attr("kpk_reference"), "code")
DECISION = Field(
    "decision",
    "Keputusan KPK",
    lambda d, p, tz: labels.decision(d.decision) if d.decision else None,
)
SK_NUMBER = Field("sk_number", "Nomor SK KPK", _attr("sk_number"), "code")
SK_DATE = Field("sk_date", "Tanggal SK KPK", _attr("sk_date"), "date")

# The form's sections, in KPK's order (the detail page and the PDF).
REPORTER = Section(
    "Identitas pelapor",
    (NAME, NIK, NIP, JABATAN, UNIT, ADDRESS, PHONE, EMAIL, CONFIDENTIAL_FLAG),
)
GIVER = Section(
    "Data pemberi",
    (GIVER_NAME, GIVER_POSITION, GIVER_INSTITUTION, GIVER_ADDRESS, GIVER_RELATION),
)
GIFT = Section(
    "Data gratifikasi",
    (
        OBJECT_TYPE,
        DESCRIPTION,
        VALUE,
        OCCASION,
        REASON,
        RECEIVED,
        PLACE,
        LOCATION,
        COMPENSATION,
    ),
)
PROCESS = Section("Proses UPPG dan KPK", (FORWARDED, KPK_REFERENCE, DECISION, SK_NUMBER, SK_DATE))

# The columns of the list exports: one row per declaration. NIK, address, phone and e-mail
# never leave the dashboard in a list file.
EXPORTED: tuple[Field, ...] = tuple(
    f
    for f in (
        NUMBER,
        REPORT_TYPE,
        STATUS,
        SUBMITTED,
        RECEIVED,
        *REPORTER.fields,
        *GIVER.fields,
        OCCASION,
        REASON,
        OBJECT_TYPE,
        DESCRIPTION,
        VALUE,
        LOCATION,
        *PROCESS.fields,
    )
    if not f.personal
)


def received_label(d: Declaration) -> str:
    """ "Tanggal diterima" or "Tanggal ditolak", as the reporter answered it."""
    return _received_label(d)


def export_value(field: Field, d: Declaration, tz: ZoneInfo) -> Any:
    """The typed cell of one exported field: confidential reporters withheld, personal data
    typed into free text hidden."""
    if field.personal:
        raise ValueError(f"{field.key} is personal data and never exported")
    if d.confidential and field.identifying:
        return CONFIDENTIAL if field is NAME else ""
    value = field.read(d, ReporterPii(), tz)
    if value is None:
        return ""
    return masked(value) if isinstance(value, str) and field.kind != "code" else value
