"""CSV and XLSX exports of the filtered declaration list."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.web.dashboard import labels
from bot.web.dashboard.listing import Row

COLUMNS = (
    "Nomor",
    "Jenis laporan",
    "Status",
    "Tanggal lapor",
    "Tanggal terima/tolak",
    "Nama pelapor",
    "NIP",
    "Jabatan",
    "Unit kerja",
    "Identitas dirahasiakan",
    "Nama pemberi",
    "Jabatan pemberi",
    "Instansi pemberi",
    "Hubungan",
    "Acara",
    "Alasan pemberian",
    "Jenis objek",
    "Uraian",
    "Nilai (Rp)",
    "Batas berikutnya",
    "Tenggat",
    "Lewat batas",
    "Diteruskan ke KPK",
    "Nomor KPK",
    "Nomor SK",
)


CONFIDENTIAL = "(dirahasiakan)"


def row_values(row: Row, tz: ZoneInfo) -> list[Any]:
    """One declaration as typed cells (dates as dates, value as a number)."""
    d = row.declaration
    submitted = d.submitted_at
    forwarded = d.forwarded_at
    nxt = row.next_due
    return [
        d.number,
        labels.report_type(d.report_type),
        labels.status(d.status),
        submitted.astimezone(tz).date() if submitted else None,
        d.received_date,
        # Export files travel further than the dashboard: a reporter who asked for
        # confidentiality is not named in them (the detail page still shows officers).
        CONFIDENTIAL if d.confidential else d.reporter_name,
        "" if d.confidential else d.reporter_nip or "",
        "" if d.confidential else d.reporter_jabatan or "",
        d.reporter_unit or "",
        "Ya" if d.confidential else "Tidak",
        d.giver_name or "",
        d.giver_position or "",
        d.giver_institution or "",
        labels.relation(d.giver_relation) if d.giver_relation else "",
        labels.occasion(d.occasion, d.occasion_other) if d.occasion else "",
        d.reason or "",
        labels.object_type(d.object_type, d.object_type_other) if d.object_type else "",
        d.description or "",
        d.value_rp,
        nxt.label if nxt else "",
        nxt.due if nxt else None,
        "Ya" if row.overdue else "Tidak",
        forwarded.astimezone(tz).date() if forwarded else None,
        d.kpk_reference or "",
        d.sk_number or "",
    ]


def _safe_text(value: Any) -> str:
    """Plain text for CSV; a leading = + - @ would run as a formula in a spreadsheet."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, int):
        return "'" + text
    return text


def to_csv(rows: Sequence[Row], tz: ZoneInfo) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Indonesian text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe_text(v) for v in row_values(row, tz)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(rows: Sequence[Row], tz: ZoneInfo) -> bytes:
    """One sheet, bold header, dates formatted as dates, values as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Laporan gratifikasi"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row_values(row, tz)])
    dated = ("Tanggal lapor", "Tanggal terima/tolak", "Tenggat", "Diteruskan ke KPK")
    for column in (get_column_letter(COLUMNS.index(name) + 1) for name in dated):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for cell in sheet["Q"][1:]:
        cell.number_format = "#,##0"
    widths = {"A": 18, "C": 24, "F": 24, "I": 24, "K": 22, "L": 22, "P": 40, "R": 26}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
