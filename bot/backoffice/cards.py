"""The texts of the back office: the UPPG card, thread replies, the digest, reporter notices.

Channel-neutral: each function returns a Reply (text, buttons, attachments); bot/uppg_chat.py
renders it in Telegram, the channel senders elsewhere. Officer actions are buttons whose ids
are short callback data ("u:v:123"), listed in ACTIONS.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.backoffice.deadlines import Deadline, late_report
from bot.backoffice.workflow import allowed_targets
from bot.config import Settings
from bot.messages import Attachment, Choice, Reply
from bot.store.declarations import WorkdayCounts, counts_of
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st
from handlers import vocab
from handlers.deadlines import STATUTE_WORKDAYS
from handlers.formatting import rupiah, tanggal
from handlers.parsing import find_numbers
from handlers.parsing.identity import NIK

# Officer actions on the card: code -> (target status, button label).
ACTIONS: dict[str, tuple[str, str]] = {
    "v": (st.DIVERIFIKASI, "✅ Verifikasi"),
    "l": (st.PERLU_DILENGKAPI, "❓ Minta kelengkapan"),
    "k": (st.DITERUSKAN_KPK, "📤 Teruskan ke KPK"),
    "c": (st.DICATAT, "🗂 Catat"),
}
ACTION_PREFIX = "u:"
ANSWER_PREFIX = "jawab:"


def _tanggal(day: date) -> str:
    return tanggal(day, short=True)


def action_choices(declaration: Declaration) -> tuple[Choice, ...]:
    """The card buttons for what the process allows from the current status."""
    targets = allowed_targets(declaration.report_type, declaration.status)
    if declaration.status == st.PERLU_DILENGKAPI:
        # Still waiting for the reporter: a further question stays possible.
        targets = (*targets, st.PERLU_DILENGKAPI)
    return tuple(
        Choice(id=f"{ACTION_PREFIX}{code}:{declaration.id}", label=label)
        for code, (target, label) in ACTIONS.items()
        if target in targets
    )


def _line(label: str, value: str | None) -> str | None:
    return f"{label}: {value}" if value else None


NIK_HIDDEN = "[NIK disembunyikan]"


def without_nik(text: str) -> str:
    """A NIK never reaches a chat: a NIK-like number typed into any field is masked."""
    for number in reversed(find_numbers(text)):
        if number.kind == NIK or len(number.digits) == 16:
            text = text[: number.start] + NIK_HIDDEN + text[number.end :]
    return text


def _coded(options: dict[str, str], code: str | None, other: str | None) -> str | None:
    """A code's label; "Lainnya" with what the reporter typed for it."""
    if not code:
        return None
    label = options.get(code, code)
    return f"{label}: {other}" if code == "lainnya" and other else label


def _reporter(declaration: Declaration) -> list[str | None]:
    if declaration.confidential:
        return ["Pelapor: (dirahasiakan atas permintaan pelapor; lihat dasbor)"]
    unit = ", ".join(p for p in (declaration.reporter_jabatan, declaration.reporter_unit) if p)
    return [
        _line("Pelapor", declaration.reporter_name),
        _line("NIP", declaration.reporter_nip),
        _line("Jabatan/unit", unit or None),
    ]


def _giver(declaration: Declaration) -> str | None:
    name = declaration.giver_name
    if name and declaration.giver_position:
        name = f"{name} ({declaration.giver_position})"
    parts = [name, declaration.giver_institution]
    if declaration.giver_relation:
        parts.append(vocab.GIVER_RELATIONS.get(declaration.giver_relation))
    text = ", ".join(p for p in parts if p)
    return text or None


def card(
    declaration: Declaration,
    deadlines: Sequence[Deadline],
    attachments: Sequence[Attachment],
    *,
    settings: Settings,
    with_buttons: bool = True,
) -> Reply:
    """The structured card a new declaration makes in the UPPG chat."""
    tz = settings.tz
    refused = declaration.report_type == "penolakan"
    kind = "Penolakan" if refused else "Penerimaan"
    submitted = declaration.submitted_at
    lines: list[str | None] = [
        f"📥 Laporan gratifikasi baru: {declaration.number}",
        f"Jenis: {kind}",
        *_reporter(declaration),
        _line("Pemberi", _giver(declaration)),
        _line(
            "Peristiwa",
            _coded(vocab.OCCASIONS, declaration.occasion, declaration.occasion_other),
        ),
        _line("Alasan", declaration.reason),
        _line(
            "Objek",
            _coded(vocab.OBJECT_TYPES, declaration.object_type, declaration.object_type_other),
        ),
        _line("Uraian", declaration.description),
        f"Nilai: {rupiah(declaration.value_rp)}",
        f"Tanggal {'ditolak' if refused else 'diterima'}: {_tanggal(declaration.received_date)}",
        _line("Dilaporkan", _tanggal(submitted.astimezone(tz).date()) if submitted else None),
        _line("Tempat", declaration.received_place),
        _line(
            "Lokasi objek",
            vocab.OBJECT_LOCATIONS.get(declaration.object_location or "", None),
        ),
        _line("Batas lapor pelapor", _maybe_date(declaration.uppg_deadline)),
        _late_line(declaration, settings),
    ]
    for deadline in deadlines:
        if not deadline.done:
            due = _tanggal(deadline.due) if deadline.due else "sesuai SK KPK"
            lines.append(f"Tenggat {deadline.label}: {due}")
    lines.append(f"Lampiran: {len(attachments)} berkas" if attachments else "Lampiran: tidak ada")
    lines.append(f"Status: {st.label(declaration.status)}")
    choices = action_choices(declaration) if with_buttons else ()
    return Reply(
        text=without_nik("\n".join(line for line in lines if line)),
        choices=choices,
        attachments=tuple(attachments),
    )


