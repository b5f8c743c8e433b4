"""Exports: the filtered list as CSV/XLSX, one declaration as PDF, the recap page and XLSX.

Every export is written to the audit log with the declaration numbers it contained.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.backoffice.deadlines import declaration_deadlines
from bot.store.models import AuditLog, Declaration, ThreadMessage
from bot.web.dashboard import exports, jobs, listing
from bot.web.dashboard.detail import reveal
from bot.web.dashboard.fields import ReporterPii
from bot.web.dashboard.pages import (
    Officer,
    RowId,
    calendar_of,
    current_officer,
    download,
    now_utc,
    render,
    runtime_of,
    today_of,
)
from bot.web.dashboard.pdf import declaration_pdf
from bot.web.dashboard.recap import (
    DECISIONS,
    PERIOD_HELP,
    VARIANTS,
    Period,
    Variant,
    bar_chart_svg,
    groupings,
    period_choices,
    summary_rows,
)
from bot.web.dashboard.recap_jobs import RecapJob, run_recap, run_recap_file

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _export(
    request: Request,
    officer: Officer,
    action: str,
    kind: Literal["csv", "xlsx"],
    dialect: exports.Dialect = "excel",
) -> bytes:
    """Builds the filtered queue's file in the export process and audits the export with
    the numbers it holds."""
    rt = runtime_of(request)
    settings = rt.settings
    filters = listing.ListFilter.from_query(request.query_params)
    job = exports.ExportJob(
        settings=settings,
        db=jobs.DbRef.of(rt.db),
        filters=filters,
        officer_id=officer.id,
        today=today_of(settings),
        kind=kind,
        dialect=dialect,
    )
    numbers, content = await jobs.run(exports.run_export, job)
    async with rt.db.transaction() as session:
        session.add(
            AuditLog(
                actor=officer.username,
                action=action,
                target="list",
                details={"filters": filters.for_audit(), "numbers": numbers},
            )
        )
    return content


def _stamp(request: Request) -> str:
    return now_utc().astimezone(runtime_of(request).settings.tz).strftime("%Y%m%d-%H%M")


@router.get("/dashboard/export.csv")
async def export_csv(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The filtered queue as CSV: for Excel (';', BOM) unless ?format=standar (RFC 4180)."""
    dialect: exports.Dialect = (
        "standar" if request.query_params.get("format") == "standar" else "excel"
    )
    content = await _export(request, officer, "export_csv", "csv", dialect)
    return download(content, "text/csv; charset=utf-8", f"gratifikasi-{_stamp(request)}.csv")


