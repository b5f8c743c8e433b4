"""The receipt a reporter gets after "Kirim": number, summary, deadlines, what happens next.

Every date comes from handlers/deadlines.py, the one place deadlines are computed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from handlers import statuses, vocab
from handlers.deadlines import (
    STATUTE_WORKDAYS,
    GiftDeadlines,
    gift_deadlines,
    needs_direct_report,
    statute_days,
    workdays_left,
)
from handlers.formatting import rupiah, tanggal
from handlers.ports import Policy, Receipt

# The statute's consequence and the regulation's are kept apart: a regulation cannot take
# away Pasal 12C's protection of a report made within 30 working days. {days} is the
# KPK_DEADLINE_WORKDAYS setting the dates were counted with (30 unless changed); the article's
# own 30 is stated as the article's (LATE_KPK_SETTING when the setting differs).
LATE_KPK = (
    "⚠️ Lewat {days} HK: Pasal 12B UU 20/2001 tetap berlaku (perlindungan Pasal 12C hanya "
    "untuk laporan dalam {days} HK), dan menurut PerKPK 1/2026 gratifikasi ini dapat ditetapkan "
    "menjadi milik negara. Laporan tetap kami proses."
)
LATE_KPK_SETTING = (
    "⚠️ Lewat batas {days} HK ke KPK yang dipakai UPPG. Pasal 12C UU 20/2001 melindungi "
    "laporan dalam 30 HK sejak diterima; lewat 30 HK, Pasal 12B tetap berlaku dan "
    "menurut PerKPK 1/2026 gratifikasi dapat ditetapkan menjadi milik negara. Laporan tetap "
    "kami proses."
)
LATE_UPPG = "⚠️ Batas ke UPPG sudah lewat; laporan tetap kami proses."
# The GOL steps as KPK describes them (section 3 of the reference); GOL works 24/7.
DIRECT_TO_KPK = (
    "⚠️ Tinggal {left} HK sampai batas {days} HK. Agar aman, lapor juga langsung ke KPK lewat "
    "GOL (gol.kpk.go.id atau aplikasi GOL KPK): daftar, isi data seperti laporan ini, "
    "unggah bukti, kirim."
)
ON_TIME = "Laporan Anda masuk tepat waktu. Terima kasih."
PAST = " (sudah lewat)"


def deadline_lines(deadlines: GiftDeadlines, policy: Policy) -> list[str]:
    """The deadline part of a receipt, dates spelled out; a date already past says so."""
    counted = ", termasuk hari diterima" if policy.count_start_day else ""
    if not policy.calendar.cuti_bersama_is_workday:
        counted += "; cuti bersama bukan HK"
    uppg_past = PAST if deadlines.late_uppg else ""
    kpk_past = PAST if deadlines.late_kpk else ""
    lines = [f"Batas (HK = hari kerja{counted}):"]
    if not deadlines.late_kpk:  # past both: the late warning says what that means
        lines.append(
            f"• Ke UPPG ({policy.uppg_deadline_workdays} HK): {_day(deadlines.uppg)}{uppg_past}"
        )
    kpk_days = statute_days(policy.kpk_deadline_workdays, "Pasal 12C UU 20/2001", unit="HK")
    lines += [
        f"• Ke KPK ({kpk_days}): {_day(deadlines.kpk)}{kpk_past}",
        f"• UPPG meneruskan ke KPK: {_day(deadlines.forwarding)}",
    ]
    # Room on a phone: the holidays are named unless a longer warning follows.
    warning = deadlines.late_kpk or needs_direct_report(deadlines, policy)
    if deadlines.days_off and not warning:
        names = ", ".join(f"{d.day}/{d.month} {name}" for d, name in deadlines.days_off[:2])
        more = ", dll." if len(deadlines.days_off) > 2 else ""
        lines.append(f"Libur (tidak dihitung): {names}{more}")
    return lines


def _day(day: date) -> str:
    return tanggal(day, weekday=True, short=True)


def status_lines(deadlines: GiftDeadlines, policy: Policy) -> list[str]:
    """Whether the report came in time, and what the reporter must still do."""
    if deadlines.late_kpk:
        days = policy.kpk_deadline_workdays
        late = LATE_KPK if days == STATUTE_WORKDAYS else LATE_KPK_SETTING
        return [late.format(days=days)]
    if needs_direct_report(deadlines, policy):
        left = workdays_left(deadlines.reported, deadlines.kpk, policy)
        return [DIRECT_TO_KPK.format(left=left, days=policy.kpk_deadline_workdays)]
    if deadlines.late_uppg:
        return [LATE_UPPG]
    return [ON_TIME]


KEEP_IT = "Simpan objeknya sampai ada keputusan KPK (kecuali makanan mudah rusak)."
# The last advice, by where the object is now (what the reporter answered in the form).
WHEREABOUTS = {
    "disimpan_pelapor": "Objek masih Anda simpan: jaga sampai ada keputusan KPK (kecuali "
    "makanan mudah rusak).",
    "dititipkan_uppg": "Objek sudah dititipkan ke UPPG: simpan tanda terima penitipannya.",
    "bantuan_sosial": "Objek sudah disalurkan sebagai bantuan sosial: simpan foto atau tanda "
    "terima penyalurannya.",
    "dikembalikan": "Objek sudah dikembalikan ke pemberi: simpan bukti pengembaliannya bila ada.",
    "habis": "Objek sudah habis terpakai: laporan tetap dicatat dengan perkiraan nilainya.",
}


def receipt_text(receipt: Receipt, policy: Policy) -> str:
    """The message after "Kirim": number, summary, what happens next and by when."""
    lines = [
        "✅ Laporan Anda sudah kami terima." if receipt.created else "Laporan ini sudah terkirim.",
        f"Nomor laporan: {receipt.number}",
        f"Status: {statuses.label(receipt.status)}",
        "",
        # "Penerimaan (saya menerima)" is a button label: the receipt keeps the first word.
        f"Jenis: {vocab.REPORT_TYPES.get(receipt.report_type, receipt.report_type).split(' (')[0]}",
    ]
    if receipt.object_type:
        lines.append(f"Objek: {vocab.OBJECT_TYPES.get(receipt.object_type, receipt.object_type)}")
    if receipt.value_rp is not None:
        lines.append(f"Perkiraan nilai: {rupiah(receipt.value_rp)}")
    when = "Tanggal diterima" if receipt.report_type == "penerimaan" else "Tanggal penolakan"
    lines.append(f"{when}: {tanggal(receipt.received_date)}")
    if receipt.attachments:
        lines.append(f"Lampiran: {receipt.attachments} berkas")
    if receipt.report_type == "penerimaan" and receipt.uppg_deadline and receipt.kpk_deadline:
        # The counts the stored dates were computed with, as the PDF receipt states them:
        # a setting changed since does not relabel them.
        policy = replace(
            policy,
            uppg_deadline_workdays=receipt.uppg_workdays or policy.uppg_deadline_workdays,
            kpk_deadline_workdays=receipt.kpk_workdays or policy.kpk_deadline_workdays,
        )
        # The dates stored at submission: a receipt shown again keeps them.
        deadlines = gift_deadlines(
            receipt.received_date,
            receipt.submitted_on,
            policy,
            issued=(receipt.uppg_deadline, receipt.kpk_deadline),
        )
        lines += ["", *deadline_lines(deadlines, policy)]
        lines += ["", *status_lines(deadlines, policy)]
        lines += [
            "",
            "Selanjutnya: UPPG memeriksa dan meneruskan ke KPK. Bila diminta melengkapi: "
            f"paling lambat {tanggal(deadlines.completion, short=True)} "
            f"({policy.completion_workdays} HK sejak tanggal lapor).",
            WHEREABOUTS.get(receipt.object_location or "", KEEP_IT),
        ]
    else:
        lines += [
            "",
            "Selanjutnya: UPPG mencatat laporan penolakan Anda. Terima kasih telah menolak.",
        ]
    lines += ["", "Cek perkembangan: /status"]
    return "\n".join(lines)