def _late_line(declaration: Declaration, settings: Settings) -> str | None:
    """The warning for a report made after the reporter's deadline (UPPG, or the 30 days)."""
    late = late_report(declaration, settings)
    if late.to_kpk and declaration.kpk_deadline:
        days = counts_of(declaration, settings).kpk
        return (
            f"⚠️ Terlambat: dilaporkan setelah {days} hari kerja "
            f"(batas ke KPK {_tanggal(declaration.kpk_deadline)})."
        )
    if late.to_uppg and late.uppg_due and late.reported:
        return (
            f"⚠️ Terlambat ke UPPG: dilaporkan {_tanggal(late.reported)}, "
            f"lewat batas lapor pelapor {_tanggal(late.uppg_due)}."
        )
    return None


def _maybe_date(day: date | None) -> str | None:
    return _tanggal(day) if day else None


def thread_reply(
    declaration: Declaration,
    text: str,
    attachments: Sequence[Attachment],
    *,
    with_buttons: bool = True,
) -> Reply:
    """The reporter's answer, passed on to the UPPG."""
    who = "pelapor" if declaration.confidential else declaration.reporter_name
    body = f"💬 Jawaban {who} untuk {declaration.number}:\n{text}"
    if attachments:
        body += f"\nLampiran: {len(attachments)} berkas"
    body += f"\nStatus: {st.label(declaration.status)}"
    choices = action_choices(declaration) if with_buttons else ()
    return Reply(text=without_nik(body), choices=choices, attachments=tuple(attachments))


