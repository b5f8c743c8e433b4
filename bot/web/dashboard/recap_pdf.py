"""The recap as an official PDF: a cover page on the instansi's letterhead addressed to KPK or
to the regional head, the figures, the grouped tables, one row per report, and the UPPG
head's signature block; the perishable food given as social aid, one by one (reference 2.7:
the UPPG reports a recap of it to KPK)."""

from __future__ import annotations

from datetime import date, datetime

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bot.config import Settings
from bot.documents import layout
from bot.documents.layout import FONT
from bot.web.dashboard import labels
from bot.web.dashboard.recap import (
    TOTAL_LABEL,
    VARIANTS,
    Recap,
    ReportLine,
    Variant,
    bucket_headers,
    groupings,
    summary_rows,
)
from handlers.formatting import tanggal

# A table's total row, in bold like the workbook's.
TOTAL_STYLE = FontFace(emphasis="BOLD")
# Wide enough for the longest short date ("30 Sep 2026", 18 mm at 8 pt) with its padding.
DATE_WIDTH = 21


def _short(day: date | None) -> str:
    """ "30 Sep 2026": a table's date on one line ("30 September 2026" wrapped in two)."""
    return tanggal(day, short=True) if day else "-"


ADDRESSEES = {
    "kpk": "Direktur Gratifikasi dan Pelayanan Publik\nKomisi Pemberantasan Korupsi",
}


def _money_or_count(label: str, value: object) -> str:
    if isinstance(value, int):
        return labels.rupiah(value) if "(Rp)" in label else str(value)
    return str(value)


def recap_pdf(recap: Recap, settings: Settings, variant: Variant, *, now: datetime) -> bytes:
    """The recap of the period as PDF bytes."""
    tz = settings.tz
    texts = [*layout.letterhead_texts(settings), *(line.unit for line in recap.lines)]
    texts += [line.description for line in recap.lines]
    texts += [given.recipient for given in recap.social_aid]
    pdf = layout.Document(texts, f"Rekap {recap.period.label}", created=now)
    pdf.set_title(f"Rekapitulasi laporan gratifikasi {recap.period.label}")
    pdf.add_page()
    layout.letterhead(pdf, settings)
    pdf.set_font(FONT, "", 9.5)
    addressee = (
        ADDRESSEES.get(variant)
        or settings.regional_head_title
        or layout.unset("regional_head_title")
    )
    pdf.multi_cell(
        0, 5, f"Kepada Yth.\n{addressee}\ndi tempat", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)
    layout.title(
        pdf, "REKAPITULASI LAPORAN GRATIFIKASI", f"{VARIANTS[variant]}\n{recap.period.label}"
    )
    layout.fields(
        pdf, [(k, _money_or_count(k, v)) for k, v in summary_rows(recap)[1:]], label_width=110
    )
    role, name, nip = layout.head_of_uppg(settings)
    place = settings.report_place or layout.unset("report_place")
    layout.signature_block(pdf, f"{place}, {labels.day(now, tz)}", role, name, nip)

    for heading, buckets in groupings(recap, variant):
        layout.section(pdf, heading)
        pdf.set_font(FONT, "", 8.5)
        headers = bucket_headers(heading)
        with pdf.table(
            col_widths=(58, 24, 30, 24, 30)[: 1 + len(headers)],
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")[: 1 + len(headers)],
            line_height=4.6,
            padding=1,
        ) as table:
            table.row([heading.split(" (")[0], *headers])
            for b in buckets:
                figures = [
                    str(b.receipts),
                    labels.rupiah(b.receipts_value),
                    str(b.refusals),
                    labels.rupiah(b.refusals_value),
                ]
                table.row([b.label, *figures[: len(headers)]])
            if not buckets:
                table.row(["Tidak ada data.", *([""] * len(headers))])
            else:
                # The same totals as the workbook's sheets: a reader checks the sums at a glance.
                sums = [
                    str(sum(b.receipts for b in buckets)),
                    labels.rupiah(sum(b.receipts_value for b in buckets)),
                    str(sum(b.refusals for b in buckets)),
                    labels.rupiah(sum(b.refusals_value for b in buckets)),
                ]
                table.row([TOTAL_LABEL, *sums[: len(headers)]], style=TOTAL_STYLE)

    _social_aid(pdf, recap)
    layout.section(pdf, f"Daftar laporan ({len(recap.lines)})")
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(
        # A date ("30 Sep 2026") fits its column on one line at this size.
        col_widths=(29, DATE_WIDTH, 26, 20, 20, 26, 32),
        line_height=4,
        padding=0.8,
        text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"),
    ) as table:
        table.row(["Nomor", "Tgl lapor", "Unit kerja", "Objek", "Nilai", "No. KPK / SK", "Hasil"])
        for line in recap.lines:
            refs = " / ".join(x for x in (line.kpk_reference, line.sk_number) if x) or "-"
            kind = "Penolakan: " if line.report_type == "Penolakan" else ""
            table.row(
                [
                    line.number + _late_mark(line),
                    _short(line.submitted),
                    line.unit or "-",
                    line.object_type,
                    labels.rupiah(line.value),
                    refs,
                    kind + line.outcome,
                ]
            )
        if recap.lines:
            total = labels.rupiah(sum(line.value or 0 for line in recap.lines))
            table.row([TOTAL_LABEL, "", "", "", total, "", ""], style=TOTAL_STYLE)
    return bytes(pdf.output())


def _social_aid(pdf: layout.Document, recap: Recap) -> None:
    """Perishable food or drink given as social aid: to whom, when, what and its value."""
    layout.section(
        pdf, f"Makanan/minuman yang disalurkan sebagai bantuan sosial ({len(recap.social_aid)})"
    )
    pdf.set_font(FONT, "", 8)
    if not recap.social_aid:
        pdf.multi_cell(0, 5, "Tidak ada.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    with pdf.table(
        col_widths=(29, DATE_WIDTH, 40, 22, 41, DATE_WIDTH),
        line_height=4.2,
        padding=0.8,
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"),
    ) as table:
        table.row(["Nomor", "Tgl diterima", "Objek", "Nilai", "Penerima bantuan", "Disalurkan"])
        for given in recap.social_aid:
            table.row(
                [
                    given.number,
                    _short(given.received),
                    f"{given.object_type}: {given.description}".strip(": "),
                    labels.rupiah(given.value),
                    given.recipient or "-",
                    _short(given.distributed),
                ]
            )


def _late_mark(line: ReportLine) -> str:
    """After the 30 working days, or only after the reporter's own deadline to the UPPG."""
    if line.late:
        return " (terlambat)"
    return " (terlambat ke UPPG)" if line.late_uppg else ""
