"""The recap of a month, quarter, semester or year: receipts and refusals apart everywhere,
by category, unit and KPK decision, the reports the UPPG closed itself (perishable food given
as social aid, listed one by one for KPK: reference 2.7), the on-time rate of forwarding to
KPK, one row per report, a server-rendered SVG chart, and the workbook (XlsxWriter).

Two variants share the figures: KPK's periodic UPG recap (every report with its KPK
reference and SK) and the regional head's (by unit, with what is late).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.backoffice.deadlines import forwarding_due, late_report
from bot.config import Settings
from bot.store.models import Declaration, StatusChange
from bot.web.dashboard import labels
from bot.web.dashboard.masking import masked
from handlers import statuses as st
from handlers.formatting import MONTHS
from handlers.workdays import WorkCalendar

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|S([12])|Q([1-4])))?$")
ROMAN = ("I", "II", "III", "IV")
Variant = Literal["kpk", "bupati"]
VARIANTS: dict[str, str] = {
    "kpk": "Rekapitulasi berkala UPG untuk KPK",
    "bupati": "Laporan kepada kepala daerah",
}
PERIOD_HELP = (
    "Periode tidak dikenali. Tulis bulan (2026-05), triwulan (2026-Q2), semester (2026-S1) "
    "atau tahun (2026), atau pilih dari daftar."
)


@dataclass(frozen=True)
class Period:
    """A month (2026-05), quarter (2026-Q2), semester (2026-S1) or year (2026), in local
    dates, end exclusive."""

    code: str
    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> Period | None:
        code = code.strip().upper()
        match = _PERIOD.match(code)
        if not match:
            return None
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            return None
        month, half, quarter = match.group(2), match.group(3), match.group(4)
        if month:
            m = int(month)
            end = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
            return cls(code, f"{MONTHS[m - 1]} {year}", date(year, m, 1), end)
        if half:
            h = int(half)
            start = date(year, 1 if h == 1 else 7, 1)
            end = date(year, 7, 1) if h == 1 else date(year + 1, 1, 1)
            name = "Januari-Juni" if h == 1 else "Juli-Desember"
            return cls(code, f"Semester {h} {year} ({name})", start, end)
        if quarter:
            q = int(quarter)
            start = date(year, 3 * q - 2, 1)
            end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
            months = f"{MONTHS[3 * q - 3]}-{MONTHS[3 * q - 1]}"
            return cls(code, f"Triwulan {ROMAN[q - 1]} {year} ({months})", start, end)
        return cls(code, f"Tahun {year}", date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def month_of(cls, day: date) -> Period:
        period = cls.parse(f"{day.year}-{day.month:02d}")
        assert period is not None
        return period


def period_choices(today: date, months: int = 18) -> list[Period]:
    """Years, semesters, quarters and months that have begun, newest first."""
    found: list[Period] = []
    for year in range(today.year, today.year - 3, -1):
        for code in (f"{year}", f"{year}-S2", f"{year}-S1"):
            period = Period.parse(code)
            if period is not None and period.start <= today:
                found.append(period)
    for year in range(today.year, today.year - 2, -1):
        for q in (4, 3, 2, 1):
            period = Period.parse(f"{year}-Q{q}")
            if period is not None and period.start <= today:
                found.append(period)
    year, month = today.year, today.month
    for _ in range(months):
        found.append(Period.month_of(date(year, month, 1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found


@dataclass
class Bucket:
    """One category: receipts and refusals counted and valued apart."""

    label: str
    receipts: int = 0
    receipts_value: int = 0
    refusals: int = 0
    refusals_value: int = 0

    @property
    def count(self) -> int:
        return self.receipts + self.refusals

    def add(self, d: Declaration) -> None:
        if d.report_type == "penolakan":
            self.refusals += 1
            self.refusals_value += d.value_rp or 0
        else:
            self.receipts += 1
            self.receipts_value += d.value_rp or 0


@dataclass(frozen=True)
class ReportLine:
    """One report in the per-report sheet."""

    number: str
    report_type: str
    submitted: date | None
    received: date | None
    unit: str
    object_type: str
    description: str
    value: int | None
    status: str
    kpk_reference: str
    sk_number: str
    sk_date: date | None
    outcome: str
    late: bool  # after the gift's 30 working days
    late_uppg: bool  # after the reporter's own deadline to the UPPG


@dataclass(frozen=True)
class AidLine:
    """Perishable food or drink given as social aid: what the UPPG's recap tells KPK."""

    number: str
    received: date | None
    object_type: str
    description: str
    value: int | None
    recipient: str
    distributed: date | None


