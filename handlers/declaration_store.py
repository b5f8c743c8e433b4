"""The store function of each step of a declaration, and the conditions the steps are asked under.

A store function keeps one answer in the draft (handlers/answers.py) and may clear the answers
that no longer apply; it returns None, END (the flow is over) or the key of a step to ask next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, cast

from handlers.answers import AnswerKey, Answers, FileRef
from handlers.context import Context
from handlers.deadlines import kpk_due
from handlers.parsing import DateRead, Money

END = "__end__"  # a store function's way to say "the flow is over"

Store = Callable[[Context, Any], Awaitable[str | None]]  # None, END, or a step key to go to


def answers(ctx: Context) -> Answers:
    return cast(Answers, ctx.session.data.setdefault("a", {}))


def always(a: Answers) -> bool:
    return True


def receiving(a: Answers) -> bool:
    return a.get("report_type") != "penolakan"


def compensation_applies(a: Answers) -> bool:
    """Keeping the object by paying its value: not for cash, nor what is gone or returned."""
    gone = a.get("object_location") in ("bantuan_sosial", "dikembalikan", "habis")
    return receiving(a) and a.get("object_type") != "uang" and not gone


# The occasions whose reason is not the occasion itself: asked when the story did not say it.
REASON_OCCASIONS = ("terima_kasih", "kunjungan_dinas", "lainnya")


def reason_applies(a: Answers) -> bool:
    """Asked for some occasions; shown whenever the story gave one."""
    return a.get("occasion") in REASON_OCCASIONS or a.get("reason") is not None


def local_today(ctx: Context) -> date:
    return ctx.today


UNKNOWN_GIVER = "Tidak diketahui"
# What the reporter cannot know of a giver they do not know at all ("ga kenal", "tanpa
# pengirim"): not asked, shown as "Tidak diketahui".
GIVER_DETAILS: tuple[AnswerKey, ...] = (
    "giver_position",
    "giver_institution",
    "giver_address",
    "giver_relation",
)


def unknown_giver_details(a: Answers) -> dict[AnswerKey, None]:
    """The giver's details that go unasked when the name is unknown and nothing else about
    the giver is known; none when a position, institution, address or relation was said
    (only the name is unknown then: "orang dari PT Maju, namanya lupa", "vendor katering")."""
    if any(a.get(key) for key in GIVER_DETAILS if key != "giver_relation"):
        return {}
    if a.get("giver_relation") not in (None, "lainnya"):
        return {}
    return {key: None for key in GIVER_DETAILS if key not in a}


def giver_unknown(a: Answers) -> bool:
    """Whether the reporter said they do not know who gave it."""
    return a.get("giver_name") == UNKNOWN_GIVER


# --- store functions (one per step) ----------------------------------------------------------


async def store_report_type(ctx: Context, value: Any) -> str | None:
    """Stores penerimaan or penolakan."""
    answers(ctx)["report_type"] = str(value)
    return None


async def store_consent(ctx: Context, value: Any) -> str | None:
    """Remembers consent, or ends the flow politely without it."""
    if value != "ya":
        return END
    moment = ctx.now.isoformat(timespec="seconds")
    answers(ctx)["consent"] = moment
    ctx.session.memo["consent_at"] = moment
    return None


async def store_story(ctx: Context, value: Any) -> str | None:
    """Records whether the reporter told a story (True) or chose step by step (False)."""
    answers(ctx)["story"] = bool(value)
    return None


async def store_name(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's name."""
    answers(ctx)["name"] = str(value)
    return None


async def store_nik(ctx: Context, value: Any) -> str | None:
    """Stores the NIK (16 digits)."""
    answers(ctx)["nik"] = str(value)
    return None


async def store_nip(ctx: Context, value: Any) -> str | None:
    """Stores the NIP or NI PPPK (None when the reporter has none)."""
    answers(ctx)["nip"] = str(value) if value else None
    return None


