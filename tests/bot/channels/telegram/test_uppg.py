"""Officers act from the card in the UPPG chat (Bot API stub on loopback): membership checked,
invalid transitions answered with the reason, the question taken from a ForceReply reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from telegram import Update

from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.uppg import NOT_MEMBER, UppgTelegram, split_internal
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import (
    AuditLog,
    Declaration,
    OutboxMessage,
    StatusChange,
    ThreadMessage,
    User,
)
from handlers import statuses as st
from tests.bot.backoffice.kit import (
    UPPG_CHAT,
    Clock,
    RecordingSender,
    deliveries,
    new_declaration,
    worker,
)
from tests.bot.channels.telegram.stub import BOT_ID, BotApiStub, running_stub

OFFICER, STRANGER = 501, 502
TODAY = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def _press(stub: BotApiStub, actions: UppgTelegram, user: int, data: str) -> Update:
    raw = {
        "update_id": 1,
        "callback_query": {
            "id": f"cb-{user}-{data}",
            "from": {"id": user, "is_bot": False, "first_name": "Sari"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 10,
                "date": 0,
                "chat": {"id": int(UPPG_CHAT), "type": "supergroup"},
                "text": "card",
            },
        },
    }
    return Update.de_json(raw, actions.bot)


def _reply(actions: UppgTelegram, user: int, prompt: str, text: str) -> Update:
    chat = {"id": int(UPPG_CHAT), "type": "supergroup"}
    raw: dict[str, Any] = {
        "update_id": 2,
        "message": {
            "message_id": 21,
            "date": 0,
            "chat": chat,
            "from": {"id": user, "is_bot": False, "first_name": "Sari"},
            "text": text,
            "reply_to_message": {
                "message_id": 20,
                "date": 0,
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "gratibot"},
                "text": prompt,
            },
        },
    }
    return Update.de_json(raw, actions.bot)


def _alerts(stub: BotApiStub) -> list[dict[str, Any]]:
    return [c.params for c in stub.sent("answerCallbackQuery")]


async def _declaration(db: Database, declaration_id: int) -> Declaration:
    async with db.sessions() as session:
        found = await session.get(Declaration, declaration_id)
        assert found is not None
        return found


async def test_officer_actions_from_the_card(database: Database) -> None:
    async with running_stub() as stub:
        stub.members = {OFFICER: "member", STRANGER: "left"}
        actions = UppgTelegram(
            TelegramSender(stub.bot(), None, 60), UPPG_CHAT, database, today=lambda: TODAY
        )
        declaration_id = await new_declaration(database, "GRT-2026-000040")
        async with database.transaction() as session:
            session.add(
                User(
                    username="sari",
                    password_hash="x",
                    role="officer",
                    telegram_user_id=str(OFFICER),
                )
            )

        # A non-member is refused and nothing changes.
        await actions.handle(_press(stub, actions, STRANGER, f"u:v:{declaration_id}"))
        assert _alerts(stub)[-1]["text"] == NOT_MEMBER
        assert (await _declaration(database, declaration_id)).status == st.DITERIMA

        # Refusal-only action on a receipt: refused with the reason.
        await actions.handle(_press(stub, actions, OFFICER, f"u:c:{declaration_id}"))
        assert "tidak dapat diubah menjadi Dicatat" in _alerts(stub)[-1]["text"]

        # Minta kelengkapan: a ForceReply prompt, then the reply is the question.
        await actions.handle(_press(stub, actions, OFFICER, f"u:l:{declaration_id}"))
        prompt = stub.sent("sendMessage")[-1].params
        assert "force_reply" in prompt["reply_markup"]
        await actions.handle(_reply(actions, OFFICER, prompt["text"], "Mohon foto barangnya."))
        found = await _declaration(database, declaration_id)
        assert found.status == st.PERLU_DILENGKAPI
        assert "pertanyaan diteruskan ke pelapor" in stub.texts()[-1]

        # A further question while waiting: the status stays, the reporter is asked again.
        await actions.handle(_press(stub, actions, OFFICER, f"u:l:{declaration_id}"))
        again = stub.sent("sendMessage")[-1].params
        await actions.handle(_reply(actions, OFFICER, again["text"], "Dan nilai parselnya?"))
        assert (await _declaration(database, declaration_id)).status == st.PERLU_DILENGKAPI
        async with database.sessions() as session:
            asked = (
                await session.execute(
                    select(ThreadMessage.text).where(ThreadMessage.direction == "to_reporter")
                )
            ).scalars()
            assert list(asked) == ["Mohon foto barangnya.", "Dan nilai parselnya?"]
            follow_up = (
                await session.execute(
                    select(OutboxMessage).where(OutboxMessage.topic == "reporter.question")
                )
            ).scalar_one()
            assert follow_up.payload["declaration_id"] == declaration_id

        # Verifikasi, then Teruskan ke KPK with today's date and the reference by reply.
        await actions.handle(_press(stub, actions, OFFICER, f"u:v:{declaration_id}"))
        edited = stub.sent("editMessageReplyMarkup")[-1].params
        assert f"u:k:{declaration_id}" in edited["reply_markup"]
        await actions.handle(_press(stub, actions, OFFICER, f"u:k:{declaration_id}"))
        found = await _declaration(database, declaration_id)
        assert found.status == st.DITERUSKAN_KPK
        assert found.forwarded_at is not None and found.forwarded_at.date().isoformat() == (
            "2026-11-25"
        )
        reference_prompt = stub.sent("sendMessage")[-1].params
        assert "Nomor referensi KPK" in reference_prompt["text"]
        await actions.handle(_reply(actions, OFFICER, reference_prompt["text"], "R/1234/GRA/2026"))
        assert (await _declaration(database, declaration_id)).kpk_reference == "R/1234/GRA/2026"

        # A stranger replying to a prompt is refused too.
        await actions.handle(_reply(actions, STRANGER, prompt["text"], "Iseng"))
        assert stub.texts()[-1] == NOT_MEMBER

        async with database.sessions() as session:
            changes = list(
                (await session.execute(select(StatusChange).order_by(StatusChange.id))).scalars()
            )
            notices = list(
                (
                    await session.execute(
                        select(OutboxMessage).where(
                            OutboxMessage.topic == "reporter.status_changed"
                        )
                    )
                ).scalars()
            )
        assert [(c.to_status, c.actor) for c in changes] == [
            (st.PERLU_DILENGKAPI, "sari"),
            (st.DIVERIFIKASI, "sari"),
            (st.DITERUSKAN_KPK, "sari"),
        ]
        assert changes[0].note == "Mohon foto barangnya."
        assert len(notices) == 3


async def test_refusal_is_recorded_by_an_administrator(database: Database) -> None:
    async with running_stub() as stub:
        stub.members = {OFFICER: "administrator"}
        actions = UppgTelegram(
            TelegramSender(stub.bot(), None, 60), UPPG_CHAT, database, today=lambda: TODAY
        )
        declaration_id = await new_declaration(database, "GRT-2026-000041", report_type="penolakan")
        await actions.handle(_press(stub, actions, OFFICER, f"u:c:{declaration_id}"))
        assert (await _declaration(database, declaration_id)).status == st.DICATAT
        assert "GRT-2026-000041: Dicatat" in stub.texts()[-1]
        # No actions are left on the card.
        markup = stub.sent("editMessageReplyMarkup")[-1].params.get("reply_markup")
        assert markup is None or json.loads(markup) in ({}, {"inline_keyboard": []})
        assert f"telegram:{OFFICER}" in [c.actor for c in (await _changes(database))]


async def _changes(db: Database) -> list[StatusChange]:
    async with db.sessions() as session:
        return list(
            (await session.execute(select(StatusChange).order_by(StatusChange.id))).scalars()
        )


def test_internal_lines_of_a_reply_stay_with_the_uppg() -> None:
    assert split_internal("Mohon foto kuitansi.") == ("Mohon foto kuitansi.", None)
    assert split_internal("Mohon foto kuitansi.\ninternal: rekanan dinas, cek SPK") == (
        "Mohon foto kuitansi.",
        "rekanan dinas, cek SPK",
    )
    # Everything after an internal line stays internal, even without the prefix.
    assert split_internal("Nilainya?\nCatatan internal - sudah 3x lapor\nbeda vendor") == (
        "Nilainya?",
        "sudah 3x lapor\nbeda vendor",
    )
    assert split_internal("Internal: hanya catatan") == ("", "hanya catatan")


async def test_internal_notes_from_the_chat_never_reach_the_reporter(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        stub.members = {OFFICER: "member"}
        actions = UppgTelegram(
            TelegramSender(stub.bot(), None, 60), UPPG_CHAT, database, today=lambda: TODAY
        )
        declaration_id = await new_declaration(database, "GRT-2026-000042")

        # The question prompt takes the question and, on an "Internal:" line, a note.
        await actions.handle(_press(stub, actions, OFFICER, f"u:l:{declaration_id}"))
        prompt = stub.sent("sendMessage")[-1].params["text"]
        assert "Internal:" in prompt and "tidak dikirim ke pelapor" in prompt
        reply = "Mohon kirim foto parselnya.\nInternal: pemberi rekanan proyek jalan"
        await actions.handle(_reply(actions, OFFICER, prompt, reply))
        assert "Catatan internal disimpan" in stub.texts()[-1]
        # Only the question itself is asked.
        await actions.handle(_reply(actions, OFFICER, prompt, "Internal: saja"))
        assert "Tulis dulu pertanyaan" in stub.texts()[-1]

        # Verifikasi: the confirmation takes an internal note by reply.
        await actions.handle(_press(stub, actions, OFFICER, f"u:v:{declaration_id}"))
        confirmation = stub.sent("sendMessage")[-1].params
        assert "force_reply" in confirmation["reply_markup"]
        assert "GRT-2026-000042: Diverifikasi" in confirmation["text"]
        await actions.handle(_reply(actions, OFFICER, confirmation["text"], "Nilai wajar, cek"))
        assert "catatan internal disimpan" in stub.texts()[-1]

        # Teruskan: the reference prompt keeps the reference and the internal line apart.
        await actions.handle(_press(stub, actions, OFFICER, f"u:k:{declaration_id}"))
        reference = stub.sent("sendMessage")[-1].params["text"]
        await actions.handle(
            _reply(actions, OFFICER, reference, "R/77/GRA/2026\nInternal: dikirim via GOL")
        )
        found = await _declaration(database, declaration_id)
        assert found.kpk_reference == "R/77/GRA/2026"

        changes = await _changes(database)
        assert [(c.to_status, c.note, c.internal_note) for c in changes] == [
            (st.PERLU_DILENGKAPI, "Mohon kirim foto parselnya.", "pemberi rekanan proyek jalan"),
            (st.DIVERIFIKASI, None, "Nilai wajar, cek"),
            (st.DITERUSKAN_KPK, None, "dikirim via GOL"),
        ]
        async with database.sessions() as session:
            notes = (
                await session.execute(select(AuditLog).where(AuditLog.action == "internal_note"))
            ).scalars()
            assert [n.details["internal_note"] for n in notes] == [
                "Nilai wajar, cek",
                "dikirim via GOL",
            ]

        # What the reporter is sent: the question, never a note.
        reporter = RecordingSender()
        run = worker(
            database, deliveries(database, settings, None, {"test": reporter}), Clock(), "w"
        )
        while await run.run_once():
            pass
        texts = " ".join(n.reply.text + " ".join(n.params) for _, n in reporter.sent)
        assert "Mohon kirim foto parselnya." in texts
        for secret in ("rekanan proyek", "Nilai wajar", "via GOL"):
            assert secret not in texts
