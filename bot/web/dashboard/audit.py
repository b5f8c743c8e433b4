"""The audit log for admins: the page (filters, client address) and its export for the
Inspektorat (CSV for Excel set to Indonesian, and XLSX), itself audited.

Filters: declaration number (target), user (actor), action, and a period of days (local time).
Exports are read and written in a dashboard worker process (bot.web.dashboard.jobs), so a long
log never holds up the webhooks on the event loop.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import AuditLog
from bot.web.dashboard import jobs, labels
from bot.web.dashboard.listing import page_number
from bot.web.dashboard.pages import Officer, admin_only, download, now_utc, render, runtime_of
from handlers.parsing import parse_date

router = APIRouter()
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# How audit actions read for an admin; unknown actions (other parts of gratibot) show as is.
ACTION_LABELS = {
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "login_locked": "Masuk ditolak (terkunci)",
    "logout": "Keluar",
    "view": "Melihat laporan",
    "view_recap": "Melihat rekap",
    "export_csv": "Ekspor CSV",
    "export_xlsx": "Ekspor Excel",
    "export_pdf": "Unduh formulir PDF",
    "export_recap": "Ekspor rekap Excel",
    "export_recap_pdf": "Unduh rekap PDF",
    "export_receipt": "Unduh tanda terima",
    "assign": "Ubah petugas penanganan",
    "export_audit": "Ekspor log audit",
    "download_attachment": "Unduh lampiran",
    "status_change": "Ubah status",
    "thread_message": "Pesan ke pelapor",
    "thread_reply": "Jawaban pelapor",
    "internal_note": "Catatan internal",
    "kpk_reference": "Nomor referensi KPK",
    "retention": "Hapus data (retensi)",
    "retention_profiles": "Hapus profil (retensi)",
    "user_add": "Tambah pengguna",
    "user_password": "Ganti kata sandi",
    "user_activate": "Aktifkan pengguna",
    "user_deactivate": "Nonaktifkan pengguna",
    "user_fkap_grant": "Beri peran FKAP",
    "user_fkap_revoke": "Cabut peran FKAP",
    "concern_view": "Membuka aduan",
    "concern_download": "Unduh bukti aduan",
    "concern_status": "Ubah status aduan",
    "concern_message": "Pesan untuk pelapor aduan",
}


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked for, as typed, and the problem with it (if any)."""

    target: str = ""
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    since_text: str = ""
    until_text: str = ""
    error: str = ""

    @classmethod
    def from_query(cls, query: Any, today: date) -> AuditFilter:
        text = {k: str(query.get(k) or "").strip()[:120] for k in ("target", "actor", "action")}
        since_text = str(query.get("from") or "").strip()[:40]
        until_text = str(query.get("to") or "").strip()[:40]
        since = parse_date(since_text, today) if since_text else None
        until = parse_date(until_text, today) if until_text else None
        error = ""
        if (since_text and since is None) or (until_text and until is None):
            error = "Tanggal tidak dapat dibaca. Contoh: 1/5/2026 atau 1 Mei 2026."
        elif since and until and since > until:
            error = "Tanggal awal harus sebelum tanggal akhir."
        return cls(
            **text,
            since=since,
            until=until,
            since_text=since_text,
            until_text=until_text,
            error=error,
        )

    def apply(self, query: Select[Any], tz: ZoneInfo) -> Select[Any]:
        if self.target:
            query = query.where(AuditLog.target == self.target)
        if self.actor:
            query = query.where(AuditLog.actor == self.actor)
        if self.action:
            query = query.where(AuditLog.action == self.action)
        if self.since and not self.error:
            query = query.where(AuditLog.at >= datetime.combine(self.since, time(), tz))
        if self.until and not self.error:
            end = datetime.combine(self.until + timedelta(days=1), time(), tz)
            query = query.where(AuditLog.at < end)
        return query

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "target": self.target,
            "actor": self.actor,
            "action": self.action,
            "from": self.since_text,
            "to": self.until_text,
        }
        return urlencode({k: v for k, v in pairs.items() if v})

    def described(self) -> dict[str, str]:
        """The filters for the export's own audit entry."""
        return {
            k: v
            for k, v in {
                "target": self.target,
                "actor": self.actor,
                "action": self.action,
                "from": self.since.isoformat() if self.since else "",
                "to": self.until.isoformat() if self.until else "",
            }.items()
            if v
        }


def _filters(request: Request) -> AuditFilter:
    settings = runtime_of(request).settings
    return AuditFilter.from_query(request.query_params, now_utc().astimezone(settings.tz).date())