async def store_jabatan(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's position."""
    answers(ctx)["jabatan"] = str(value)
    return None


async def store_unit_kerja(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's work unit."""
    answers(ctx)["unit_kerja"] = str(value)
    return None


async def store_address(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's address."""
    answers(ctx)["address"] = str(value)
    return None


async def store_phone(ctx: Context, value: Any) -> str | None:
    """Stores the phone number (+62...)."""
    answers(ctx)["phone"] = str(value)
    return None


async def store_email(ctx: Context, value: Any) -> str | None:
    """Stores the e-mail address (None when skipped)."""
    answers(ctx)["email"] = str(value) if value else None
    return None


async def store_confidential(ctx: Context, value: Any) -> str | None:
    """Stores whether the reporter's identity is to be kept confidential."""
    answers(ctx)["confidential"] = value == "ya"
    return None


async def store_giver_name(ctx: Context, value: Any) -> str | None:
    """Stores the giver's name ("Tidak diketahui" when the reporter does not know it).

    A name given after "Tidak diketahui" (a correction) brings back the questions about the
    giver that were left unasked because of it."""
    a = answers(ctx)
    if value and giver_unknown(a):
        for key in GIVER_DETAILS:
            if key in a and a.get(key) is None:
                a.pop(key)
    a["giver_name"] = str(value) if value else UNKNOWN_GIVER
    return None


async def store_giver_position(ctx: Context, value: Any) -> str | None:
    """Stores the giver's position (None: not known)."""
    answers(ctx)["giver_position"] = str(value) if value else None
    return None


async def store_giver_institution(ctx: Context, value: Any) -> str | None:
    """Stores the giver's institution (None: a private person)."""
    answers(ctx)["giver_institution"] = str(value) if value else None
    return None


async def store_giver_address(ctx: Context, value: Any) -> str | None:
    """Stores the giver's address (None: not known)."""
    answers(ctx)["giver_address"] = str(value) if value else None
    return None


async def store_giver_relation(ctx: Context, value: Any) -> str | None:
    """Stores the giver's relation to the reporter (None: the giver is unknown)."""
    answers(ctx)["giver_relation"] = str(value) if value else None
    return None


async def store_occasion(ctx: Context, value: Any) -> str | None:
    """Stores the occasion; a reason asked only for some occasions is dropped for others."""
    a = answers(ctx)
    a["occasion"] = str(value)
    if value != "lainnya":
        a.pop("occasion_other", None)
    return None


async def store_reason(ctx: Context, value: Any) -> str | None:
    """Stores the reason for the gift (None: not known)."""
    answers(ctx)["reason"] = str(value) if value else None
    return None


async def store_object_type(ctx: Context, value: Any) -> str | None:
    """Stores the object type; drops the answers that no longer apply to it."""
    a = answers(ctx)
    a["object_type"] = str(value)
    if value != "lainnya":
        a.pop("object_type_other", None)
    if not social_aid_applies(a) and a.get("object_location") == "bantuan_sosial":
        a.pop("object_location")  # only food goes to social aid: ask again, saying why
        ctx.session.data["aid_refused"] = True
    if not compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_description(ctx: Context, value: Any) -> str | None:
    """Stores the description of the object."""
    answers(ctx)["description"] = str(value)
    return None


async def store_value(ctx: Context, value: Any) -> str | None:
    """Stores the amount; it needs confirming when it was not typed in full."""
    a = answers(ctx)
    money = value if isinstance(value, Money) else Money(int(value), True)
    a["value_rp"] = money.value
    if money.exact:
        a["value_ok"] = True
    else:
        a.pop("value_ok", None)
    return None


async def store_value_ok(ctx: Context, value: Any) -> str | None:
    """Confirms the amount, or forgets it so that it is asked again."""
    a = answers(ctx)
    if value == "ya":
        a["value_ok"] = True
        return None
    a.pop("value_rp", None)
    a.pop("value_ok", None)
    return "value_rp"


async def store_received_date(ctx: Context, value: Any) -> str | None:
    """Stores the date (to be confirmed unless typed in full) and tracks the draft."""
    a = answers(ctx)
    found = value if isinstance(value, DateRead) else None
    received = found.day if found is not None else date.fromisoformat(str(value))
    if received is None:
        return None
    a["received_date"] = received.isoformat()
    if found is None or (found.full and not found.guessed_year):
        a["date_ok"] = True
        await _date_checked(ctx, received)
    else:
        a.pop("date_ok", None)
        ctx.session.data["date_guessed"] = found.guessed_year
    if found is not None and found.holiday:
        ctx.session.data["date_named"] = found.holiday  # "pas lebaran": shown with its date
    else:
        ctx.session.data.pop("date_named", None)
    return None


async def store_date_ok(ctx: Context, value: Any) -> str | None:
    """Confirms the date (with its checks), or forgets it so that it is asked again."""
    a = answers(ctx)
    ctx.session.data.pop("date_guessed", None)
    if value == "ya" and "received_date" in a:
        a["date_ok"] = True
        await _date_checked(ctx, date.fromisoformat(a["received_date"]))
        return None
    a.pop("received_date", None)
    a.pop("date_ok", None)
    return "received_date"


async def store_received_place(ctx: Context, value: Any) -> str | None:
    """Stores where the gift was given."""
    answers(ctx)["received_place"] = str(value)
    return None


async def store_chronology(ctx: Context, value: Any) -> str | None:
    """Stores the chronology, with the notes typed earlier at other questions after it."""
    notes = [str(n) for n in ctx.session.data.pop("notes", None) or []]
    kept = [n for n in notes if n not in str(value)]
    answers(ctx)["chronology"] = "\n".join([str(value), *kept])[:4000]
    return None


def social_aid_applies(a: Answers) -> bool:
    """Passing a gift on as social aid is for perishable food only (PerKPK 2/2019)."""
    return a.get("object_type") in (None, "makanan")


async def store_object_location(ctx: Context, value: Any) -> str | None:
    """Stores where the object is now; drops the compensation answer when it cannot apply.
    Social aid said of a gift that is not food is not stored: the question comes again
    with the reason."""
    a = answers(ctx)
    if value == "bantuan_sosial" and not social_aid_applies(a):
        a.pop("object_location", None)
        ctx.session.data["aid_refused"] = True
        return None
    a["object_location"] = str(value)
    if not compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_compensation(ctx: Context, value: Any) -> str | None:
    """Stores whether the reporter wants to keep the object by paying its value."""
    answers(ctx)["compensation"] = value == "ya"
    return None


async def store_attachments(ctx: Context, value: Any) -> str | None:
    """Keeps the files collected so far as the answer."""
    answers(ctx)["attachments"] = [cast(FileRef, f) for f in value or []]
    return None


async def _date_checked(ctx: Context, received: date) -> None:
    """Warns when a confirmed date is past the legal window, and tracks the draft."""
    policy = ctx.services.policy
    if receiving(answers(ctx)) and local_today(ctx) > kpk_due(received, policy):
        ctx.say(
            f"Catatan: tanggal itu sudah lebih dari {policy.kpk_deadline_workdays} hari kerja "
            "yang lalu.\n"
            "Laporan tetap bisa dikirim; penjelasannya ada di tanda terima nanti."
        )
    ports = ctx.services.declarations
    if ports is not None:
        await ports.track_draft(
            user_key=ctx.user_key,
            channel=ctx.incoming.channel,
            chat_id=ctx.incoming.chat_id,
            received_date=received,
        )
