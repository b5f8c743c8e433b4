"""How values read on the dashboard and in exports: Indonesian labels, rupiah, dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers import formatting, vocab
from handlers import statuses as st


def status(code: str | None) -> str:
    return st.label(code) if code else "-"


def report_type(code: str | None) -> str:
    return {"penerimaan": "Penerimaan", "penolakan": "Penolakan"}.get(code or "", code or "-")


# KPK's decisions, without the "Keputusan KPK:" of the status labels (the field says it).
DECISIONS = {
    st.MILIK_PENERIMA: "Milik penerima",
    st.MILIK_NEGARA: "Milik negara",
    st.MILIK_NEGARA_KOMPENSASI: "Milik negara, dapat diganti uang",
    st.TIDAK_DITINDAKLANJUTI: "Tidak dapat ditindaklanjuti",
}


def decision(code: str | None) -> str:
    return DECISIONS.get(code or "", code or "-")


def occasion(code: str | None, other: str | None = None) -> str:
    """The occasion's label; "Lainnya: pelantikan" with what the reporter typed for it."""
    label = vocab.OCCASIONS.get(code or "", code or "-")
    return f"{label}: {other}" if code == "lainnya" and other else label


def object_type(code: str | None, other: str | None = None) -> str:
    label = vocab.OBJECT_TYPES.get(code or "", code or "-")
    return f"{label}: {other}" if code == "lainnya" and other else label


def relation(code: str | None) -> str:
    return vocab.GIVER_RELATIONS.get(code or "", code or "-")


def location(code: str | None) -> str:
    return vocab.OBJECT_LOCATIONS.get(code or "", code or "-")


rupiah = formatting.rupiah


def day(value: date | datetime | None, tz: ZoneInfo | None = None) -> str:
    """4 Mei 2026; datetimes are shown in the given time zone."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(tz).date() if tz else value.date()
    return formatting.tanggal(value)


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """4 Mei 2026 09.30 in local time."""
    if value is None:
        return "-"
    local = value.astimezone(tz)
    return f"{day(local.date())} {local:%H.%M}"


def percent(share: float | None) -> str:
    """33,3% (Indonesian decimal comma); "-" when there is nothing to measure."""
    if share is None:
        return "-"
    return f"{share * 100:.1f}".replace(".", ",") + "%"


def yes_no(value: bool | None) -> str:
    return "-" if value is None else ("Ya" if value else "Tidak")


CHANNELS = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "Konsol (uji coba)"}
FILE_KINDS = {"photo": "foto", "document": "dokumen", "sk": "SK KPK", "bukti": "bukti"}


def channel(code: str | None) -> str:
    """The channel a declaration came in by, spelt as its owner spells it."""
    return CHANNELS.get(code or "", code or "-")


def file_kind(code: str | None) -> str:
    return FILE_KINDS.get(code or "", code or "-")


def size(n_bytes: int) -> str:
    """124,0 KB (Indonesian decimal comma)."""
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.1f}".replace(".", ",") + " KB"
    return f"{n_bytes / 1024 / 1024:.1f}".replace(".", ",") + " MB"


# The audit log's details, as an admin reads them (stored keys stay in English).
AUDIT_KEYS = {
    "numbers": "nomor",
    "filters": "filter",
    "from": "dari",
    "to": "ke",
    "role": "peran",
    "failures": "gagal berturut-turut",
    "locked": "dikunci",
    "reason": "sebab",
    "attachment_id": "id lampiran",
    "name": "berkas",
    "note": "catatan",
    "direction": "arah",
    "thread_message_id": "id pesan",
    "files": "jumlah berkas",
    "kpk_reference": "nomor laporan KPK",
    "assignee": "ditangani oleh",
    "consent_at": "persetujuan",
    # The UPPG record (bot/backoffice/workflow.py, retention.py, dashboard/audit.py).
    "message": "pesan untuk pelapor",
    "internal_note": "catatan internal",
    "file": "berkas",
    "status_change_id": "id perubahan status",
    "closed_at": "ditutup",
    "retention_years": "masa retensi (tahun)",
    "thread_messages": "pesan percakapan",
    "profiles": "profil",
    "drafts": "draf",
    "format": "format",
    "rows": "jumlah baris",
}
AUDIT_TARGETS = {"list": "daftar laporan", "audit": "log audit"}
# The queue's filters as the list page names them.
FILTER_LABELS = {
    "status": "status",
    "report_type": "jenis",
    "unit": "unit kerja",
    "occasion": "peristiwa",
    "date_from": "dilaporkan dari",
    "date_to": "sampai",
    "overdue": "hanya lewat batas",
    "mine": "tugas saya",
    "unread": "ada jawaban baru",
    "unassigned": "perlu petugas",
    "q": "cari",
}


def _filter_value(key: str, value: object) -> str:
    if key == "status":
        return status(str(value))
    if key == "report_type":
        return report_type(str(value))
    if key == "occasion":
        return occasion(str(value))
    if key in ("overdue", "mine", "unread", "unassigned"):
        return "ya"
    if key in ("date_from", "date_to"):
        try:
            return day(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return f"“{value}”" if key == "q" else str(value)


def filters_in_words(filters: dict[str, object]) -> str:
    """{"unit": "Bappeda", "overdue": "True"} -> "unit kerja: Bappeda, hanya lewat batas: ya"."""
    return (
        ", ".join(f"{FILTER_LABELS.get(k, k)}: {_filter_value(k, v)}" for k, v in filters.items())
        or "tanpa filter"
    )


_AUDIT_VALUES = {
    "officer": "Petugas",
    "admin": "Admin",
    "to_reporter": "ke pelapor",
    # Why a login failed (the person at the login form is told none of these).
    "password": "kata sandi salah",
    "unknown": "nama pengguna tidak dikenal",
    "disabled": "akun nonaktif",
    "paused": "jeda setelah gagal berulang",
}


def audit_target(target: str | None) -> str:
    return AUDIT_TARGETS.get(target or "", target or "-")


def _audit_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dict):
        return (
            filters_in_words(value)
            if key == "filters"
            else (", ".join(f"{k}: {v}" for k, v in value.items()) or "-")
        )
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "-"
    if key in ("from", "to") and isinstance(value, str):
        return status(value)
    return _AUDIT_VALUES.get(str(value), str(value))


def audit_details(details: dict[str, object] | None) -> str:
    """nomor: GRT-2026-000001; dari: Diterima UPPG; ke: Diverifikasi."""
    return "; ".join(
        f"{AUDIT_KEYS.get(k, k)}: {_audit_value(k, v)}" for k, v in (details or {}).items()
    )
