"""The parts every printed document shares: fonts with fallbacks, the letterhead, section
headings, label/value tables, a stamp, and the signature block.

Every string goes through `normalize_text`, so a character no font has becomes a visible
marker (bot.documents.fonts) instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.config import Settings
from bot.documents import fonts

FONT = "DejaVu"
LABEL_WIDTH = 62


def unset(name: str) -> str:
    """What prints where a setting is still empty: visible, so an admin fills it in."""
    return f"(belum diatur: {name.upper()})"


class Document(FPDF):
    """An A4 page with DejaVu Sans, the fallbacks its texts need, and a footer line."""

    def __init__(self, texts: Iterable[str | None], footer: str, *, created: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer
        self.add_font(FONT, "", str(fonts.REGULAR))
        self.add_font(FONT, "B", str(fonts.BOLD))
        self.coverage = fonts.coverage([*texts, footer])
        for name, path in self.coverage.fonts.items():
            self.add_font(name, "", str(path))
        if self.coverage.fonts:
            self.set_fallback_fonts(list(self.coverage.fonts), exact_match=False)
        if self.coverage.shaping:
            # Joined letters and right-to-left order (Arabic, Javanese, ...), via HarfBuzz.
            self.set_text_shaping(True)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 14, 18)
        self.set_creation_date(created)
        self.set_creator("gratibot")
        self.set_producer("gratibot")

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(self.coverage.printable(text))

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Halaman {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def letterhead_texts(settings: Settings) -> list[str]:
    return [settings.letterhead_instansi, settings.letterhead_unit, settings.letterhead_address]


def letterhead(pdf: Document, settings: Settings) -> None:
    """The instansi's kop surat: name, unit, address, and a double rule under them."""
    pdf.set_font(FONT, "B", 13)
    instansi = settings.letterhead_instansi or unset("letterhead_instansi")
    pdf.cell(0, 6.5, instansi.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 12)
    unit = settings.letterhead_unit or unset("letterhead_unit")
    pdf.cell(0, 6, unit.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8.5)
    address = settings.letterhead_address or unset("letterhead_address")
    pdf.multi_cell(0, 4.2, address, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.1, pdf.w - pdf.r_margin, y + 1.1)
    pdf.set_y(y + 4)


def title(pdf: Document, text: str, subtitle: str | None = None) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if subtitle:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def section(pdf: Document, heading: str) -> None:
    """A shaded heading, never left alone at the foot of a page."""
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    pdf.set_fill_color(225, 232, 240)
    pdf.cell(0, 7, " " + heading, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def fields(
    pdf: Document, rows: Sequence[tuple[str, str]], *, label_width: float = LABEL_WIDTH
) -> None:
    """Label/value rows; long values wrap inside their cell."""
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=(label_width, pdf.epw - label_width),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        line_height=5.2,
        padding=1.2,
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value or "-")


def text_block(pdf: Document, text: str | None) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, text or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def stamp(pdf: Document, text: str, *, color: tuple[int, int, int] = (179, 38, 30)) -> None:
    """A framed word at the top right of the current page (RAHASIA, TERLAMBAT)."""
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_font(FONT, "B", 12)
    width = pdf.get_string_width(text) + 8
    pdf.set_draw_color(*color)
    pdf.set_text_color(*color)
    pdf.set_line_width(0.7)
    pdf.set_xy(pdf.w - pdf.r_margin - width, 6)
    pdf.cell(width, 8, text, border=1, align="C")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x, y)


def signature_block(
    pdf: Document, place_and_date: str, role: str, name: str, nip: str, *, left: str = ""
) -> None:
    """ "Tasikmalaya, 4 Mei 2026 / Ketua UPPG / (space) / NAME / NIP ...", on the right; an
    optional second block on the left (the reporter's)."""
    if pdf.will_page_break(45):
        pdf.add_page()
    pdf.ln(6)
    half = pdf.epw / 2
    top = pdf.get_y()
    pdf.set_font(FONT, "", 9.5)
    if left:
        pdf.set_xy(pdf.l_margin, top + 5)
        pdf.multi_cell(half - 6, 5, left, align="C")
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.multi_cell(half, 5, f"{place_and_date}\n{role}", align="C")
    pdf.set_xy(pdf.l_margin + half, top + 30)
    pdf.set_font(FONT, "B", 9.5)
    pdf.multi_cell(half, 5, name, align="C")
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(half, 5, f"NIP {nip}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# The unit's name in full, as a signature under its head's title states it.
UPPG_FULL_NAME = "Unit Pencegahan dan Pengendalian Gratifikasi"


def head_of_uppg(settings: Settings) -> tuple[str, str, str]:
    """(role, name, NIP) of the one who signs for the UPPG, with visible gaps. The role is
    the title with the unit's full name and the instansi: "Ketua Unit Pencegahan dan
    Pengendalian Gratifikasi" / "PEMERINTAH KABUPATEN ..." (LETTERHEAD_INSTANSI)."""
    title = settings.uppg_head_title or unset("uppg_head_title")
    if UPPG_FULL_NAME.lower() not in title.lower():
        title = f"{title} {UPPG_FULL_NAME}"
    instansi = settings.letterhead_instansi or unset("letterhead_instansi")
    return (
        f"{title}\n{instansi}",
        settings.uppg_head_name or unset("uppg_head_name"),
        settings.uppg_head_nip or unset("uppg_head_nip"),
    )
