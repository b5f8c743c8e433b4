"""A concern's deadlines count like every other period: the day it came in is day one (with
COUNT_START_DAY, the default), so the FKAP's queue and the declarations' agree."""

from __future__ import annotations

from datetime import date

from bot.backoffice.concerns import deadlines
from bot.config import Settings
from bot.holidays_id import work_calendar
from bot.store.models import Concern
from handlers import concern_terms as terms


def test_the_day_a_concern_came_in_is_day_one(settings: Settings) -> None:
    # Received on Monday 2 Nov 2026: 5 working days end on Friday 6 Nov (it said Monday 9
    # Nov, counting from the next day), 30 end on Friday 11 Dec.
    concern = Concern(status=terms.DITERIMA, received_on=date(2026, 11, 2))
    assessment, closing = deadlines(concern, work_calendar(), settings)
    assert (assessment.due, closing.due) == (date(2026, 11, 6), date(2026, 12, 11))
    later = settings.model_copy(update={"count_start_day": False})
    assessment, closing = deadlines(concern, work_calendar(), later)
    assert (assessment.due, closing.due) == (date(2026, 11, 9), date(2026, 12, 14))
