"""The monthly or semester recap: counts and values by category, unit and report type, the
on-time rate of forwarding to KPK, a server-rendered SVG chart, and an XLSX workbook."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.backoffice.deadlines import forwarding_due
from bot.config import Settings
from bot.store.models import Declaration
from bot.web.dashboard import labels
from handlers import statuses as st
from handlers.formatting import MONTHS
from handlers.workdays import WorkCalendar

_PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|S([12]))$")


@dataclass(frozen=True)
class Period:
    """A calendar month (2026-05) or semester (2026-S1), in local dates, end exclusive."""

    code: str
    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> Period | None:
        match = _PERIOD.match(code.strip())
        if not match:
            return None
        year = int(match.group(1))
        if match.group(2):
            month = int(match.group(2))
            end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return cls(code, f"{MONTHS[month - 1]} {year}", date(year, month, 1), end)
        half = int(match.group(3))
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 7, 1) if half == 1 else date(year + 1, 1, 1)
        name = "Januari-Juni" if half == 1 else "Juli-Desember"
        return cls(code, f"Semester {half} {year} ({name})", start, end)

    @classmethod
    def month_of(cls, day: date) -> Period:
        period = cls.parse(f"{day.year}-{day.month:02d}")
        assert period is not None
        return period


def period_choices(today: date, months: int = 18) -> list[Period]:
    """The recent months and semesters, newest first, for the period drop-down."""
    found: list[Period] = []
    year, month = today.year, today.month
    for _ in range(months):
        found.append(Period.month_of(date(year, month, 1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    semesters = []
    for y in range(today.year, today.year - 3, -1):
        for half in (2, 1):
            period = Period.parse(f"{y}-S{half}")
            if period is not None and period.start <= today:
                semesters.append(period)
    return semesters + found


@dataclass
class Bucket:
    """Counts and total declared value of one category."""

    label: str
    count: int = 0
    value: int = 0


@dataclass
class Recap:
    period: Period
    total: int = 0
    receipts: int = 0
    refusals: int = 0
    total_value: int = 0
    by_object: list[Bucket] = field(default_factory=list)
    by_occasion: list[Bucket] = field(default_factory=list)
    by_unit: list[Bucket] = field(default_factory=list)
    # Receipts whose UPPG -> KPK deadline has passed or which were forwarded.
    forward_due: int = 0
    forwarded_on_time: int = 0
    forwarded_late: int = 0
    not_forwarded_overdue: int = 0
    numbers: list[str] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """Share of receipts forwarded within the UPPG -> KPK deadline, of those that were due."""
        return self.forwarded_on_time / self.forward_due if self.forward_due else None


def _add(buckets: dict[str, Bucket], key: str, label: str, value: int | None) -> None:
    bucket = buckets.setdefault(key, Bucket(label))
    bucket.count += 1
    bucket.value += value or 0


def _sorted(buckets: dict[str, Bucket]) -> list[Bucket]:
    return sorted(buckets.values(), key=lambda b: (-b.count, -b.value, b.label))


def _utc_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz).astimezone(ZoneInfo("UTC"))


async def build_recap(
    session: AsyncSession,
    period: Period,
    calendar: WorkCalendar,
    settings: Settings,
    today: date,
) -> Recap:
    """The recap of declarations submitted in the period (local dates)."""
    tz = settings.tz
    query = (
        select(Declaration)
        .where(Declaration.submitted_at >= _utc_start(period.start, tz))
        .where(Declaration.submitted_at < _utc_start(period.end, tz))
        .order_by(Declaration.submitted_at, Declaration.id)
    )
    declarations = (await session.execute(query)).scalars().all()
    recap = Recap(period)
    objects: dict[str, Bucket] = {}
    occasions: dict[str, Bucket] = {}
    units: dict[str, Bucket] = {}
    for d in declarations:
        recap.total += 1
        recap.numbers.append(d.number)
        recap.total_value += d.value_rp or 0
        _add(objects, d.object_type or "-", labels.object_type(d.object_type), d.value_rp)
        _add(occasions, d.occasion or "-", labels.occasion(d.occasion), d.value_rp)
        _add(units, d.reporter_unit or "-", d.reporter_unit or "(tanpa unit)", d.value_rp)
        if d.report_type != "penerimaan":
            recap.refusals += 1
            continue
        recap.receipts += 1
        due = forwarding_due(d, settings, calendar)
        forwarded = d.forwarded_at
        if forwarded is not None:
            recap.forward_due += 1
            if forwarded.astimezone(tz).date() <= due:
                recap.forwarded_on_time += 1
            else:
                recap.forwarded_late += 1
        elif today > due and d.status not in st.CLOSED:
            # A report the UPPG closed itself (returned, social aid, duplicate) is not late.
            recap.forward_due += 1
            recap.not_forwarded_overdue += 1
    recap.by_object = _sorted(objects)
    recap.by_occasion = _sorted(occasions)
    recap.by_unit = _sorted(units)
    return recap


def bar_chart_svg(title: str, buckets: Sequence[Bucket], *, width: int = 640) -> str:
    """A horizontal bar chart of counts as inline SVG (labels escaped)."""
    bar_h, gap, label_w, top = 22, 8, 220, 34
    height = top + max(1, len(buckets)) * (bar_h + gap) + 10
    longest = max((b.count for b in buckets), default=0) or 1
    span = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    if not buckets:
        parts.append(f'<text x="0" y="{top + 16}" font-size="13">Tidak ada data.</text>')
    for i, bucket in enumerate(buckets):
        y = top + i * (bar_h + gap)
        w = max(2, round(span * bucket.count / longest))
        name = bucket.label if len(bucket.label) <= 32 else bucket.label[:31] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#2f6f9f" rx="3">'
            f"<title>{escape(bucket.label)}: {bucket.count}</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13">{bucket.count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _bucket_sheet(book: Workbook, title: str, heading: str, buckets: Sequence[Bucket]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([heading, "Jumlah laporan", "Nilai (Rp)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for bucket in buckets:
        sheet.append([bucket.label, bucket.count, bucket.value])
    for cell in sheet["C"][1:]:
        cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 18


def recap_xlsx(recap: Recap) -> bytes:
    """The recap as a workbook: a summary sheet and one sheet per grouping."""
    book = Workbook()
    summary = book.active
    summary.title = "Ringkasan"
    rate = recap.on_time_rate
    rows: list[tuple[str, object]] = [
        ("Periode", recap.period.label),
        ("Jumlah laporan", recap.total),
        ("Penerimaan", recap.receipts),
        ("Penolakan", recap.refusals),
        ("Total nilai (Rp)", recap.total_value),
        ("Penerimaan yang jatuh tempo diteruskan ke KPK", recap.forward_due),
        ("Diteruskan tepat waktu", recap.forwarded_on_time),
        ("Diteruskan terlambat", recap.forwarded_late),
        ("Belum diteruskan dan lewat batas", recap.not_forwarded_overdue),
        ("Tingkat tepat waktu", rate if rate is not None else "-"),
    ]
    for row in rows:
        summary.append(list(row))
    for cell in summary["A"]:
        cell.font = Font(bold=True)
    if rate is not None:
        summary.cell(row=len(rows), column=2).number_format = "0.0%"
    summary.cell(row=5, column=2).number_format = "#,##0"
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 28
    _bucket_sheet(book, "Jenis objek", "Jenis objek", recap.by_object)
    _bucket_sheet(book, "Acara", "Acara", recap.by_occasion)
    _bucket_sheet(book, "Unit kerja", "Unit kerja", recap.by_unit)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
