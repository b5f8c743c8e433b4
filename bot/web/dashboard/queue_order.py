"""The work queue's order, nearest deadline first, computed in a dashboard worker process.

Ordering needs the deadlines of every open declaration that matches the filters, counted in
working days: with a few thousand open reports that is seconds of CPU, which on the event loop
would hold up every webhook and health check. The worker reads the plain columns over its own
connection and hands back only the ordered ids; the web process then loads the 25 rows of the
page (bot.web.dashboard.listing.queue_page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.web.dashboard import jobs, listing
from bot.web.dashboard.workdays import calendar_for


@dataclass(frozen=True)
class QueueJob:
    """What the worker needs: plain, picklable values only."""

    settings: Settings
    db: jobs.DbRef
    filters: listing.ListFilter
    officer_id: int | None
    today: date


def run_queue_order(job: QueueJob) -> list[int]:
    """The ids of the matching open declarations, nearest deadline first."""
    cipher = cipher_from_settings(job.settings)
    data = jobs.read(
        job.db,
        lambda session: listing.export_data(
            session,
            job.filters,
            job.settings,
            officer_id=job.officer_id,
            cipher=cipher,
            open_only=True,
        ),
    )
    rows = listing.export_rows(
        data, job.filters, calendar_for(job.settings), job.settings, job.today
    )
    return listing.queue_order(rows)
