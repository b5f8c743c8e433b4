"""The UPPG's work queue: filters and search from the query string, the nearest deadline
first, days remaining, unread reporter answers, who handles each report, pagination.

Deadlines are counted in working days in Python (bot.backoffice.deadlines), so the order of
the open declarations is computed from their plain columns (export_data, export_rows,
queue_order) in a worker process; closed ones (no deadline left) follow, newest first,
paginated by the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any, Literal, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.backoffice.deadlines import (
    ON_TIME,
    Deadline,
    LateReport,
    declaration_deadlines,
    late_report,
)
from bot.config import Settings
from bot.crypto import Cipher
from bot.messages import small_number
from bot.store.models import Declaration, StatusChange, ThreadMessage, User
from bot.store.sealed import word_hash, words
from handlers import statuses as st
from handlers.workdays import WorkCalendar

PAGE_SIZE = 25
# Statuses whose UPPG-side deadlines are all behind them.
CLOSED = st.CLOSED
# A deadline this many working days away (or fewer) is "due soon" (amber).
SOON_WORKDAYS = 3
SORTS = {"tenggat": "Batas terdekat", "terbaru": "Terbaru dilaporkan"}
Urgency = Literal["late", "soon", ""]


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


def _flag(value: str | None) -> bool:
    return (value or "") in ("1", "on", "true")


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
    mine: bool = False  # "Tugas saya": handled by the logged-in officer
    unread: bool = False  # with a reporter answer no officer has opened yet
    # Open reports nobody active handles: no officer, or one whose account was deactivated.
    unassigned: bool = False
    q: str = ""
    sort: str = "tenggat"
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ListFilter:
        sort = (params.get("sort") or "").strip()
        return cls(
            status=(params.get("status") or "").strip(),
            report_type=(params.get("report_type") or "").strip(),
            unit=(params.get("unit") or "").strip(),
            occasion=(params.get("occasion") or "").strip(),
            date_from=_date(params.get("date_from")),
            date_to=_date(params.get("date_to")),
            overdue=_flag(params.get("overdue")),
            mine=_flag(params.get("mine")),
            unread=_flag(params.get("unread")),
            unassigned=_flag(params.get("unassigned")),
            q=(params.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else "tenggat",
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
            "mine": "1" if self.mine else "",
            "unread": "1" if self.unread else "",
            "unassigned": "1" if self.unassigned else "",
            "q": self.q,
            "sort": "" if self.sort == "tenggat" else self.sort,
        }
        chosen = page if page is not None else self.page
        if chosen > 1:
            values["page"] = str(chosen)
        return {k: v for k, v in values.items() if v}

    def query_string(self, *, page: int | None = None) -> str:
        return urlencode(self.params(page=page))

    def for_audit(self) -> dict[str, str]:
        skip = ("page", "sort")
        return {k: str(v) for k, v in asdict(replace(self, page=1)).items() if v and k not in skip}


def _local_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz).astimezone(UTC)


_NIP_TYPED = re.compile(r"^[\d\s.-]+$")


def nip_of(text: str) -> str | None:
    """An 18-digit NIP typed with or without spaces ("19850101 201001 1 001"), or None."""
    if not _NIP_TYPED.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) == 18 else None


def inactive_officers() -> Select[int]:
    """Ids of deactivated dashboard accounts: their reports need a new handler."""
    return select(User.id).where(User.active.is_(False))


def unread_answers() -> Select[int]:
    """Ids of declarations with a reporter answer no officer has opened yet."""
    return select(ThreadMessage.declaration_id).where(
        ThreadMessage.direction == "from_reporter", ThreadMessage.read_at.is_(None)
    )


# A report number typed short, as officers say it: "GRT-2026-7", "grt 12", "GRT 2026 12".
_SHORT_NUMBER = re.compile(r"grt[-\s/]*(?:(\d{4})[-\s/]+)?(\d{1,6})", re.IGNORECASE)


def _search(q: str, cipher: Cipher | None) -> ColumnElement[bool]:
    """Number, giver, KPK reference and SK number by substring; the reporter's name (kept
    sealed) by whole words, through its word index; a NIP by its keyed index."""
    needle = q.lower()
    found: list[ColumnElement[bool]] = [
        func.lower(column).contains(needle, autoescape=True)
        for column in (
            Declaration.number,
            Declaration.giver_name,
            Declaration.giver_institution,
            Declaration.kpk_reference,
            Declaration.sk_number,
        )
    ]
    typed = words(q)
    if cipher is not None and typed:
        # Every word typed is a whole word of the name ("budi sant" finds nothing, "budi"
        # and "santoso budi" find Budi Santoso).
        found.append(
            and_(
                *(
                    Declaration.name_index.contains(f" {word_hash(cipher, w)} ", autoescape=True)
                    for w in typed
                )
            )
        )
    short = _SHORT_NUMBER.fullmatch(q.strip())
    if short:
        # "GRT-2026-7", "grt 7": the number without its leading zeros.
        tail = f"-{int(short[2]):06d}"
        year = short[1]
        found.append(
            Declaration.number == f"GRT-{year}{tail}"
            if year
            else Declaration.number.endswith(tail, autoescape=True)
        )
    nip = nip_of(q)
    if nip is not None and cipher is not None:
        # The NIP is matched whole, by its blind index.
        found.append(Declaration.nip_index == cipher.index(nip))
    return or_(*found)


def filtered_query(
    f: ListFilter, tz: ZoneInfo, *, officer_id: int | None = None, cipher: Cipher | None = None
) -> Select[Declaration]:
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
    if f.mine:
        query = query.where(Declaration.assignee_id == (officer_id or -1))
    if f.unread:
        query = query.where(Declaration.id.in_(unread_answers()))
    if f.unassigned:
        query = query.where(
            Declaration.status.not_in(CLOSED),
            or_(
                Declaration.assignee_id.is_(None),
                Declaration.assignee_id.in_(inactive_officers()),
            ),
        )
    if f.q:
        query = query.where(_search(f.q, cipher))
    if f.overdue:
        query = query.where(Declaration.status.not_in(CLOSED))
    return query


@dataclass(frozen=True)
class Row:
    """One declaration with its deadlines, as the queue and the exports show it."""

    declaration: Declaration
    deadlines: Sequence[Deadline]
    today: date
    calendar: WorkCalendar | None = None
    unread: int = 0
    assignee: str | None = None
    # False when the handler's account has been deactivated: the report needs a new one.
    assignee_active: bool = True
    # Reported after the reporter's deadline to the UPPG, or after the 30 working days.
    late: LateReport = ON_TIME

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

    @property
    def assignee_text(self) -> str:
        """ "siti", "budi (nonaktif)" or "" when nobody handles it."""
        if not self.assignee:
            return ""
        return self.assignee if self.assignee_active else f"{self.assignee} (nonaktif)"

    @property
    def needs_handler(self) -> bool:
        """An open report whose handler's account was deactivated."""
        open_ = self.declaration.status not in CLOSED
        return open_ and self.declaration.assignee_id is not None and not self.assignee_active

    @property
    def workdays_left(self) -> int | None:
        """Working days until the next deadline; negative once it has passed."""
        nxt = self.next_due
        if nxt is None or nxt.due is None or self.calendar is None:
            return None
        return workdays_left(nxt.due, self.today, self.calendar)

    @property
    def urgency(self) -> Urgency:
        """ "late" (red) past a deadline, "soon" (amber) within 3 working days."""
        left = self.workdays_left
        if self.overdue or (left is not None and left < 0):
            return "late"
        if left is not None and left <= SOON_WORKDAYS:
            return "soon"
        return ""

    @property
    def left_text(self) -> str:
        nxt = self.next_due
        if nxt is None or nxt.due is None or self.calendar is None:
            return ""
        return left_text(nxt.due, self.today, self.calendar)