@dataclass
class Recap:
    period: Period
    # The working days "terlambat" means here (KPK_DEADLINE_WORKDAYS when the recap is made).
    kpk_days: int
    receipts: Bucket = field(default_factory=lambda: Bucket("Jumlah"))
    by_object: list[Bucket] = field(default_factory=list)
    by_occasion: list[Bucket] = field(default_factory=list)
    by_unit: list[Bucket] = field(default_factory=list)
    by_decision: list[Bucket] = field(default_factory=list)
    # Reports the UPPG closed without a KPK decision of their own, by how.
    by_closing: list[Bucket] = field(default_factory=list)
    social_aid: list[AidLine] = field(default_factory=list)
    # The same report sent twice: listed, never counted or valued twice.
    duplicates: int = 0
    # Milik negara: value handed over or deposited (status Selesai), and still to do.
    state_settled: int = 0
    state_settled_value: int = 0
    state_pending: int = 0
    state_pending_value: int = 0
    # Receipts whose UPPG -> KPK deadline has passed or which were forwarded.
    forward_due: int = 0
    forwarded_on_time: int = 0
    forwarded_late: int = 0
    not_forwarded_overdue: int = 0
    reported_late: int = 0
    reported_late_uppg: int = 0
    lines: list[ReportLine] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.receipts.count

    @property
    def on_time_rate(self) -> float | None:
        """Share of receipts forwarded within the UPPG -> KPK deadline, of those that were due."""
        return self.forwarded_on_time / self.forward_due if self.forward_due else None


def _bucket(buckets: dict[str, Bucket], key: str, label: str) -> Bucket:
    return buckets.setdefault(key, Bucket(label))


def _sorted(buckets: dict[str, Bucket]) -> list[Bucket]:
    return sorted(buckets.values(), key=lambda b: (-b.count, -b.receipts_value, b.label))


def _utc_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz).astimezone(UTC)


DECISION_ORDER = (
    st.MILIK_NEGARA,
    st.MILIK_NEGARA_KOMPENSASI,
    st.MILIK_PENERIMA,
    st.TIDAK_DITINDAKLANJUTI,
    "",
)
# How the UPPG may close a report itself, in the order the recap lists them.
UPPG_CLOSINGS = (st.DISALURKAN, st.DIKEMBALIKAN, st.TIDAK_DILENGKAPI, st.DITARIK, st.DUPLIKAT)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _outcome(d: Declaration, closing: dict[str, str]) -> str:
    """The report's outcome in words; `closing` holds the details of the UPPG's own closing."""
    if d.status == st.DISALURKAN:
        when = _day(closing.get("distributed_on"))
        to = closing.get("aid_recipient") or "pihak yang membutuhkan"
        return f"Disalurkan sebagai bantuan sosial kepada {to}" + (
            f" ({labels.day(when)})" if when else ""
        )
    if d.status == st.DIKEMBALIKAN:
        when = _day(closing.get("returned_on"))
        return "Dikembalikan ke pemberi" + (f" ({labels.day(when)})" if when else "")
    if d.status == st.DUPLIKAT:
        original = closing.get("duplicate_of")
        return f"Laporan ganda dari {original}" if original else "Laporan ganda"
    if d.status in (st.DITARIK, st.TIDAK_DILENGKAPI):
        return labels.status(d.status).removeprefix("Ditutup: ").capitalize()
    if d.report_type == "penolakan":
        return "Dicatat" if d.status == st.DICATAT else "Dalam proses"
    if d.decision:
        done = (
            " (diserahkan/disetor)"
            if d.decision in st.STATE_PROPERTY and d.status == st.SELESAI
            else ""
        )
        return labels.decision(d.decision) + done
    return "Menunggu keputusan KPK" if d.forwarded_at else "Dalam proses UPPG"


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
    closings = await _closing_details(session, [d.id for d in declarations])
    recap = Recap(period, kpk_days=settings.kpk_deadline_workdays)
    objects: dict[str, Bucket] = {}
    occasions: dict[str, Bucket] = {}
    units: dict[str, Bucket] = {}
    decisions = {
        code: Bucket(labels.decision(code) if code else "Belum ada keputusan")
        for code in DECISION_ORDER
    }
    closed_by_uppg = {code: Bucket(labels.status(code)) for code in UPPG_CLOSINGS}
    for d in declarations:
        recap.numbers.append(d.number)
        closing = closings.get(d.id, {})
        recap.lines.append(_line(d, closing, settings))
        if d.status in closed_by_uppg:
            closed_by_uppg[d.status].add(d)
        if d.status == st.DUPLIKAT:
            recap.duplicates += 1
            continue
        if d.status == st.DISALURKAN:
            recap.social_aid.append(_aid(d, closing))
        recap.receipts.add(d)
        _bucket(objects, d.object_type or "-", labels.object_type(d.object_type)).add(d)
        _bucket(occasions, d.occasion or "-", labels.occasion(d.occasion)).add(d)
        _bucket(units, d.reporter_unit or "-", d.reporter_unit or "(tanpa unit)").add(d)
        if d.report_type == "penolakan":
            continue
        recap.reported_late += 1 if d.late else 0
        recap.reported_late_uppg += 1 if late_report(d, settings).to_uppg else 0
        if d.status not in closed_by_uppg:  # no KPK decision will come
            decisions[d.decision if d.decision in decisions else ""].add(d)
        if d.decision in st.STATE_PROPERTY:
            if d.status == st.SELESAI:
                recap.state_settled += 1
                recap.state_settled_value += d.value_rp or 0
            else:
                recap.state_pending += 1
                recap.state_pending_value += d.value_rp or 0
        due = forwarding_due(d, settings, calendar)
        if d.forwarded_at is not None:
            recap.forward_due += 1
            if d.forwarded_at.astimezone(tz).date() <= due:
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
    recap.by_decision = [decisions[c] for c in DECISION_ORDER]
    recap.by_closing = [closed_by_uppg[c] for c in UPPG_CLOSINGS]
    return recap