@router.get("/dashboard/audit")
async def audit_page(
    request: Request,
    officer: Officer = Depends(admin_only),  # noqa: B008
) -> Response:
    """The audit log, newest first, filtered by number, user, action and period."""
    rt = runtime_of(request)
    filters = _filters(request)
    page = page_number(request.query_params.get("page"))
    query = filters.apply(select(AuditLog), rt.settings.tz)
    async with rt.db.sessions() as session:
        total = (
            await session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(page, pages)
        entries = (
            (
                await session.execute(
                    query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                    .limit(PAGE_SIZE)
                    .offset((page - 1) * PAGE_SIZE)
                )
            )
            .scalars()
            .all()
        )
    return render(
        request,
        "audit.html",
        {
            "entries": entries,
            "f": filters,
            "query": filters.query_string(),
            "page": page,
            "pages": pages,
            "total": total,
            "action_labels": ACTION_LABELS,
        },
        officer=officer,
        status_code=400 if filters.error else 200,
    )


HEADER = (
    "Waktu",
    "Pengguna",
    "Tindakan",
    "Kode tindakan",
    "Sasaran",
    "Rincian",
    "Alamat IP",
    "Rincian (data)",
)


def rows_of(entries: Sequence[AuditLog], tz: ZoneInfo) -> list[tuple[str, ...]]:
    """One row per entry, as the export shows it (local time, words, then the raw details)."""
    return [
        (
            e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            ACTION_LABELS.get(e.action, e.action),
            e.action,
            labels.audit_target(e.target),
            labels.audit_details(e.details),
            e.ip or "",
            json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True),
        )
        for e in entries
    ]


def _cell(value: str) -> str:
    """A cell Excel never runs as a formula (a user name or note could start with "=")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(rows: Sequence[tuple[str, ...]], tz_name: str) -> bytes:
    """Semicolons and a BOM: Excel set to Indonesian opens it in columns, accents intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow((f"Waktu ({tz_name})", *HEADER[1:]))
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def audit_xlsx(rows: Sequence[tuple[str, ...]], tz_name: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Log audit")
    for column, width in zip("ABCDEFGH", (20, 18, 24, 18, 20, 60, 16, 60), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append((f"Waktu ({tz_name})", *HEADER[1:]))
    for row in rows:
        # Every value is text (an IP or a number stays as written); none is a formula.
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class AuditJob:
    """What the worker process needs to export the log: plain, picklable values only."""

    db: jobs.DbRef
    filters: AuditFilter
    timezone: str
    kind: str


def run_audit_export(job: AuditJob) -> tuple[int, bytes]:
    """The number of matching entries and the file (in a dashboard worker process: a year
    of views and exports is tens of thousands of entries, each put into words)."""
    tz = ZoneInfo(job.timezone)
    query = job.filters.apply(select(AuditLog), tz).order_by(AuditLog.at, AuditLog.id)

    async def entries(session: AsyncSession) -> list[AuditLog]:
        return list((await session.execute(query)).scalars())

    rows = rows_of(jobs.read(job.db, entries), tz)
    if job.kind == "csv":
        return len(rows), audit_csv(rows, job.timezone)
    return len(rows), audit_xlsx(rows, job.timezone)


async def _export(request: Request, officer: Officer, kind: str) -> Response:
    rt = runtime_of(request)
    filters = _filters(request)
    if filters.error:
        return render(
            request,
            "error.html",
            {"title": "Ekspor log audit", "message": filters.error},
            officer=officer,
            status_code=400,
        )
    name = rt.settings.timezone
    count, content = await jobs.run(
        run_audit_export, AuditJob(jobs.DbRef.of(rt.db), filters, name, kind)
    )
    async with rt.db.transaction() as session:
        session.add(
            AuditLog(
                actor=officer.username,
                action="export_audit",
                target="audit",
                details={"format": kind, "filters": filters.described(), "rows": count},
            )
        )
    stamp = now_utc().astimezone(rt.settings.tz).strftime("%Y%m%d-%H%M")
    if kind == "csv":
        return download(content, "text/csv; charset=utf-8", f"log-audit-{stamp}.csv")
    return download(content, XLSX, f"log-audit-{stamp}.xlsx")


@router.get("/dashboard/audit/export.csv")
async def export_csv(
    request: Request,
    officer: Officer = Depends(admin_only),  # noqa: B008
) -> Response:
    """The filtered audit log as CSV (every row, oldest first)."""
    return await _export(request, officer, "csv")


@router.get("/dashboard/audit/export.xlsx")
async def export_xlsx(
    request: Request,
    officer: Officer = Depends(admin_only),  # noqa: B008
) -> Response:
    """The filtered audit log as an Excel workbook."""
    return await _export(request, officer, "xlsx")
