"""Exports: the filtered list as CSV/XLSX, one declaration as PDF, the recap page and XLSX.

Every export is written to the audit log with the declaration numbers it contained.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.store.models import AuditLog, Declaration
from bot.web.dashboard import exports, listing
from bot.web.dashboard.detail import reveal
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
from bot.web.dashboard.pdf import ReporterPii, declaration_pdf
from bot.web.dashboard.recap import (
    Period,
    Recap,
    bar_chart_svg,
    build_recap,
    period_choices,
    recap_xlsx,
)

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _export_rows(request: Request, officer: Officer, action: str) -> list[listing.Row]:
    rt = runtime_of(request)
    settings = rt.settings
    filters = listing.ListFilter.from_query(request.query_params)
    async with rt.db.transaction() as session:
        rows = await listing.fetch_all(
            session, filters, calendar_of(settings), settings, today_of(settings)
        )
        session.add(
            AuditLog(
                actor=officer.username,
                action=action,
                target="list",
                details={
                    "filters": filters.for_audit(),
                    "numbers": [r.declaration.number for r in rows],
                },
            )
        )
    return rows


def _stamp(request: Request) -> str:
    return now_utc().astimezone(runtime_of(request).settings.tz).strftime("%Y%m%d-%H%M")


@router.get("/dashboard/export.csv")
async def export_csv(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The filtered list as CSV (UTF-8, opens in Excel)."""
    rows = await _export_rows(request, officer, "export_csv")
    content = exports.to_csv(rows, runtime_of(request).settings.tz)
    return download(content, "text/csv; charset=utf-8", f"gratifikasi-{_stamp(request)}.csv")


@router.get("/dashboard/export.xlsx")
async def export_xlsx(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The filtered list as an Excel workbook."""
    rows = await _export_rows(request, officer, "export_xlsx")
    content = exports.to_xlsx(rows, runtime_of(request).settings.tz)
    return download(content, XLSX, f"gratifikasi-{_stamp(request)}.xlsx")


@router.get("/dashboard/declarations/{declaration_id}/form.pdf")
async def export_pdf(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """One declaration on KPK's report form, printable."""
    rt = runtime_of(request)
    async with rt.db.transaction() as session:
        query = (
            select(Declaration)
            .where(Declaration.id == declaration_id)
            .options(selectinload(Declaration.attachments))
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
        session.add(
            AuditLog(actor=officer.username, action="export_pdf", target=declaration.number)
        )
    pii = ReporterPii(
        nik=reveal(rt.cipher, declaration.reporter_nik_enc),
        address=reveal(rt.cipher, declaration.reporter_address_enc),
        phone=reveal(rt.cipher, declaration.reporter_phone_enc),
        giver_address=reveal(rt.cipher, declaration.giver_address_enc),
    )
    content = declaration_pdf(
        declaration,
        declaration.attachments,
        pii,
        tz=rt.settings.tz,
        printed_by=officer.username,
        now=now_utc(),
    )
    return download(content, "application/pdf", f"{declaration.number}.pdf")


def _period(request: Request) -> Period:
    settings = runtime_of(request).settings
    chosen = Period.parse(request.query_params.get("periode") or "")
    return chosen or Period.month_of(today_of(settings))


async def _audited_recap(request: Request, officer: Officer, action: str) -> Recap:
    """Builds the recap of the chosen period and records who looked at it (one transaction)."""
    rt = runtime_of(request)
    settings = rt.settings
    period = _period(request)
    async with rt.db.transaction() as session:
        recap = await build_recap(
            session, period, calendar_of(settings), settings, today_of(settings)
        )
        session.add(
            AuditLog(
                actor=officer.username,
                action=action,
                target=period.code,
                details={"numbers": recap.numbers},
            )
        )
    return recap


@router.get("/dashboard/recap")
async def recap_page(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The recap of a month or semester, with charts."""
    settings = runtime_of(request).settings
    recap = await _audited_recap(request, officer, "view_recap")
    return render(
        request,
        "recap.html",
        {
            "recap": recap,
            "choices": period_choices(today_of(settings)),
            "chart_objects": bar_chart_svg("Jumlah laporan per jenis objek", recap.by_object),
            "chart_units": bar_chart_svg("Jumlah laporan per unit kerja", recap.by_unit),
        },
        officer=officer,
    )


@router.get("/dashboard/recap.xlsx")
async def recap_download(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The recap as an Excel workbook."""
    recap = await _audited_recap(request, officer, "export_recap")
    return download(recap_xlsx(recap), XLSX, f"rekap-gratifikasi-{recap.period.code}.xlsx")