async def _closing_details(session: AsyncSession, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The details of each report's last closing by the UPPG (recipient, dates, original)."""
    found: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(StatusChange.declaration_id, StatusChange.details)
            .where(
                StatusChange.declaration_id.in_(ids[start : start + 500]),
                StatusChange.to_status.in_(UPPG_CLOSINGS),
            )
            .order_by(StatusChange.id)
        )
        for declaration_id, details in rows.all():
            found[declaration_id] = dict(details or {})
    return found


def _line(d: Declaration, closing: dict[str, str], settings: Settings) -> ReportLine:
    tz = settings.tz
    return ReportLine(
        number=d.number,
        report_type=labels.report_type(d.report_type),
        submitted=d.submitted_at.astimezone(tz).date() if d.submitted_at else None,
        received=d.received_date,
        unit=d.reporter_unit or "",
        object_type=labels.object_type(d.object_type),
        description=masked(d.description or ""),
        value=d.value_rp,
        status=labels.status(d.status),
        kpk_reference=d.kpk_reference or "",
        sk_number=d.sk_number or "",
        sk_date=d.sk_date,
        outcome=_outcome(d, closing),
        late=bool(d.late),
        late_uppg=late_report(d, settings).to_uppg,
    )


def _aid(d: Declaration, closing: dict[str, str]) -> AidLine:
    return AidLine(
        number=d.number,
        received=d.received_date,
        object_type=labels.object_type(d.object_type),
        description=masked(d.description or ""),
        value=d.value_rp,
        recipient=masked(closing.get("aid_recipient") or ""),
        distributed=_day(closing.get("distributed_on")),
    )


