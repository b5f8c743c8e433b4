"""How values read on the dashboard and in exports: Indonesian labels, rupiah, dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.web.auth import aware
from handlers import formatting, vocab
from handlers import statuses as st


def status(code: str | None) -> str:
    return st.label(code) if code else "-"


def report_type(code: str | None) -> str:
    return {"penerimaan": "Penerimaan", "penolakan": "Penolakan"}.get(code or "", code or "-")


def occasion(code: str | None) -> str:
    return vocab.OCCASIONS.get(code or "", code or "-")


def object_type(code: str | None) -> str:
    return vocab.OBJECT_TYPES.get(code or "", code or "-")


def relation(code: str | None) -> str:
    return vocab.GIVER_RELATIONS.get(code or "", code or "-")


def location(code: str | None) -> str:
    return vocab.OBJECT_LOCATIONS.get(code or "", code or "-")


rupiah = formatting.rupiah


def day(value: date | datetime | None, tz: ZoneInfo | None = None) -> str:
    """4 Mei 2026; datetimes are shown in the given time zone."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        moment = aware(value)
        assert moment is not None
        value = moment.astimezone(tz).date() if tz else moment.date()
    return formatting.tanggal(value)


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """4 Mei 2026 09.30 in local time."""
    if value is None:
        return "-"
    local = aware(value)
    assert local is not None
    local = local.astimezone(tz)
    return f"{day(local.date())} {local:%H.%M}"


def percent(share: float | None) -> str:
    """33,3% (Indonesian decimal comma); "-" when there is nothing to measure."""
    if share is None:
        return "-"
    return f"{share * 100:.1f}".replace(".", ",") + "%"


def yes_no(value: bool | None) -> str:
    return "-" if value is None else ("Ya" if value else "Tidak")
