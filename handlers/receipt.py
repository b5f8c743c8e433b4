"""Reporting deadlines of a received gift in working days, and the receipt text a reporter gets.

To the UPPG: policy.uppg_deadline_workdays (the local regulation); to KPK: 30 working days
(UU 20/2001 Pasal 12C ayat 2), both counted from the day the gift was received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers import statuses, vocab
from handlers.formatting import rupiah, tanggal
from handlers.ports import Policy, Receipt


@dataclass(frozen=True)
class Deadlines:
    uppg: date
    kpk: date
    late_uppg: bool
    late_kpk: bool
    days_off: tuple[tuple[date, str], ...]


def compute(received: date, reported: date, policy: Policy) -> Deadlines:
    """The two deadlines for a gift received on `received` and reported on `reported`."""
    calendar = policy.calendar
    uppg = calendar.add_workdays(received, policy.uppg_deadline_workdays)
    kpk = calendar.add_workdays(received, policy.kpk_deadline_workdays)
    return Deadlines(
        uppg=uppg,
        kpk=kpk,
        late_uppg=reported > uppg,
        late_kpk=reported > kpk,
        days_off=tuple(calendar.days_off(received, kpk)),
    )


def workdays_since(received: date, today: date, policy: Policy) -> int:
    return policy.calendar.workdays_between(received, today)


LATE_KPK = (
    "⚠️ Laporan ini melewati 30 hari kerja sejak gratifikasi diterima.\n"
    "Sejak PerKPK 1/2026 (berlaku 20 Januari 2026):\n"
    "• gratifikasi yang terlambat dilaporkan dapat ditetapkan menjadi milik negara;\n"
    "• Pasal 12B UU Tipikor tetap berlaku (perlindungan Pasal 12C hanya untuk laporan "
    "tepat waktu).\n"
    "Laporan Anda tetap kami terima dan proses. Untuk langkah selanjutnya, "
    "konfirmasi ke UPPG."
)
LATE_UPPG = (
    "⚠️ Laporan ini melewati batas {days} hari kerja untuk lapor ke UPPG.\n"
    "Laporan tetap kami proses. Batas 30 hari kerja menurut UU (Pasal 12C) belum terlewati, "
    "jadi UPPG akan segera meneruskannya ke KPK."
)


def deadline_lines(deadlines: Deadlines, policy: Policy) -> list[str]:
    """The deadline part of a receipt, dates spelled out."""
    lines = [
        "Batas waktu (hari kerja sejak tanggal diterima):",
        f"• Ke UPPG: {policy.uppg_deadline_workdays} hari kerja, "
        f"paling lambat {tanggal(deadlines.uppg, weekday=True)}",
        f"• Ke KPK: {policy.kpk_deadline_workdays} hari kerja (UU 20/2001 Pasal 12C), "
        f"paling lambat {tanggal(deadlines.kpk, weekday=True)}",
    ]
    if deadlines.days_off:
        names = ", ".join(f"{d.day}/{d.month} {name}" for d, name in deadlines.days_off[:6])
        more = " dan lainnya" if len(deadlines.days_off) > 6 else ""
        lines.append(f"Libur yang tidak dihitung: {names}{more}.")
    if not policy.calendar.cuti_bersama_is_workday:
        lines.append("Cuti bersama tidak dihitung sebagai hari kerja.")
    return lines


def receipt_text(receipt: Receipt, policy: Policy) -> str:
    """The message after "Kirim": number, summary, what happens next and by when."""
    lines = [
        "✅ Laporan Anda sudah kami terima." if receipt.created else "Laporan ini sudah terkirim.",
        f"Nomor laporan: {receipt.number}",
        f"Status: {statuses.label(receipt.status)}",
        "",
        f"Jenis: {vocab.REPORT_TYPES.get(receipt.report_type, receipt.report_type)}",
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
        deadlines = compute(receipt.received_date, receipt.submitted_on, policy)
        lines += ["", *deadline_lines(deadlines, policy)]
        if deadlines.late_kpk:
            lines += ["", LATE_KPK]
        elif deadlines.late_uppg:
            lines += ["", LATE_UPPG.format(days=policy.uppg_deadline_workdays)]
        else:
            lines += ["", "Laporan Anda masuk tepat waktu. Terima kasih."]
        lines += [
            "",
            "Selanjutnya:",
            "• UPPG memeriksa kelengkapan laporan lalu meneruskannya ke KPK;",
            "• KPK menetapkan status objek (milik penerima atau milik negara) paling lambat "
            "30 hari kerja sejak laporan lengkap.",
            "Bila objek masih Anda simpan, jaga sampai ada keputusan KPK "
            "(kecuali makanan yang mudah rusak).",
        ]
    else:
        lines += [
            "",
            "Selanjutnya: UPPG mencatat laporan penolakan Anda. Terima kasih telah menolak.",
        ]
    lines += ["", "Cek perkembangan laporan dengan /status."]
    return "\n".join(lines)