def _wrap(text: str, width: int) -> list[str]:
    """Splits a label into lines of at most `width` characters (never cut off)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def bar_chart_svg(title: str, buckets: Sequence[Bucket], *, width: int = 640) -> str:
    """A horizontal bar chart of counts as inline SVG: labels above their bars, wrapped
    whole (never cut), text large enough to read when scaled to a 390 px phone."""
    font, bar_h, gap, top = 24, 26, 16, 46
    per_line = max(20, (width - 20) // 13)
    parts = []
    y = top
    longest = max((b.count for b in buckets), default=0) or 1
    span = width - 90
    body = []
    for bucket in buckets:
        for line in _wrap(bucket.label, per_line):
            body.append(f'<text x="0" y="{y + font - 4}" font-size="{font}">{escape(line)}</text>')
            y += font + 4
        w = max(3, round(span * bucket.count / longest))
        body.append(
            f'<rect x="0" y="{y}" width="{w}" height="{bar_h}" fill="#2f6f9f" rx="3">'
            f"<title>{escape(bucket.label)}: {bucket.count}</title></rect>"
            f'<text x="{w + 8}" y="{y + bar_h - 5}" font-size="{font}" font-weight="bold">'
            f"{bucket.count}</text>"
        )
        y += bar_h + gap
    if not buckets:
        body.append(f'<text x="0" y="{top + font}" font-size="{font}">Tidak ada data.</text>')
        y += font + gap
    height = y + 6
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f'<text x="0" y="28" font-size="26" font-weight="bold">{escape(title)}</text>'
    )
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


ON_TIME_RATE = "Tingkat tepat waktu"
DECISIONS = "Keputusan KPK (penerimaan)"


def bucket_headers(heading: str) -> tuple[str, ...]:
    """The figures of a grouped table: a refused gift never gets a KPK decision, so the
    decision table counts receipts only; every other table both."""
    return BUCKET_HEADERS[:2] if heading == DECISIONS else BUCKET_HEADERS


def summary_rows(recap: Recap) -> list[tuple[str, object]]:
    """The figures of the summary, as (label, value) pairs (the page, the PDF, the XLSX)."""
    r = recap.receipts
    rate = recap.on_time_rate
    return [
        ("Periode", recap.period.label),
        ("Laporan penerimaan", r.receipts),
        ("Nilai penerimaan (Rp)", r.receipts_value),
        ("Laporan penolakan", r.refusals),
        ("Nilai penolakan (Rp)", r.refusals_value),
        ("Penerimaan dilaporkan terlambat ke UPPG (lewat batas pelapor)", recap.reported_late_uppg),
        (
            f"Penerimaan dilaporkan terlambat (lewat {recap.kpk_days} hari kerja)",
            recap.reported_late,
        ),
        ("Penerimaan yang jatuh tempo diteruskan ke KPK", recap.forward_due),
        ("Diteruskan tepat waktu", recap.forwarded_on_time),
        ("Diteruskan terlambat", recap.forwarded_late),
        ("Belum diteruskan dan lewat batas", recap.not_forwarded_overdue),
        (ON_TIME_RATE, labels.percent(rate)),
        ("Milik negara sudah diserahkan/disetor", recap.state_settled),
        ("Nilai milik negara sudah diserahkan/disetor (Rp)", recap.state_settled_value),
        ("Milik negara belum diserahkan/disetor", recap.state_pending),
        ("Nilai milik negara belum diserahkan/disetor (Rp)", recap.state_pending_value),
        ("Makanan/minuman disalurkan sebagai bantuan sosial", len(recap.social_aid)),
        ("Laporan ganda (tidak dihitung dalam jumlah di atas)", recap.duplicates),
    ]


BUCKET_HEADERS = (
    "Penerimaan (jumlah)",
    "Penerimaan (nilai Rp)",
    "Penolakan (jumlah)",
    "Penolakan (nilai Rp)",
)
LINE_HEADERS = (
    "Nomor laporan",
    "Jenis laporan",
    "Tanggal lapor",
    "Tanggal diterima/ditolak",
    "Unit kerja",
    "Jenis objek",
    "Uraian objek",
    "Perkiraan nilai (Rp)",
    "Status",
    "Nomor laporan KPK",
    "Nomor SK KPK",
    "Tanggal SK KPK",
    "Hasil",
    "Terlambat dilaporkan",
    "Terlambat ke UPPG",
)


def groupings(recap: Recap, variant: Variant) -> list[tuple[str, list[Bucket]]]:
    """The grouped tables, in the order the variant's reader needs them."""
    common = [
        (DECISIONS, recap.by_decision),
        ("Penyelesaian oleh UPPG", recap.by_closing),
        ("Jenis objek", recap.by_object),
        ("Peristiwa", recap.by_occasion),
        ("Unit kerja", recap.by_unit),
    ]
    if variant == "bupati":
        return [common[4], common[0], common[1], common[2], common[3]]
    return common


AID_HEADERS = (
    "Nomor laporan",
    "Tanggal diterima",
    "Jenis objek",
    "Uraian objek",
    "Perkiraan nilai (Rp)",
    "Penerima bantuan",
    "Tanggal penyaluran",
)


TOTAL_LABEL = "Jumlah"


