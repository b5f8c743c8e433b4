"""A printable PDF of one declaration, laid out like KPK's gratification report form.

Sections follow the form: identitas pelapor, data pemberi, data penerimaan/penolakan,
kronologi, lampiran; then the UPPG's processing record. DejaVu Sans (shipped in static/)
covers Indonesian text and any other Latin script a name may use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.store.models import Declaration, DeclarationAttachment
from bot.web.dashboard import labels

FONT_DIR = Path(__file__).parent / "static"
LABEL_WIDTH = 62


@dataclass(frozen=True)
class ReporterPii:
    """The decrypted personal data, passed in by the caller (only for logged-in officers)."""

    nik: str | None
    address: str | None
    phone: str | None
    giver_address: str | None = None


class _Form(FPDF):
    def __init__(self, number: str, printed: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.number = number
        self.printed = printed
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.number} · {self.printed}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Halaman {self.page_no()}/{{nb}}", align="R")


def _section(pdf: _Form, title: str) -> None:
    # Keep a heading with its first rows: never alone at the foot of a page.
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 10)
    pdf.set_fill_color(225, 232, 240)
    pdf.cell(0, 7, " " + title, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _fields(pdf: _Form, rows: Sequence[tuple[str, str]]) -> None:
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(
        col_widths=(LABEL_WIDTH, pdf.epw - LABEL_WIDTH),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        line_height=5.2,
        padding=1.2,
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value or "-")


def _text_block(pdf: _Form, text: str | None) -> None:
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, text or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def declaration_pdf(
    d: Declaration,
    attachments: Sequence[DeclarationAttachment],
    pii: ReporterPii,
    *,
    tz: ZoneInfo,
    printed_by: str,
    now: datetime,
) -> bytes:
    """The report form as PDF bytes."""
    printed = f"dicetak oleh {printed_by}, {labels.moment(now, tz)}"
    pdf = _Form(d.number, printed)
    pdf.set_title(f"Formulir Laporan Gratifikasi {d.number}")
    pdf.set_author("UPPG")
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, "FORMULIR LAPORAN GRATIFIKASI", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    subtitle = "Laporan kepada UPPG untuk diteruskan ke Komisi Pemberantasan Korupsi"
    pdf.cell(0, 5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _fields(
        pdf,
        [
            ("Nomor laporan", d.number),
            ("Jenis laporan", labels.report_type(d.report_type)),
            ("Tanggal lapor", labels.moment(d.submitted_at, tz)),
            ("Status", labels.status(d.status)),
        ],
    )

    _section(pdf, "A. IDENTITAS PELAPOR")
    _fields(
        pdf,
        [
            ("Nama lengkap", d.reporter_name),
            ("NIK", pii.nik or "-"),
            ("NIP", d.reporter_nip or "-"),
            ("Jabatan", d.reporter_jabatan or "-"),
            ("Unit kerja / instansi", d.reporter_unit or "-"),
            ("Alamat", pii.address or "-"),
            ("Nomor telepon", pii.phone or "-"),
            ("Email", d.reporter_email or "-"),
            ("Identitas dirahasiakan", labels.yes_no(d.confidential)),
        ],
    )

    _section(pdf, "B. DATA PEMBERI")
    _fields(
        pdf,
        [
            ("Nama pemberi", d.giver_name or "-"),
            ("Jabatan / pekerjaan", d.giver_position or "-"),
            ("Instansi", d.giver_institution or "-"),
            ("Alamat pemberi", pii.giver_address or "-"),
            ("Hubungan dengan pelapor", labels.relation(d.giver_relation)),
        ],
    )

    title = "PENERIMAAN" if d.report_type == "penerimaan" else "PENOLAKAN"
    _section(pdf, f"C. DATA {title} GRATIFIKASI")
    _fields(
        pdf,
        [
            ("Jenis objek", labels.object_type(d.object_type, d.object_type_other)),
            ("Uraian objek", d.description or "-"),
            ("Nilai / taksiran", labels.rupiah(d.value_rp)),
            ("Peristiwa / acara", labels.occasion(d.occasion, d.occasion_other)),
            ("Alasan pemberian", d.reason or "-"),
            (f"Tanggal {title.lower()}", labels.day(d.received_date)),
            ("Tempat", d.received_place or "-"),
            ("Keberadaan objek saat ini", labels.location(d.object_location)),
            ("Ingin kompensasi (membayar senilai objek)", labels.yes_no(d.wants_compensation)),
        ],
    )

    _section(pdf, "D. KRONOLOGI")
    _text_block(pdf, d.chronology)

    _section(pdf, "E. LAMPIRAN")
    if attachments:
        _fields(
            pdf,
            [
                (f"{i}. {labels.file_kind(a.kind)}", f"{a.name} ({labels.size(a.size)})")
                for i, a in enumerate(attachments, 1)
            ],
        )
    else:
        _text_block(pdf, "Tidak ada lampiran.")

    _section(pdf, "F. CATATAN PROSES UPPG")
    _fields(
        pdf,
        [
            ("Diterima UPPG", labels.moment(d.uppg_received_at or d.submitted_at, tz)),
            ("Diteruskan ke KPK", labels.day(d.forwarded_at, tz)),
            ("Nomor laporan KPK", d.kpk_reference or "-"),
            ("Keputusan KPK", labels.status(d.decision) if d.decision else "-"),
            ("Nomor / tanggal SK", f"{d.sk_number or '-'} / {labels.day(d.sk_date)}"),
        ],
    )
    return bytes(pdf.output())
