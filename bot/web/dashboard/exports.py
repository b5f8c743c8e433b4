"""CSV and XLSX exports of the filtered queue, built off the event loop.

An export runs in the export process (bot.web.dashboard.jobs): it reads the columns over
its own connection without ORM objects, counts the deadlines and writes the file, so /healthz
and the webhooks keep answering while a 5,000-row workbook is written.

Values that look like numbers but are identifiers (NIP, references, numbers) stay text in
every format: Excel would otherwise show an 18-digit NIP as 1,98501E+17.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

import xlsxwriter

from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.web.dashboard import fields, jobs, listing
from bot.web.dashboard.fields import Kind
from bot.web.dashboard.listing import Row
from bot.web.dashboard.workdays import calendar_for

Dialect = Literal["excel", "standar"]


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind
    width: int = 16


def queue_columns(kpk_days: int) -> tuple[Column, ...]:
    """The queue's columns; kpk_days: KPK_DEADLINE_WORKDAYS, which the header states."""
    return (
        Column("Ditangani oleh", "text", 16),
        Column("Batas berikutnya", "text", 26),
        Column("Tenggat", "date", 12),
        Column("Sisa hari kerja", "count", 10),
        Column("Lewat batas", "text", 10),
        Column(f"Batas {kpk_days} hari kerja ke KPK", "date", 14),
        Column("Terlambat dilaporkan", "text", 10),
        Column("Batas lapor pelapor ke UPPG", "date", 14),
        Column("Terlambat ke UPPG", "text", 10),
    )


WIDTHS = {"text": 20, "code": 22, "date": 12, "money": 16, "long": 40, "count": 10}


def _columns(kpk_days: int) -> tuple[Column, ...]:
    return (
        *(Column(f.label, f.kind, WIDTHS[f.kind]) for f in fields.EXPORTED),
        *queue_columns(kpk_days),
    )


def columns_for(settings: Settings) -> tuple[Column, ...]:
    """Every column of an export, the headers following the deadline settings."""
    return _columns(settings.kpk_deadline_workdays)


def headers_for(settings: Settings) -> tuple[str, ...]:
    return tuple(c.label for c in columns_for(settings))


# The columns with the settings' defaults (KPK_DEADLINE_WORKDAYS=30).
COLUMNS: tuple[Column, ...] = _columns(Settings.model_fields["kpk_deadline_workdays"].default)
HEADERS = tuple(c.label for c in COLUMNS)


def row_values(row: Row, tz: ZoneInfo) -> list[Any]:
    """One declaration as typed cells (dates as dates, the value as a number)."""
    d = row.declaration
    nxt = row.next_due
    left = row.workdays_left
    return [
        *(fields.export_value(f, d, tz) for f in fields.EXPORTED),
        row.assignee_text,
        nxt.label if nxt else "",
        nxt.due if nxt else None,
        left,  # a number (negative once passed), so a sheet can sort and sum it
        "Ya" if row.overdue else "Tidak",
        d.kpk_deadline,
        "Ya" if d.late else "Tidak",
        row.late.uppg_due,
        "Ya" if row.late.to_uppg else "Tidak",
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(text: str) -> str:
    """A leading = + - @ would run as a formula in a spreadsheet: shown as typed instead."""
    return "'" + text if text[:1] in _FORMULA_START else text


def _csv_cell(value: Any, kind: Kind, dialect: Dialect) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if dialect == "excel" else value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = _defused(str(value))
    if kind == "code" and dialect == "excel" and text.isdigit():
        # ="0123..." is Excel's and LibreOffice's way to keep digits as text from a CSV.
        return f'="{text}"'
    return text


def build_csv(
    rows: Sequence[Sequence[Any]],
    dialect: Dialect = "excel",
    *,
    columns: tuple[Column, ...] = COLUMNS,
) -> bytes:
    """Excel dialect (the default): ';' between cells and a byte-order mark, which is what
    Excel set to Indonesian expects; dates as 31/12/2026. "standar": RFC 4180 (commas, ISO
    dates, no BOM) for other tools."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if dialect == "excel" else ",", lineterminator="\r\n")
    writer.writerow([c.label for c in columns])
    kinds = [c.kind for c in columns]
    for values in rows:
        writer.writerow([_csv_cell(v, k, dialect) for v, k in zip(values, kinds, strict=True)])
    text = out.getvalue()
    return (("\ufeff" + text) if dialect == "excel" else text).encode("utf-8")


def build_xlsx(rows: Sequence[Sequence[Any]], *, columns: tuple[Column, ...] = COLUMNS) -> bytes:
    """One sheet (XlsxWriter, rows streamed to the file as written): bold frozen header,
    dates as dates, values as numbers, identifiers as text cells."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Laporan gratifikasi")
    formats = {
        "code": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "count": book.add_format({"num_format": "0"}),
    }
    bold = book.add_format({"bold": True, "bg_color": "#E8EDF2"})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column.label, bold)
    sheet.freeze_panes(1, 0)
    kinds = [c.kind for c in columns]
    for r, values in enumerate(rows, 1):
        for c, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            write_cell(sheet, r, c, value, formats.get(kind))
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    book.close()
    return out.getvalue()


def write_cell(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """One typed cell: text stays text (never a formula, never a number)."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "Ya" if value else "Tidak")
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, time.min), fmt)
    else:
        sheet.write_string(row, col, _defused(str(value)), fmt)


@dataclass(frozen=True)
class ExportJob:
    """What the export process needs: plain, picklable values only."""

    settings: Settings
    db: jobs.DbRef
    filters: listing.ListFilter
    officer_id: int | None
    today: date
    kind: Literal["csv", "xlsx"]
    dialect: Dialect = "excel"


def run_export(job: ExportJob) -> tuple[list[str], bytes]:
    """The numbers and the file of an export (in the export process: bot.web.dashboard.jobs)."""
    cipher = cipher_from_settings(job.settings)
    data = jobs.read(
        job.db,
        lambda session: listing.export_data(
            session, job.filters, job.settings, officer_id=job.officer_id, cipher=cipher
        ),
    )
    rows = listing.export_rows(
        data, job.filters, calendar_for(job.settings), job.settings, job.today
    )
    values = [row_values(r, job.settings.tz) for r in rows]
    numbers = [r.declaration.number for r in rows]
    columns = columns_for(job.settings)
    if job.kind == "csv":
        return numbers, build_csv(values, job.dialect, columns=columns)
    return numbers, build_xlsx(values, columns=columns)