def recap_xlsx(recap: Recap, variant: Variant = "kpk") -> bytes:
    """The recap as a workbook: a summary, one sheet per grouping, one row per report."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EDF2", "text_wrap": True})
    money = book.add_format({"num_format": "#,##0"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    text = book.add_format({"num_format": "@"})
    share = book.add_format({"num_format": "0.0%"})
    total = book.add_format({"bold": True, "top": 1})
    total_money = book.add_format({"bold": True, "top": 1, "num_format": "#,##0"})
    summary = book.add_worksheet("Ringkasan")
    summary.set_column(0, 0, 52)
    summary.set_column(1, 1, 28)
    summary.write_string(0, 0, VARIANTS[variant], bold)
    for i, (label, value) in enumerate(summary_rows(recap), 2):
        summary.write_string(i, 0, label)
        if label == ON_TIME_RATE and recap.on_time_rate is not None:
            # A number shown as a percentage, so a sheet can compare and chart it.
            summary.write_number(i, 1, recap.on_time_rate, share)
        elif isinstance(value, int):
            summary.write_number(i, 1, value, money if "(Rp)" in label else None)
        else:
            summary.write_string(i, 1, str(value))
    for heading, buckets in groupings(recap, variant):
        sheet = book.add_worksheet(heading.split(" (")[0][:31])
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 4, 16)
        headers = bucket_headers(heading)
        for c, h in enumerate((heading, *headers)):
            sheet.write_string(0, c, h, bold)
        for r, b in enumerate(buckets, 1):
            sheet.write_string(r, 0, b.label)
            sheet.write_number(r, 1, b.receipts)
            sheet.write_number(r, 2, b.receipts_value, money)
            if len(headers) > 2:
                sheet.write_number(r, 3, b.refusals)
                sheet.write_number(r, 4, b.refusals_value, money)
        if len(buckets) > 1:
            # The table's total, as on the page (numbers, not formulas: no cell is a formula).
            r = len(buckets) + 1
            sums = (
                sum(b.receipts for b in buckets),
                sum(b.receipts_value for b in buckets),
                sum(b.refusals for b in buckets),
                sum(b.refusals_value for b in buckets),
            )
            sheet.write_string(r, 0, TOTAL_LABEL, total)
            for c in range(1, len(headers) + 1):
                sheet.write_number(r, c, sums[c - 1], total_money if c % 2 == 0 else total)
    sheet = book.add_worksheet("Per laporan")
    widths = (18, 12, 12, 12, 28, 16, 36, 14, 24, 20, 20, 12, 28, 10, 10)
    for c, (h, w) in enumerate(zip(LINE_HEADERS, widths, strict=True)):
        sheet.set_column(c, c, w)
        sheet.write_string(0, c, h, bold)
    sheet.freeze_panes(1, 0)
    for r, line in enumerate(recap.lines, 1):
        sheet.write_string(r, 0, line.number, text)
        sheet.write_string(r, 1, line.report_type)
        for c, value in ((2, line.submitted), (3, line.received), (11, line.sk_date)):
            if value:
                sheet.write_datetime(r, c, datetime.combine(value, time.min), day)
        sheet.write_string(r, 4, line.unit)
        sheet.write_string(r, 5, line.object_type)
        sheet.write_string(r, 6, line.description)
        if line.value is not None:
            sheet.write_number(r, 7, line.value, money)
        sheet.write_string(r, 8, line.status)
        sheet.write_string(r, 9, line.kpk_reference, text)
        sheet.write_string(r, 10, line.sk_number, text)
        sheet.write_string(r, 12, line.outcome)
        sheet.write_string(r, 13, "Ya" if line.late else "Tidak")
        sheet.write_string(r, 14, "Ya" if line.late_uppg else "Tidak")
    sheet.autofilter(0, 0, max(1, len(recap.lines)), len(LINE_HEADERS) - 1)
    aid = book.add_worksheet("Bantuan sosial")
    for c, (h, w) in enumerate(zip(AID_HEADERS, (18, 12, 16, 36, 14, 32, 12), strict=True)):
        aid.set_column(c, c, w)
        aid.write_string(0, c, h, bold)
    for r, given in enumerate(recap.social_aid, 1):
        aid.write_string(r, 0, given.number, text)
        for c, value in ((1, given.received), (6, given.distributed)):
            if value:
                aid.write_datetime(r, c, datetime.combine(value, time.min), day)
        aid.write_string(r, 2, given.object_type)
        aid.write_string(r, 3, given.description)
        if given.value is not None:
            aid.write_number(r, 4, given.value, money)
        aid.write_string(r, 5, given.recipient)
    book.close()
    return out.getvalue()