def _details_date(change: StatusChange, key: str) -> str | None:
    value = (change.details or {}).get(key)
    if not value:
        return None
    try:
        return _tanggal(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _closing_lines(
    declaration: Declaration, change: StatusChange, counts: WorkdayCounts
) -> list[str]:
    """What a report the UPPG closed itself means for the reporter."""
    details = change.details or {}
    status = change.to_status
    if status == st.DISALURKAN:
        recipient = details.get("aid_recipient") or "pihak yang membutuhkan"
        when = _details_date(change, "distributed_on")
        return [
            "UPPG mencatat bahwa makanan/minuman tersebut disalurkan sebagai bantuan sosial",
            f"kepada {recipient}" + (f" pada {when}." if when else "."),
            "UPPG melaporkannya ke KPK dalam rekap berkala.",
        ]
    if status == st.DIKEMBALIKAN:
        when = _details_date(change, "returned_on")
        on = f" pada {when}" if when else ""
        return [
            f"UPPG mencatat bahwa pemberian dikembalikan kepada pemberi{on}.",
            "Pengembalian ini dicatat seperti laporan penolakan dan masuk rekap berkala UPPG",
            "ke KPK. Simpan bukti pengembaliannya.",
        ]
    if status == st.TIDAK_DILENGKAPI:
        return [
            "Laporan tidak dapat ditindaklanjuti karena belum dilengkapi sampai batas waktunya.",
            "Bila masih ingin melapor, buat laporan baru dengan data lengkap (/lapor).",
        ]
    if status == st.DUPLIKAT:
        original = details.get("duplicate_of")
        return [
            f"Laporan ini ditutup karena sama dengan laporan {original}, yang tetap diproses."
            if original
            else "Laporan ini ditutup karena sama dengan laporan lain yang tetap diproses."
        ]
    if status == st.DITARIK:
        return [
            "Laporan ditarik atas permintaan Anda dan tidak diteruskan ke KPK.",
            "Ingat: perlindungan Pasal 12C UU 20/2001 hanya berlaku bila gratifikasi",
            f"dilaporkan paling lambat {STATUTE_WORKDAYS} hari kerja sejak diterima"
            + (
                "."
                if counts.kpk == STATUTE_WORKDAYS
                else f" (batas UPPG: {counts.kpk} hari kerja)."
            ),
        ]
    return []


def status_notice(
    declaration: Declaration, change: StatusChange, due: date | None, *, settings: Settings
) -> Reply:
    """What the reporter is told when the UPPG changes their declaration's status.

    It carries the officer's message to the reporter (StatusChange.note), never the internal
    note."""
    counts = counts_of(declaration, settings)
    status = change.to_status
    lines = [
        f"Status laporan {declaration.number} berubah:",
        f"➡️ {st.label(status)}",
    ]
    choices: tuple[Choice, ...] = ()
    if status == st.PERLU_DILENGKAPI:
        lines += ["", "UPPG meminta Anda melengkapi laporan:", f"“{change.note or '-'}”"]
        if due:
            lines.append(f"Mohon jawab paling lambat {_tanggal(due)}.")
        lines.append("Tekan tombol di bawah (atau ketik /jawab) untuk menjawab.")
        choices = (Choice(id=f"{ANSWER_PREFIX}{declaration.id}", label="Jawab pertanyaan UPPG"),)
    elif status == st.DIVERIFIKASI:
        lines.append("Laporan Anda sudah diperiksa UPPG dan akan diteruskan ke KPK.")
    elif status == st.DITERUSKAN_KPK:
        lines.append("Laporan Anda sudah diteruskan UPPG ke KPK.")
        if declaration.kpk_reference:
            lines.append(f"Nomor referensi KPK: {declaration.kpk_reference}")
        # 12C(3) counts from the report; KPK counts from the complete report (see the reference):
        # the statute and the practice are said apart.
        # The article's 30 days are the article's; a different setting is the UPPG's own.
        lines += [
            f"KPK menetapkan status gratifikasi paling lambat {STATUTE_WORKDAYS} hari kerja",
            "sejak menerima laporan (UU 20/2001 Pasal 12C ayat 3);",
            "dalam praktik dihitung sejak laporan dinyatakan lengkap.",
        ]
        if counts.decision != STATUTE_WORKDAYS:
            lines.append(f"UPPG memantaunya dengan batas {counts.decision} hari kerja.")
    elif status in st.DECISIONS:
        if declaration.sk_number and declaration.sk_date:
            lines.append(f"SK KPK: {declaration.sk_number}, {_tanggal(declaration.sk_date)}")
        if status == st.MILIK_NEGARA:
            lines.append("Objek wajib diserahkan ke negara. UPPG akan menghubungi Anda.")
        elif status == st.MILIK_NEGARA_KOMPENSASI:
            lines += [
                "Objek menjadi milik negara. Anda dapat memilikinya dengan membayar",
                "nilainya sesuai SK KPK. UPPG akan menghubungi Anda.",
            ]
        if status in st.STATE_PROPERTY:
            # The reporter's deadline is the one in the SK (UU 30/2002 Pasal 17 ayat (6)'s
            # 7 days bind KPK, not the reporter).
            if due:
                lines.append(f"Batas penyerahan atau pembayaran menurut SK: {_tanggal(due)}.")
            else:
                lines.append("Batas penyerahan atau pembayaran mengikuti SK KPK.")
    elif status == st.SELESAI:
        lines.append("Laporan selesai diproses. Terima kasih atas laporan Anda.")
    elif status == st.DICATAT:
        lines.append("Terima kasih atas laporan Anda.")
    else:
        lines += _closing_lines(declaration, change, counts)
    reason = (change.details or {}).get("reason")
    if reason:
        lines.append(f"Alasan: {reason}")
    if change.note and status != st.PERLU_DILENGKAPI:
        lines.append(f"Pesan UPPG: {change.note}")
    return Reply(text="\n".join(lines), choices=choices)


def question_notice(declaration: Declaration, question: str, due: date | None) -> Reply:
    """A further question from the UPPG, the status unchanged."""
    lines = [
        f"UPPG mengirim pertanyaan lanjutan untuk laporan {declaration.number}:",
        f"“{question}”",
    ]
    if due:
        lines.append(f"Mohon jawab paling lambat {_tanggal(due)}.")
    lines.append("Tekan tombol di bawah (atau ketik /jawab) untuk menjawab.")
    button = Choice(id=f"{ANSWER_PREFIX}{declaration.id}", label="Jawab pertanyaan UPPG")
    return Reply(text="\n".join(lines), choices=(button,))


def draft_reminder(deadline: date) -> Reply:
    """The one reminder a reporter with an unfinished draft gets."""
    return Reply(
        text=(
            "Pengingat: laporan gratifikasi Anda belum selesai.\n"
            f"Batas waktu lapor ke UPPG: {_tanggal(deadline)}.\n"
            "Ketik /lapor untuk melanjutkan."
        ),
        choices=(Choice(id="menu:lapor", label="Lanjutkan laporan"),),
    )


def digest(today: date, due_soon: Sequence[str], overdue: Sequence[str], *, horizon: int) -> Reply:
    """The daily digest for the UPPG chat; horizon: the working days "due soon" looks ahead."""
    lines = [f"📅 Tenggat UPPG, {_tanggal(today)}"]
    if overdue:
        lines += ["", f"Lewat tenggat ({len(overdue)}):", *overdue]
    if due_soon:
        lines += ["", f"Jatuh tempo dalam {horizon} hari kerja ({len(due_soon)}):", *due_soon]
    if not overdue and not due_soon:
        lines.append(f"Tidak ada tenggat dalam {horizon} hari kerja ke depan. 👍")
    return Reply(text="\n".join(lines))