def workdays_left(due: date, today: date, calendar: WorkCalendar) -> int:
    """Working days from today to the due date; negative once it has passed."""
    if due >= today:
        return calendar.workdays_between(today, due)
    return -calendar.workdays_between(due, today)


def left_text(due: date, today: date, calendar: WorkCalendar) -> str:
    """ "sisa 2 hari kerja", "hari ini", "lewat 4 hari kerja"."""
    if due == today:
        return "hari ini"
    if due < today:
        return f"lewat {max(1, -workdays_left(due, today, calendar))} hari kerja"
    return f"sisa {workdays_left(due, today, calendar)} hari kerja"


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: ListFilter = field(default_factory=ListFilter)


def _row(d: Declaration, calendar: WorkCalendar, settings: Settings, today: date) -> Row:
    deadlines = declaration_deadlines(d, d.changes, calendar, settings)
    return Row(d, deadlines, today, calendar, late=late_report(d, settings))


def _newest_first(query: Select[Declaration]) -> Select[Declaration]:
    return query.options(selectinload(Declaration.changes)).order_by(
        Declaration.submitted_at.desc(), Declaration.id.desc()
    )


def _queue_key(row: Row) -> tuple[int, date, float, int]:
    """Open deadlines first, nearest first, and on the same day the report that has waited
    longest (oldest first); then the rest, newest first."""
    nxt = row.next_due
    submitted = row.declaration.submitted_at
    moment = submitted.timestamp() if submitted else 0.0
    if nxt is None:
        return (1, date.max, -moment, -row.declaration.id)
    return (0, nxt.due or date.max, moment, row.declaration.id)


