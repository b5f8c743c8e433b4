"""Every delivery topic: the reporter told of each status change on their own channel, cards to
officers' WhatsApp numbers, a channel that is not wired keeps the message pending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.backoffice.notify import ChannelSender, DeliveryFailed
from bot.backoffice.threads import ask_reporter
from bot.backoffice.workflow import TRANSITIONS, InvalidTransition, change_status
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import DEAD, SENT
from bot.store.models import outbox_message as message
from handlers import statuses as st
from tests.bot.backoffice.kit import (
    FILLED,
    NOW,
    Clock,
    RecordingSender,
    change,
    deliveries,
    new_declaration,
    outbox_rows,
    uppg_settings,
    worker,
)
from tests.bot.channels.telegram.stub import running_stub

PATH = [
    (
        st.PERLU_DILENGKAPI,
        {"message": "Mohon kirim foto kuitansi.", "internal_note": "RAHASIA: cek rekanan."},
    ),
    (st.DIVERIFIKASI, {"internal_note": "RAHASIA: nilai wajar."}),
    (st.DITERUSKAN_KPK, {"forwarded_on": "2026-11-25", "kpk_reference": "GOL-77"}),
    (st.MILIK_NEGARA, {"sk_number": "SK-9/2026", "sk_date": "2026-12-01"}),
    (
        st.SELESAI,
        {
            "handed_over_on": "2026-12-08",
            "message": "Diserahkan.",
            "internal_note": "RAHASIA",
        },
    ),
]


def expected_template(target: str) -> str:
    """A request to complete the report uses the question template; the rest a status update."""
    return "uppg_question" if target == st.PERLU_DILENGKAPI else "status_update"


def after_now(seconds: float = 1) -> Clock:
    """A clock just after kit.NOW, when the changes of these tests are made."""
    return Clock(offset=max(NOW - datetime.now(UTC), timedelta()) + timedelta(seconds=seconds))


async def _drain(db: Database, settings: Settings, senders: dict[str, ChannelSender]) -> None:
    run = worker(db, deliveries(db, settings, None, senders), after_now(), "w")
    while await run.run_once():
        pass


@pytest.mark.parametrize("channel", ["telegram", "whatsapp"])
async def test_reporter_is_notified_of_every_status_change(
    database: Database, settings: Settings, channel: str
) -> None:
    config = uppg_settings(settings)
    declaration_id = await new_declaration(database, "GRT-2026-000020", user_key=f"{channel}:555")
    reporter = RecordingSender()
    other = RecordingSender()
    senders: dict[str, ChannelSender] = {channel: reporter, "console": other}
    for target, details in PATH:
        await change(database, config, declaration_id, target, details)
        await _drain(database, config, senders)

    assert [chat for chat, _ in reporter.sent] == ["555"] * len(PATH)
    notices = [n for _, n in reporter.sent]
    for (target, _), notice in zip(PATH, notices, strict=True):
        assert notice.template == expected_template(target)
        # The README's WhatsApp templates have one body parameter ({{1}}).
        (param,) = notice.params
        assert "GRT-2026-000020" in param
        assert st.label(target) in notice.reply.text
    assert notices[0].params == ["GRT-2026-000020, “Mohon kirim foto kuitansi.”"]
    assert notices[1].params == ["GRT-2026-000020 kini berstatus Diverifikasi."]
    asked = notices[0]
    assert "Mohon kirim foto kuitansi." in asked.reply.text
    assert [c.id for c in asked.reply.choices] == [f"jawab:{declaration_id}"]
    assert "Mohon jawab paling lambat" in asked.reply.text
    assert "GOL-77" in notices[2].reply.text
    assert "(UU 20/2001 Pasal 12C ayat 3)" in notices[2].reply.text
    assert "SK-9/2026" in notices[3].reply.text and "diserahkan" in notices[3].reply.text
    assert "Pesan UPPG: Diserahkan." in notices[4].reply.text
    # The internal notes never reach the reporter, in any text or template parameter.
    assert not [n for n in notices if "RAHASIA" in n.reply.text + " ".join(n.params)]
    assert other.sent == []
    status_rows = [r for r in await outbox_rows(database) if r.topic.startswith("reporter.")]
    assert len(status_rows) == len(PATH) and all(r.status == SENT for r in status_rows)


async def test_a_channel_not_wired_keeps_the_notice_pending(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    declaration_id = await new_declaration(database, "GRT-2026-000021", user_key="whatsapp:9")
    async with database.transaction() as session:
        await change_status(session, declaration_id, st.DIVERIFIKASI, actor="sari")
    await _drain(database, config, {})
    row = next(r for r in await outbox_rows(database) if r.topic == "reporter.status_changed")
    assert row.status == "pending" and "no sender for channel whatsapp" in (row.last_error or "")

    # A reporter who blocked the bot: the channel says it is permanent.
    blocked = RecordingSender(fail=DeliveryFailed("blocked by user", permanent=True))
    clock = after_now(60)
    run = worker(database, deliveries(database, config, None, {"whatsapp": blocked}), clock, "w")
    await run.run_once()
    row = next(r for r in await outbox_rows(database) if r.topic == "reporter.status_changed")
    assert row.status == DEAD


async def test_cards_reach_officers_whatsapp_numbers_independently_of_telegram(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub, uppg_whatsapp_numbers="6281100, 6282200")
        declaration_id = await new_declaration(database, "GRT-2026-000022", confidential=True)
        officers = RecordingSender()
        stub.down = True
        clock = Clock()
        found = deliveries(database, config, stub, {"whatsapp": officers})
        run = worker(database, found, clock, "w")
        while await run.run_once():
            pass
        assert sorted(chat for chat, _ in officers.sent) == ["6281100", "6282200"]
        # The numbers are resolved from settings at send time, never written to the outbox.
        rows = [(r.dedupe_key, str(r.payload)) for r in await outbox_rows(database)]
        assert rows and not any("6281100" in f"{k} {p}" for k, p in rows), rows
        card = officers.sent[0][1]
        assert "GRT-2026-000022" in card.reply.text
        # Confidential: the reporter's name stays out of chats.
        assert "Ani Lestari" not in card.reply.text and "dirahasiakan" in card.reply.text
        assert card.reply.choices == ()
        assert card.template == "status_update"
        assert list(card.params) == ["GRT-2026-000022: laporan baru masuk ke UPPG."]
        stub.down = False
        clock.advance(3600)
        while await run.run_once():
            pass
        assert len(officers.sent) == 2  # the Telegram retry did not resend WhatsApp copies
        assert len([t for t in stub.texts() if "GRT-2026-000022" in t]) == 1
        assert f"u:v:{declaration_id}" in str(stub.sent("sendMessage")[0].params)


async def test_a_card_for_an_officer_removed_from_settings_is_dropped(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings, None, uppg_whatsapp_numbers="6281100, 6282200")
    await new_declaration(database, "GRT-2026-000024")
    officers = RecordingSender()
    clock = Clock()
    first = worker(database, deliveries(database, config, None, {"whatsapp": officers}), clock, "w")
    await first.run_once()  # the fan-out: one message per number
    # The second officer's number is taken out of settings before the copies go out.
    fewer = config.model_copy(update={"uppg_whatsapp_numbers": "6281100"})
    run = worker(database, deliveries(database, fewer, None, {"whatsapp": officers}), clock, "w")
    while await run.run_once():
        pass
    assert [chat for chat, _ in officers.sent] == ["6281100"]
    sends = [r for r in await outbox_rows(database) if r.topic == "uppg.send"]
    assert sorted(r.status for r in sends) == [DEAD, "sent"]


async def test_without_a_uppg_destination_the_card_waits(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    await new_declaration(database, "GRT-2026-000023")
    await _drain(database, config, {})
    (row,) = await outbox_rows(database)
    assert row.status == "pending" and "no UPPG destination" in (row.last_error or "")


async def test_draft_reminder_goes_to_the_reporter_with_the_reminder_template(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    async with database.transaction() as session:
        session.add(
            message(
                "reporter.draft_reminder",
                "draft:1:2026-12-11",
                {"draft_id": 1, "channel": "telegram", "chat_id": "77", "deadline": "2026-12-28"},
            )
        )
    reporter = RecordingSender()
    await _drain(database, config, {"telegram": reporter})
    ((chat, notice),) = reporter.sent
    assert chat == "77" and notice.template == "reminder"
    assert list(notice.params) == [
        "laporan gratifikasi Anda belum selesai. Batas lapor ke UPPG: 28 Des 2026."
    ]
    assert "/lapor" in notice.reply.text


async def test_a_further_question_reaches_the_reporter_with_the_answer_button(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    declaration_id = await new_declaration(database, "GRT-2026-000024", user_key="telegram:31")
    await change(database, config, declaration_id, st.PERLU_DILENGKAPI, {"message": "Foto?"})
    async with database.transaction() as session:
        await ask_reporter(
            session, declaration_id, "Nilainya berapa?", actor="sari", internal_note="RAHASIA"
        )
    await change(database, config, declaration_id, st.DIVERIFIKASI, {})
    await change(
        database, config, declaration_id, st.DITERUSKAN_KPK, {"forwarded_on": "2026-12-01"}
    )
    await change(
        database,
        config,
        declaration_id,
        st.MILIK_PENERIMA,
        {"sk_number": "SK-1", "sk_date": "2026-12-10"},
    )
    async with database.transaction() as session:
        with pytest.raises(InvalidTransition, match="tidak dapat dikirim"):
            await ask_reporter(session, declaration_id, "Lagi?", actor="sari")
    reporter = RecordingSender()
    await _drain(database, config, {"telegram": reporter})
    texts = [n.reply.text for _, n in reporter.sent]
    assert len(texts) == 5 and "Nilainya berapa?" in texts[1]
    assert [c.id for c in reporter.sent[1][1].reply.choices] == [f"jawab:{declaration_id}"]
    question = reporter.sent[1][1]
    assert "RAHASIA" not in question.reply.text
    assert question.template == "uppg_question"
    assert question.params == ["GRT-2026-000024, “Nilainya berapa?”"]


# How a declaration reaches each status through the process (the guards read its history).
ROUTE = {
    st.DITERIMA: (),
    st.DIVERIFIKASI: (st.DIVERIFIKASI,),
    st.PERLU_DILENGKAPI: (st.PERLU_DILENGKAPI,),
    st.DITERUSKAN_KPK: (st.DIVERIFIKASI, st.DITERUSKAN_KPK),
    **{d: (st.DIVERIFIKASI, st.DITERUSKAN_KPK, d) for d in st.DECISIONS},
}
ASKED = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)


async def _reach(db: Database, settings: Settings, declaration_id: int, status: str) -> None:
    """Walks a fresh declaration to `status` (asking early, so the completion time is over)."""
    for step in ROUTE[status]:
        when = ASKED if step == st.PERLU_DILENGKAPI else NOW
        await change(db, settings, declaration_id, step, FILLED, now=when)


async def test_every_allowed_transition_notifies_the_reporter_once(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    await new_declaration(database, "GRT-2026-900000")  # the original of duplicates
    details = {**FILLED, "duplicate_of": "GRT-2026-900000"}
    cases = [
        (report_type, source, target)
        for report_type, table in TRANSITIONS.items()
        for source, targets in table.items()
        for target in targets
    ]
    reporter = RecordingSender()
    for n, (report_type, source, target) in enumerate(cases):
        reporter.sent.clear()
        declaration_id = await new_declaration(
            database,
            f"GRT-2026-{n:06d}",
            report_type=report_type,
            user_key=f"telegram:{n}",
            object_type="makanan",
        )
        await _reach(database, config, declaration_id, source)
        await change(database, config, declaration_id, target, details)
        await _drain(database, config, {"telegram": reporter})
        assert len(reporter.sent) == len(ROUTE[source]) + 1, (source, target)
        chat, notice = reporter.sent[-1]
        assert chat == str(n) and st.label(target) in notice.reply.text
        assert "Cek dengan Inspektur" not in notice.reply.text  # the internal note
        assert notice.template == expected_template(target)
        (param,) = notice.params
        assert f"GRT-2026-{n:06d}" in param
    assert {target for _, _, target in cases} == set(st.LABELS) - {st.DITERIMA}
