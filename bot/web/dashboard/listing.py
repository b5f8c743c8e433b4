"""The declaration list: filters from the query string, search, deadlines and pagination."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.backoffice.deadlines import Deadline, declaration_deadlines
from bot.config import Settings
from bot.messages import small_number
from bot.store.models import Declaration
from handlers import statuses as st
from handlers.workdays import WorkCalendar

PAGE_SIZE = 25
# Statuses whose UPPG-side deadlines are all behind them.
CLOSED = st.CLOSED


# Pages beyond this are never real (25 rows each); a larger number reads as the last page.
MAX_PAGE = 10**6


def page_number(raw: str | None) -> int:
    """A ?page= value: 1 when missing or unreadable, at most MAX_PAGE (the caller clamps it
    to the last page). Digits are counted before converting."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    number = small_number(text, MAX_PAGE)
    return max(1, number) if number is not None else MAX_PAGE


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ListFilter:
    """The list's filters, read leniently from the query string (bad values are ignored)."""

    status: str = ""
    report_type: str = ""
    unit: str = ""
    occasion: str = ""
    date_from: date | None = None  # tanggal lapor (submission), local time
    date_to: date | None = None
    overdue: bool = False
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ListFilter:
        return cls(
            status=(params.get("status") or "").strip(),
            report_type=(params.get("report_type") or "").strip(),
            unit=(params.get("unit") or "").strip(),
            occasion=(params.get("occasion") or "").strip(),
            date_from=_date(params.get("date_from")),
            date_to=_date(params.get("date_to")),
            overdue=(params.get("overdue") or "") in ("1", "on", "true"),
            q=(params.get("q") or "").strip()[:100],
            page=page_number(params.get("page")),
        )

    def params(self, *, page: int | None = None) -> dict[str, str]:
        """Non-empty filters as query parameters (page only when above 1)."""
        values = {
            "status": self.status,
            "report_type": self.report_type,
            "unit": self.unit,
            "occasion": self.occasion,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "overdue": "1" if self.overdue else "",
            "q": self.q,
        }
        chosen = page if page is not None else self.page
        if chosen > 1:
            values["page"] = str(chosen)
        return {k: v for k, v in values.items() if v}

    def query_string(self, *, page: int | None = None) -> str:
        return urlencode(self.params(page=page))

    def for_audit(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(replace(self, page=1)).items() if v and k != "page"}


def _local_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz).astimezone(UTC)


def filtered_query(f: ListFilter, tz: ZoneInfo) -> Select[Declaration]:
    """The declarations matching every filter except "overdue" (that needs the calendar)."""
    query = select(Declaration)
    if f.status:
        query = query.where(Declaration.status == f.status)
    if f.report_type:
        query = query.where(Declaration.report_type == f.report_type)
    if f.unit:
        query = query.where(Declaration.reporter_unit == f.unit)
    if f.occasion:
        query = query.where(Declaration.occasion == f.occasion)
    if f.date_from:
        query = query.where(Declaration.submitted_at >= _local_start(f.date_from, tz))
    if f.date_to:
        end = _local_start(f.date_to + timedelta(days=1), tz)
        query = query.where(Declaration.submitted_at < end)
    if f.q:
        needle = f.q.lower()
        query = query.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        Declaration.number,
                        Declaration.reporter_name,
                        Declaration.giver_name,
                        Declaration.giver_institution,
                    )
                )
            )
        )
    if f.overdue:
        query = query.where(Declaration.status.not_in(CLOSED))
    return query


@dataclass(frozen=True)
class Row:
    """One declaration with its deadlines, as the list and the exports show it."""

    declaration: Declaration
    deadlines: Sequence[Deadline]
    today: date

    @property
    def next_due(self) -> Deadline | None:
        """The earliest deadline still open."""
        open_ = [d for d in self.deadlines if not d.done]
        dated = [d for d in open_ if d.due is not None]
        if dated:
            return min(dated, key=lambda d: d.due or date.max)
        # Only a deadline the SK states and nobody entered yet.
        return open_[0] if open_ else None

    @property
    def overdue(self) -> bool:
        return any(d.overdue(self.today) for d in self.deadlines)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: ListFilter = field(default_factory=ListFilter)


def _rows(
    declarations: Sequence[Declaration], calendar: WorkCalendar, settings: Settings, today: date
) -> list[Row]:
    return [
        Row(d, declaration_deadlines(d, d.changes, calendar, settings), today) for d in declarations
    ]


def _ordered(query: Select[Declaration]) -> Select[Declaration]:
    return query.options(selectinload(Declaration.changes)).order_by(
        Declaration.submitted_at.desc(), Declaration.id.desc()
    )


async def fetch_all(
    session: AsyncSession,
    f: ListFilter,
    calendar: WorkCalendar,
    settings: Settings,
    today: date,
) -> list[Row]:
    """Every matching declaration, newest first (for exports)."""
    found = (await session.execute(_ordered(filtered_query(f, settings.tz)))).scalars().all()
    rows = _rows(found, calendar, settings, today)
    return [r for r in rows if r.overdue] if f.overdue else rows


async def fetch_page(
    session: AsyncSession,
    f: ListFilter,
    calendar: WorkCalendar,
    settings: Settings,
    today: date,
) -> Page:
    """One page of matching declarations, newest first."""
    if f.overdue:
        # Overdue depends on working days, computed here; open declarations are few.
        rows = await fetch_all(session, f, calendar, settings, today)
        total = len(rows)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(f.page, pages)
        start = (page - 1) * PAGE_SIZE
        return Page(rows[start : start + PAGE_SIZE], total, page, pages, f)
    query = filtered_query(f, settings.tz)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    found = (
        (await session.execute(_ordered(query).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        .scalars()
        .all()
    )
    return Page(_rows(found, calendar, settings, today), total, page, pages, f)


async def units(session: AsyncSession) -> list[str]:
    """The unit kerja names in use, for the filter's drop-down."""
    query = (
        select(Declaration.reporter_unit)
        .where(Declaration.reporter_unit.is_not(None))
        .distinct()
        .order_by(Declaration.reporter_unit)
    )
    return [u for u in (await session.execute(query)).scalars().all() if u]