@router.get("/dashboard/export.xlsx")
async def export_xlsx(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The filtered queue as an Excel workbook."""
    content = await _export(request, officer, "export_xlsx", "xlsx")
    return download(content, XLSX, f"gratifikasi-{_stamp(request)}.xlsx")


@router.get("/dashboard/declarations/{declaration_id}/form.pdf")
async def export_pdf(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """One declaration on KPK's report form with the UPPG's processing record, printable."""
    rt = runtime_of(request)
    settings = rt.settings
    async with rt.db.transaction() as session:
        query = (
            select(Declaration)
            .where(Declaration.id == declaration_id)
            .options(selectinload(Declaration.attachments), selectinload(Declaration.changes))
        )
        declaration = (await session.execute(query)).scalar_one_or_none()
        if declaration is None:
            return render(
                request,
                "error.html",
                {"title": "Tidak ditemukan", "message": "Laporan tidak ditemukan."},
                officer=officer,
                status_code=404,
            )
        messages = (
            (
                await session.execute(
                    select(ThreadMessage)
                    .where(ThreadMessage.declaration_id == declaration.id)
                    .order_by(ThreadMessage.at, ThreadMessage.id)
                )
            )
            .scalars()
            .all()
        )
        session.add(
            AuditLog(actor=officer.username, action="export_pdf", target=declaration.number)
        )
    pii = ReporterPii(
        nik=reveal(rt.cipher, declaration.reporter_nik_enc),
        address=reveal(rt.cipher, declaration.reporter_address_enc),
        phone=reveal(rt.cipher, declaration.reporter_phone_enc),
        giver_address=reveal(rt.cipher, declaration.giver_address_enc),
    )
    deadlines = declaration_deadlines(
        declaration, declaration.changes, calendar_of(settings), settings
    )
    content = await asyncio.to_thread(
        lambda: declaration_pdf(
            declaration,
            declaration.attachments,
            pii,
            settings=settings,
            deadlines=deadlines,
            changes=declaration.changes,
            messages=messages,
            printed_by=officer.username,
            now=now_utc(),
        )
    )
    return download(content, "application/pdf", f"{declaration.number}.pdf")


def _period(request: Request) -> tuple[Period, str]:
    """The chosen period, or this month with the reason the typed one was not understood."""
    settings = runtime_of(request).settings
    typed = (request.query_params.get("periode") or "").strip()
    chosen = Period.parse(typed) if typed else None
    if chosen is not None:
        return chosen, ""
    return Period.month_of(today_of(settings)), PERIOD_HELP if typed else ""


def _variant(request: Request) -> Variant:
    return "bupati" if request.query_params.get("varian") == "bupati" else "kpk"


def _recap_job(request: Request, period: Period) -> RecapJob:
    rt = runtime_of(request)
    return RecapJob(rt.settings, jobs.DbRef.of(rt.db), period, today_of(rt.settings))


async def _audit_recap(
    request: Request, officer: Officer, action: str, period: Period, numbers: list[str]
) -> None:
    """Records who looked at or downloaded the recap, with the numbers it held."""
    async with runtime_of(request).db.transaction() as session:
        session.add(
            AuditLog(
                actor=officer.username,
                action=action,
                target=period.code,
                details={"numbers": numbers},
            )
        )


def _bad_period(request: Request, officer: Officer, message: str) -> Response:
    return render(
        request,
        "error.html",
        {"title": "Periode tidak dikenali", "message": message},
        officer=officer,
        status_code=400,
    )


@router.get("/dashboard/recap")
async def recap_page(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The recap of a month, quarter, semester or year, with charts."""
    settings = runtime_of(request).settings
    period, problem = _period(request)
    recap = await jobs.run(run_recap, _recap_job(request, period))
    await _audit_recap(request, officer, "view_recap", period, recap.numbers)
    return render(
        request,
        "recap.html",
        {
            "recap": recap,
            "problem": problem,
            "typed": request.query_params.get("periode") or "",
            "choices": period_choices(today_of(settings)),
            "variants": VARIANTS,
            "summary": summary_rows(recap)[1:],
            "groups": groupings(recap, "kpk"),
            "decisions_heading": DECISIONS,
            "chart_objects": bar_chart_svg("Laporan per jenis objek", recap.by_object),
            "chart_units": bar_chart_svg("Laporan per unit kerja", recap.by_unit),
        },
        officer=officer,
        status_code=400 if problem else 200,
    )


@router.get("/dashboard/recap.xlsx")
async def recap_download(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The recap as an Excel workbook (?varian=kpk or bupati)."""
    period, problem = _period(request)
    if problem:
        return _bad_period(request, officer, problem)
    variant = _variant(request)
    job = _recap_job(request, period)
    numbers, content = await jobs.run(run_recap_file, job, "xlsx", variant, now_utc())
    await _audit_recap(request, officer, "export_recap", period, numbers)
    return download(content, XLSX, f"rekap-gratifikasi-{variant}-{period.code}.xlsx")


@router.get("/dashboard/recap.pdf")
async def recap_pdf_download(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The recap as an official PDF with a cover page (?varian=kpk or bupati)."""
    period, problem = _period(request)
    if problem:
        return _bad_period(request, officer, problem)
    variant = _variant(request)
    job = _recap_job(request, period)
    numbers, content = await jobs.run(run_recap_file, job, "pdf", variant, now_utc())
    await _audit_recap(request, officer, "export_recap_pdf", period, numbers)
    return download(content, "application/pdf", f"rekap-gratifikasi-{variant}-{period.code}.pdf")
