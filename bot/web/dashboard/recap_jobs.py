"""The recap built in a dashboard worker process: a year holds thousands of reports, each read
and counted in working days, which on the event loop would hold up every webhook and health
check. The worker reads over its own connection and hands back the figures (the page) or the
finished file (PDF, XLSX) with the report numbers it holds (for the audit log)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from bot.config import Settings
from bot.web.dashboard import jobs
from bot.web.dashboard.recap import Period, Recap, Variant, build_recap, recap_xlsx
from bot.web.dashboard.recap_pdf import recap_pdf
from bot.web.dashboard.workdays import calendar_for


@dataclass(frozen=True)
class RecapJob:
    """What the worker needs: plain, picklable values only."""

    settings: Settings
    db: jobs.DbRef
    period: Period
    today: date


def _build(job: RecapJob) -> Recap:
    settings = job.settings
    return jobs.read(
        job.db,
        lambda session: build_recap(
            session, job.period, calendar_for(settings), settings, job.today
        ),
    )


def run_recap(job: RecapJob) -> Recap:
    """The figures for the page; the per-report lines stay behind (only the files have them)."""
    return replace(_build(job), lines=[])


def run_recap_file(
    job: RecapJob, kind: Literal["pdf", "xlsx"], variant: Variant, now: datetime
) -> tuple[list[str], bytes]:
    """The numbers the recap holds and its file."""
    recap = _build(job)
    if kind == "pdf":
        return recap.numbers, recap_pdf(recap, job.settings, variant, now=now)
    return recap.numbers, recap_xlsx(recap, variant)