async def _decorate(session: AsyncSession, rows: list[Row]) -> list[Row]:
    """Adds the unread answer counts and the assignees' names to one page of rows."""
    ids = [r.declaration.id for r in rows]
    if not ids:
        return rows
    unread: dict[int, int] = dict(
        (
            await session.execute(
                select(ThreadMessage.declaration_id, func.count())
                .where(
                    ThreadMessage.declaration_id.in_(ids),
                    ThreadMessage.direction == "from_reporter",
                    ThreadMessage.read_at.is_(None),
                )
                .group_by(ThreadMessage.declaration_id)
            )
        ).all()
    )
    user_ids = {r.declaration.assignee_id for r in rows if r.declaration.assignee_id}
    names: dict[int, tuple[str, bool]] = {}
    if user_ids:
        found = await session.execute(
            select(User.id, User.username, User.active).where(User.id.in_(user_ids))
        )
        names = {uid: (name, bool(active)) for uid, name, active in found.all()}
    decorated = []
    for r in rows:
        name, active = names.get(r.declaration.assignee_id or 0, (None, True))
        decorated.append(
            replace(
                r,
                unread=int(unread.get(r.declaration.id, 0)),
                assignee=name,
                assignee_active=active,
            )
        )
    return decorated


async def newest_page(
    session: AsyncSession,
    f: ListFilter,
    calendar: WorkCalendar,
    settings: Settings,
    today: date,
    *,
    officer_id: int | None = None,
    cipher: Cipher | None = None,
) -> Page:
    """One page of the queue, newest first (sort=terbaru): paginated by the database."""
    query = filtered_query(f, settings.tz, officer_id=officer_id, cipher=cipher)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    found = (
        await session.execute(_newest_first(query).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    ).scalars()
    rows = [_row(d, calendar, settings, today) for d in found]
    return Page(await _decorate(session, rows), total, page, pages, f)


async def queue_page(
    session: AsyncSession,
    f: ListFilter,
    open_ids: Sequence[int],
    calendar: WorkCalendar,
    settings: Settings,
    today: date,
    *,
    officer_id: int | None = None,
    cipher: Cipher | None = None,
) -> Page:
    """One page of the queue, nearest deadline first: the open declarations in the order
    `open_ids` gives (computed in a worker process: bot.web.dashboard.queue_order), then the
    closed ones newest first, paginated by the database. Only the page's rows are loaded."""
    query = filtered_query(f, settings.tz, officer_id=officer_id, cipher=cipher)
    closed_total = 0
    if not f.overdue:
        closed_query = query.where(Declaration.status.in_(CLOSED))
        closed_total = (
            await session.execute(select(func.count()).select_from(closed_query.subquery()))
        ).scalar_one()
    total = len(open_ids) + closed_total
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    start = (page - 1) * PAGE_SIZE
    wanted = list(open_ids[start : start + PAGE_SIZE])
    rows: list[Row] = []
    if wanted:
        found = await session.execute(
            select(Declaration)
            .where(Declaration.id.in_(wanted))
            .options(selectinload(Declaration.changes))
        )
        by_id = {d.id: d for d in found.scalars()}
        rows = [_row(by_id[i], calendar, settings, today) for i in wanted if i in by_id]
    if len(wanted) < PAGE_SIZE and closed_total:
        offset = max(0, start - len(open_ids))
        closed_query = _newest_first(query.where(Declaration.status.in_(CLOSED)))
        found_closed = (
            await session.execute(closed_query.limit(PAGE_SIZE - len(wanted)).offset(offset))
        ).scalars()
        rows += [_row(d, calendar, settings, today) for d in found_closed]
    return Page(await _decorate(session, rows), total, page, pages, f)


@dataclass
class ExportData:
    """The raw material of the queue's order and of an export, read without building ORM
    objects: every matching declaration's columns, the status changes its deadlines read
    ("perlu dilengkapi" for the completion deadline, a state-property decision for the
    hand-over date the SK states), unread answers and assignees."""

    records: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[int, list[tuple[str, datetime, dict[str, Any]]]] = field(default_factory=dict)
    unread: dict[int, int] = field(default_factory=dict)
    assignees: dict[int, str] = field(default_factory=dict)
    inactive: set[int] = field(default_factory=set)  # deactivated accounts


# The status changes declaration_deadlines reads.
DEADLINE_CHANGES = (st.PERLU_DILENGKAPI, *st.STATE_PROPERTY)


async def export_data(
    session: AsyncSession,
    f: ListFilter,
    settings: Settings,
    *,
    officer_id: int | None = None,
    cipher: Cipher | None = None,
    open_only: bool = False,
    chunk: int = 500,
) -> ExportData:
    """Every matching declaration (only the open ones, for the queue's order), newest
    first, read a chunk at a time."""
    matching = filtered_query(f, settings.tz, officer_id=officer_id, cipher=cipher)
    if open_only:
        matching = matching.where(Declaration.status.not_in(CLOSED))
    ids = matching.with_only_columns(Declaration.id).scalar_subquery()
    table = Declaration.__table__
    query = (
        select(table)
        .where(table.c.id.in_(ids))
        .order_by(table.c.submitted_at.desc(), table.c.id.desc())
        .execution_options(yield_per=chunk)
    )
    data = ExportData()
    result = await session.stream(query)
    async for partition in result.partitions():
        data.records.extend(dict(row._mapping) for row in partition)
    changes = await session.execute(
        select(
            StatusChange.declaration_id,
            StatusChange.to_status,
            StatusChange.at,
            StatusChange.details,
        )
        .where(StatusChange.to_status.in_(DEADLINE_CHANGES), StatusChange.declaration_id.in_(ids))
        .order_by(StatusChange.id)
    )
    for declaration_id, to_status, at, details in changes.all():
        data.changes.setdefault(declaration_id, []).append((to_status, at, details or {}))
    unread = await session.execute(
        select(ThreadMessage.declaration_id, func.count())
        .where(
            ThreadMessage.direction == "from_reporter",
            ThreadMessage.read_at.is_(None),
            ThreadMessage.declaration_id.in_(ids),
        )
        .group_by(ThreadMessage.declaration_id)
    )
    data.unread = {declaration_id: int(n) for declaration_id, n in unread.all()}
    users = (await session.execute(select(User.id, User.username, User.active))).all()
    data.assignees = {uid: name for uid, name, _active in users}
    data.inactive = {uid for uid, _name, active in users if not active}
    return data


def export_rows(
    data: ExportData, f: ListFilter, calendar: WorkCalendar, settings: Settings, today: date
) -> list[Row]:
    """The queue rows of an export or of the queue's order (no database access).

    Each row is a read-only view with the model's attribute names, not an ORM object: the
    deadline code only reads attributes, and thousands of instrumented objects cost seconds."""
    rows = []
    for record in data.records:
        changes = [
            SimpleNamespace(to_status=to_status, at=at, details=details)
            for to_status, at, details in data.changes.get(record["id"], [])
        ]
        d = cast(Declaration, SimpleNamespace(**record, changes=changes))
        row = Row(
            d,
            declaration_deadlines(d, cast(list[StatusChange], changes), calendar, settings),
            today,
            calendar,
            unread=data.unread.get(d.id, 0),
            assignee=data.assignees.get(d.assignee_id or 0),
            assignee_active=(d.assignee_id or 0) not in data.inactive,
            late=late_report(d, settings),
        )
        if not f.overdue or row.overdue:
            rows.append(row)
    return rows


def queue_order(rows: list[Row]) -> list[int]:
    """The ids of open rows in the queue's order: nearest deadline first."""
    return [r.declaration.id for r in sorted(rows, key=_queue_key)]


async def units(session: AsyncSession) -> list[str]:
    """The unit kerja names in use, for the filter's drop-down."""
    query = (
        select(Declaration.reporter_unit)
        .where(Declaration.reporter_unit.is_not(None))
        .distinct()
        .order_by(Declaration.reporter_unit)
    )
    return [u for u in (await session.execute(query)).scalars().all() if u]


async def officers(session: AsyncSession) -> list[tuple[int, str]]:
    """Active dashboard accounts (id, username), for "Ditangani oleh"."""
    query = select(User.id, User.username).where(User.active.is_(True)).order_by(User.username)
    return [(uid, name) for uid, name in (await session.execute(query)).all()]
