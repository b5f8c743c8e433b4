"""The official PDF of one declaration, laid out like KPK's gratification report form.

On the instansi's letterhead: identitas pelapor, data pemberi, data gratifikasi, kronologi,
lampiran (the fields of bot.web.dashboard.fields), the reporter's statement and signature
block, then the UPPG's full processing record and the UPPG head's signature. A confidential
reporter's form is stamped RAHASIA; a late report is flagged. Names in any script print
with fallback fonts (bot.documents.fonts), or as a visible marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.backoffice.deadlines import Deadline
from bot.config import Settings
from bot.documents import layout
from bot.store.declarations import counts_of
from bot.store.models import Declaration, DeclarationAttachment, StatusChange, ThreadMessage
from bot.web.dashboard import fields, labels
from bot.web.dashboard.fields import ReporterPii

STATEMENT = (
    "Dengan ini saya menyatakan bahwa keterangan yang saya sampaikan dalam laporan ini benar "
    "dan sesuai dengan keadaan yang sebenarnya."
)
DETAIL_LABELS = {
    "forwarded_on": "Tanggal diteruskan",
    "kpk_reference": "Nomor laporan KPK",
    "sk_number": "Nomor SK KPK",
    "sk_date": "Tanggal SK KPK",
    "note": "Catatan",
}


def texts_of(d: Declaration, pii: ReporterPii) -> list[str | None]:
    """Every text a form of this declaration prints (for fonts and the detail page's warning)."""
    return [
        d.reporter_name,
        d.reporter_jabatan,
        d.reporter_unit,
        d.reporter_email,
        pii.address,
        pii.giver_address,
        d.giver_name,
        d.giver_position,
        d.giver_institution,
        d.reason,
        d.occasion_other,
        d.object_type_other,
        d.description,
        d.received_place,
        d.chronology,
    ]


def _record(
    d: Declaration,
    changes: Sequence[StatusChange],
    messages: Sequence[ThreadMessage],
    tz: ZoneInfo,
) -> list[tuple[str, str]]:
    """Every step of the processing, in time order: status changes and the thread."""
    arrived = f"Laporan masuk lewat {labels.channel(d.channel)}"
    rows: list[tuple[datetime, str, str]] = [
        (d.submitted_at, labels.moment(d.submitted_at, tz), arrived)
    ]
    for c in changes:
        what = (
            labels.status(c.to_status)
            if c.from_status is None
            else f"{labels.status(c.from_status)} → {labels.status(c.to_status)}"
        )
        extra = [f"{DETAIL_LABELS.get(k, k)}: {v}" for k, v in (c.details or {}).items() if v]
        if c.note:
            extra.append(f"Catatan: {c.note}")
        text = "; ".join([f"{what} (oleh {c.actor})", *extra])
        rows.append((c.at, labels.moment(c.at, tz), text))
    for m in messages:
        who = "Pertanyaan UPPG" if m.direction == "to_reporter" else "Jawaban pelapor"
        rows.append((m.at, labels.moment(m.at, tz), f"{who}: {m.text}"))
    rows.sort(key=lambda r: r[0])
    return [(when, text) for _, when, text in rows]


def declaration_pdf(
    d: Declaration,
    attachments: Sequence[DeclarationAttachment],
    pii: ReporterPii,
    *,
    settings: Settings,
    deadlines: Sequence[Deadline],
    changes: Sequence[StatusChange],
    messages: Sequence[ThreadMessage],
    printed_by: str,
    now: datetime,
) -> bytes:
    """The report form as PDF bytes."""
    tz = settings.tz
    record = _record(d, changes, messages, tz)
    texts = [*texts_of(d, pii), *layout.letterhead_texts(settings), *(t for _, t in record)]
    pdf = layout.Document(
        texts, f"{d.number} · dicetak oleh {printed_by}, {labels.moment(now, tz)}", created=now
    )
    pdf.set_title(f"Formulir Laporan Gratifikasi {d.number}")
    pdf.set_author(settings.letterhead_unit or "UPPG")
    pdf.add_page()
    if d.confidential:
        layout.stamp(pdf, "RAHASIA")
    layout.letterhead(pdf, settings)
    layout.title(
        pdf,
        "FORMULIR LAPORAN GRATIFIKASI",
        "Laporan kepada UPPG untuk diteruskan ke Komisi Pemberantasan Korupsi",
    )
    head = [
        ("Nomor laporan", d.number),
        ("Jenis laporan", labels.report_type(d.report_type)),
        ("Tanggal lapor", labels.moment(d.submitted_at, tz)),
        ("Status", labels.status(d.status)),
    ]
    if d.report_type == "penerimaan" and d.kpk_deadline:
        days = counts_of(d, settings).kpk
        head.append((f"Batas {days} hari kerja ke KPK", labels.day(d.kpk_deadline)))
        head.append(
            (
                "Ketepatan waktu",
                f"TERLAMBAT: dilaporkan lewat {days} hari kerja sejak diterima"
                if d.late
                else "Tepat waktu",
            )
        )
    if d.confidential:
        head.append(("Kerahasiaan", "RAHASIA: pelapor meminta identitasnya dirahasiakan"))
    layout.fields(pdf, head)

    refused = d.report_type == "penolakan"
    for letter, section in zip("ABC", (fields.REPORTER, fields.GIVER, fields.GIFT), strict=True):
        heading = section.title.upper()
        if section is fields.GIFT:
            heading = f"DATA {'PENOLAKAN' if refused else 'PENERIMAAN'} GRATIFIKASI"
        layout.section(pdf, f"{letter}. {heading}")
        rows = []
        for field in section.fields:
            if refused and field in (fields.LOCATION, fields.COMPENSATION):
                continue
            label = fields.received_label(d) if field is fields.RECEIVED else field.label
            rows.append((label, field.text(d, pii, tz)))
        layout.fields(pdf, rows)

    layout.section(pdf, "D. KRONOLOGI")
    layout.text_block(pdf, d.chronology)

    layout.section(pdf, "E. LAMPIRAN")
    if attachments:
        layout.fields(
            pdf,
            [
                (f"{i}. {labels.file_kind(a.kind)}", f"{a.name} ({labels.size(a.size)})")
                for i, a in enumerate(attachments, 1)
            ],
        )
    else:
        layout.text_block(pdf, "Tidak ada lampiran.")

    layout.section(pdf, "F. PERNYATAAN PELAPOR")
    layout.text_block(pdf, STATEMENT)
    consent = (d.details or {}).get("consent_at")
    if consent:
        layout.text_block(pdf, f"Pernyataan disetujui pelapor lewat bot pada {consent}.")
    place = settings.report_place or layout.unset("report_place")
    layout.signature_block(
        pdf,
        f"{place}, {labels.day(d.submitted_at, tz)}",
        "Pelapor,",
        d.reporter_name,
        d.reporter_nip or "-",
    )

    layout.section(pdf, "G. CATATAN PROSES UPPG")
    process = [(f.label, f.text(d, pii, tz)) for f in fields.PROCESS.fields]
    for deadline in deadlines:
        state = "sudah dilakukan" if deadline.done else labels.day(deadline.due)
        process.append((f"Batas: {deadline.label}", state))
    layout.fields(pdf, process)
    layout.section(pdf, "H. RIWAYAT PENANGANAN")
    layout.fields(pdf, record, label_width=40)
    role, name, nip = layout.head_of_uppg(settings)
    layout.signature_block(pdf, f"{place}, {labels.day(now, tz)}", role, name, nip)
    return bytes(pdf.output())
