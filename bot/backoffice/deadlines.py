"""The deadlines of a declaration on the UPPG's side, in working days (bot.workdays).

UPPG -> KPK: settings.uppg_to_kpk_workdays from receipt by the UPPG (agency regulations that
follow PerKPK 2/2019, e.g. BPIP Perban 4/2021 Pasal 7(3)); completing an incomplete report:
settings.completion_workdays (20 since PerKPK 1/2026); KPK's decision: 30 (UU 20/2001 Pasal
12C(3)); hand-over of an object that became milik negara: 7 (UU 30/2002 Pasal 17(6)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st
from handlers.workdays import WorkCalendar


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    start: date
    due: date
    done: bool
    basis: str

    def overdue(self, today: date) -> bool:
        return not self.done and today > self.due


def _local(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def declaration_deadlines(
    declaration: Declaration,
    changes: Sequence[StatusChange],
    calendar: WorkCalendar,
    settings: Settings,
) -> list[Deadline]:
    """The UPPG-side deadlines that apply to this declaration so far, in order."""
    if declaration.report_type != "penerimaan":
        return []
    tz = settings.tz
    received_by_uppg = _local(declaration.uppg_received_at or declaration.submitted_at, tz)
    found = [
        Deadline(
            key="uppg_to_kpk",
            label="UPPG meneruskan ke KPK",
            start=received_by_uppg,
            due=calendar.add_workdays(received_by_uppg, settings.uppg_to_kpk_workdays),
            done=declaration.forwarded_at is not None,
            basis="Peraturan internal UPG (mis. Perban BPIP 4/2021 Pasal 7 ayat 3)",
        )
    ]
    asked = [c for c in changes if c.to_status == st.PERLU_DILENGKAPI]
    if asked:
        start = _local(asked[-1].at, tz)
        found.append(
            Deadline(
                key="completion",
                label="Pelapor melengkapi laporan",
                start=start,
                due=calendar.add_workdays(start, settings.completion_workdays),
                done=declaration.status != st.PERLU_DILENGKAPI,
                basis="PerKPK 1/2026 (20 hari kerja; sebelumnya 30)",
            )
        )
    if declaration.forwarded_at is not None:
        start = _local(declaration.forwarded_at, tz)
        found.append(
            Deadline(
                key="kpk_decision",
                label="Keputusan KPK",
                start=start,
                due=calendar.add_workdays(start, settings.kpk_decision_workdays),
                done=declaration.decision is not None,
                basis="UU 20/2001 Pasal 12C ayat 3; UU 30/2002 Pasal 17 ayat 1",
            )
        )
    if declaration.decision == st.MILIK_NEGARA and declaration.sk_date is not None:
        found.append(
            Deadline(
                key="handover",
                label="Penyerahan objek milik negara",
                start=declaration.sk_date,
                due=calendar.add_workdays(declaration.sk_date, settings.handover_workdays),
                done=declaration.status == st.SELESAI,
                basis="UU 30/2002 Pasal 17 ayat 6",
            )
        )
    return found
