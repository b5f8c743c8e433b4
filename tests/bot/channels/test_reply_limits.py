"""Every reply the bot can give fits WhatsApp's and Telegram's documented limits.

The bot's flows are walked through the real runtime (every flow from the menu, each question's
buttons pressed in turn, typed small talk and errors, every knowledge entry's answer with its
buttons, each "Maksud Anda" suggestion list), and every reply is rendered by the WhatsApp and
the Telegram renderer. Meta's limits (Cloud API, interactive messages): at most 3 reply buttons
of 20 characters; a list of at most 10 rows, row titles of 24, descriptions of 72, the list
button and section title of 20 and 24; an interactive body of 1,024, a text of 4,096. Telegram:
4,096 UTF-16 units a message, callback data of 64 bytes. No choice may be lost on the way, and
no two choices may look the same to the user.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.backoffice import cards
from bot.backoffice.threads import MAX_QUESTION_CHARS
from bot.channels.telegram import render as tg
from bot.channels.whatsapp import render as wa
from bot.channels.whatsapp.window import clean_param
from bot.config import Settings
from bot.messages import Attachment, Choice, Incoming, Reply
from bot.runtime import Runtime, build_runtime
from bot.sessions import MemorySessionStore
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st
from handlers import texts
from tests.conftest import migrated_sqlite
from tests.handlers.declaration_script import Declarant, complete_declaration

# What people type at the start, outside any flow, and into a question instead of pressing.
TYPED_OUTSIDE = (
    "/start",
    "halo",
    "assalamualaikum pak",
    "/bantuan",
    "/status",
    "/cek",
    "/aduan",
    "/lapor",
    "/tanya",
    "/batal",
    "/jawab",
    "makasih ya",
    "ok",
    "maaf salah kirim",
    "bisa ngomong sama orang?",
    "sy dpt parsel dr vendor kmrn, wajib lapor ga?",
    "kado nikah dari rekanan boleh diterima?",
    "asdfghjkl",
    "🙏",
    "x" * 5000,
)
TYPED_IN_A_QUESTION = ("iya", "ga usah", "2", "gak tau", "kmrn", "1,5 jt", "Budi Santoso")
# The explorer's budget: turns taken off the scripted paths.
MAX_BRANCH_TURNS = 1500
# Buttons pressed in a row from what is typed outside a flow (the check has five questions).
OUTSIDE_DEPTH = 6
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20
CUT = "…"
TELEGRAM_LABEL_LIMIT = wa.ROW_DESCRIPTION_LIMIT


@dataclass
class Walk:
    """The replies seen, each (text, choices) once, with the path that produced it."""

    seen: dict[tuple[str, tuple[Choice, ...]], tuple[str, ...]] = field(default_factory=dict)
    replies: list[tuple[Reply, tuple[str, ...]]] = field(default_factory=list)
    # Turns the branches may still take (the declaration spines always run to the end).
    budget: int = MAX_BRANCH_TURNS

    def seen_texts(self, head: str) -> list[Reply]:
        return [reply for reply, path in self.replies if path[0] == head]

    def add(self, replies: list[Reply], path: tuple[str, ...]) -> list[Reply]:
        fresh = []
        for reply in replies:
            key = (reply.text, reply.choices)
            if key not in self.seen:
                self.seen[key] = path
                self.replies.append((reply, path))
                fresh.append(reply)
        return fresh


@pytest.fixture
async def runtime(settings: Settings, sqlite_template: Path) -> AsyncIterator[Runtime]:
    migrated_sqlite(sqlite_template, settings.var_dir / "gratibot.db")
    # A script answers faster than any person: lift the flood limit for it.
    runtime = await build_runtime(settings.model_copy(update={"flood_max_messages": 10_000}))
    yield runtime
    await runtime.close()


_users = itertools.count(1)


def _fork(runtime: Runtime, user: str | None) -> str:
    """A new user whose conversation is a copy of `user`'s (a fresh one for None), so each
    branch of the walk costs one turn instead of a replay from the start."""
    new = f"walker{next(_users)}"
    store = runtime.store
    assert isinstance(store, MemorySessionStore)
    if user is not None and f"test:{user}" in store._data:
        store._data[f"test:{new}"] = store._data[f"test:{user}"]
    return new


async def _turn(
    runtime: Runtime, user: str, step: str, files: tuple[Attachment, ...] = ()
) -> list[Reply]:
    """One turn: "t:<text>" typed, "p:<id>" pressed."""
    kind, value = step[:2], step[2:]
    incoming = Incoming(
        channel="test",
        user_id=user,
        chat_id=user,
        text=value if kind == "t:" else None,
        choice=value if kind == "p:" else None,
        attachments=files,
    )
    return await runtime.dispatcher.dispatch(incoming)


@dataclass
class Walker:
    """A user the declaration script drives (tests/handlers/declaration_script.py); at every
    question on the way each offered button is also pressed, on a copy of the conversation,
    and the buttons of what that brings are pressed in turn."""

    runtime: Runtime
    found: Walk
    name: str
    user: str = ""
    last: list[Reply] = field(default_factory=list)
    path: tuple[str, ...] = ()

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        return await self._step(f"t:{text}", attachments)

    async def press(self, choice_id: str) -> list[Reply]:
        return await self._step(f"p:{choice_id}")

    async def _step(self, step: str, files: tuple[Attachment, ...] = ()) -> list[Reply]:
        self.user = self.user or _fork(self.runtime, None)
        self.path = (*self.path, step)
        self.last = await _turn(self.runtime, self.user, step, files)
        if self.found.add(self.last, (self.name, *self.path)):
            await branch(self.runtime, self.found, self.user, self.last, (self.name, *self.path), 2)
        return self.last


async def branch(
    runtime: Runtime,
    found: Walk,
    user: str,
    replies: list[Reply],
    path: tuple[str, ...],
    depth: int,
) -> None:
    """Presses each button of the last reply on a copy of the conversation, `depth` deep."""
    last = replies[-1] if replies else None
    if last is None or depth == 0 or found.budget <= 0:
        return
    for choice in last.choices:
        found.budget -= 1
        fork = _fork(runtime, user)
        step = f"p:{choice.id}"
        got = await _turn(runtime, fork, step)
        if found.add(got, (*path, step)):
            await branch(runtime, found, fork, got, (*path, step), depth - 1)
    if not last.choices:
        for text in TYPED_IN_A_QUESTION[:2]:
            found.budget -= 1
            got = await _turn(runtime, _fork(runtime, user), f"t:{text}")
            found.add(got, (*path, f"t:{text}"))


async def _jpeg() -> bytes:
    return JPEG


PHOTO = Attachment(
    kind="photo", name="parsel.jpg", mime_type="image/jpeg", size=len(JPEG), download=_jpeg
)


async def walk(runtime: Runtime) -> Walk:
    """From what people type outside any flow, three levels of buttons; then whole
    declarations (step by step with a photo, told as a story, a refusal with most fields
    unknown) with every button of every question pressed on the way, and the status after."""
    found = Walk()
    for text in TYPED_OUTSIDE:
        user = _fork(runtime, None)
        got = await _turn(runtime, user, f"t:{text}")
        if found.add(got, (f"t:{text}",)):
            await branch(runtime, found, user, got, (f"t:{text}",), OUTSIDE_DEPTH)
    spines = {
        "langkah": Declarant(attachments=[PHOTO]),
        "cerita": Declarant(
            story="kmrn sy dpt parsel lebaran dr pak andi PT maju jaya, isinya kue sama sirup,"
            " kira2 1,5 jt, diantar ke kantor"
        ),
        "tolak": Declarant(
            report_type="penolakan",
            nip=None,
            email=None,
            confidential=True,
            giver_position=None,
            giver_institution=None,
            reason=None,
            giver_relation="lainnya",
            occasion="lainnya",
            object_type="uang",
        ),
    }
    for name, who in spines.items():
        walker = Walker(runtime, found, name)
        await complete_declaration(walker, who)
        await walker.send("/status")
        await walker.send("makasih")
    # The check to its verdict: the first option of each question, then a typed value.
    check = Walker(runtime, found, "cek")
    await check.send("/cek")
    for _question in range(6):
        if not check.last or not check.last[-1].choices or "nilai" in check.last[-1].text:
            break
        await check.press(check.last[-1].choices[0].id)
    await check.send("750rb")
    for _question in range(4):  # what is still asked after the value (the date): its first button
        if "Hasil:" in "\n".join(r.text for r in check.last) or not check.last[-1].choices:
            break
        await check.press(check.last[-1].choices[0].id)
    assert "Hasil:" in "\n".join(r.text for r in found.seen_texts("cek"))
    # A concern told in the reporter's words, to its questions and the code.
    concern = Walker(runtime, found, "aduan")
    await concern.send("/aduan")
    await concern.press("aduan:baru")
    await concern.send(
        "kasi di kantor kami minta setoran 10% dr tiap pencairan proyek ke rekanan,"
        " sy liat sendiri bln lalu waktu rapat di ruangannya"
    )
    return found


async def faq_replies(runtime: Runtime) -> list[tuple[Reply, tuple[str, ...]]]:
    """Every active knowledge entry's answer with its buttons, and each entry's question as a
    "Maksud Anda" suggestion (with two neighbours, as the matcher offers them)."""
    source = runtime.services.faq.source  # type: ignore[attr-defined]
    kb = source.current()
    assert kb is not None and kb.entries
    out: list[tuple[Reply, tuple[str, ...]]] = []
    for entry_id in kb.entries:
        path = (f"p:faq:{entry_id}",)
        turn = await _turn(runtime, _fork(runtime, None), path[0])
        assert turn and turn[-1].choices, f"{entry_id}: no answer with buttons"
        out.extend((reply, path) for reply in turn)
    ids = list(kb.entries)
    from handlers import menu

    for n, entry_id in enumerate(ids):
        group = [ids[n], ids[(n + 1) % len(ids)], ids[(n + 2) % len(ids)]]
        buttons = tuple(Choice(f"faq:{i}", kb.entries[i].title) for i in group)
        out.append((Reply("Maksud Anda:", (*buttons, menu.MENU[0])), (f"suggest:{entry_id}",)))
    return out


# --- the checks -------------------------------------------------------------------------------


def _word_cut(title: str, label: str) -> bool:
    """A shortened title is the label's start up to a word end, then the ellipsis."""
    if title == label:
        return True
    if not title.endswith(CUT):
        return False
    head = title[: -len(CUT)].rstrip()
    rest = label[len(head) :]
    return label.startswith(head) and (not rest or not rest[0].isalnum() or not head)


def whatsapp_problems(reply: Reply) -> list[str]:
    problems = []
    rendered = wa.render(reply)
    shown: list[tuple[str, str]] = []  # (id, what the user sees)
    for message in rendered.messages:
        if message["type"] == "text":
            body = message["text"]["body"]
            if not body.strip() or len(body) > wa.TEXT_LIMIT:
                problems.append(f"text of {len(body)} characters")
            continue
        interactive = message["interactive"]
        body = interactive["body"]["text"]
        if not body.strip() or len(body) > wa.INTERACTIVE_BODY_LIMIT:
            problems.append(f"interactive body of {len(body)} characters")
        for part in ("header", "footer"):
            if part in interactive and len(interactive[part].get("text", "")) > 60:
                problems.append(f"{part} over 60 characters")
        action = interactive["action"]
        if interactive["type"] == "button":
            buttons = [b["reply"] for b in action["buttons"]]
            if len(buttons) > wa.MAX_BUTTONS:
                problems.append(f"{len(buttons)} buttons")
            for b in buttons:
                if not 0 < len(b["title"]) <= wa.BUTTON_TITLE_LIMIT:
                    problems.append(f"button title {b['title']!r}")
                if not 0 < len(b["id"]) <= 256:
                    problems.append(f"button id of {len(b['id'])} characters")
                shown.append((b["id"], b["title"]))
        else:
            assert interactive["type"] == "list"
            if not 0 < len(action["button"]) <= 20:
                problems.append(f"list button {action['button']!r}")
            rows = []
            for section in action["sections"]:
                if len(section.get("title", "")) > 24:
                    problems.append(f"section title {section['title']!r}")
                rows.extend(section["rows"])
            if len(rows) > wa.MAX_LIST_ROWS:
                problems.append(f"{len(rows)} list rows")
            labels = {c.id: c.label for c in reply.choices}
            for row in rows:
                if not 0 < len(row["title"]) <= wa.ROW_TITLE_LIMIT:
                    problems.append(f"row title {row['title']!r}")
                if len(row.get("description", "")) > wa.ROW_DESCRIPTION_LIMIT:
                    problems.append(f"row description {row['description']!r}")
                if not 0 < len(row["id"]) <= 200:
                    problems.append(f"row id of {len(row['id'])} characters")
                if not _word_cut(row["title"], labels.get(row["id"], "")):
                    problems.append(f"row title cut mid-word: {row['title']!r}")
                seen = row["title"] + "\n" + row.get("description", "")
                shown.append((row["id"], seen))
    if rendered.numbered:
        text = "\n".join(m["text"]["body"] for m in rendered.messages if m["type"] == "text")
        for n, choice in enumerate(rendered.numbered, start=1):
            if f"{n}. {choice.label}" not in text:
                problems.append(f"numbered choice {n} ({choice.label!r}) not shown in full")
            shown.append((choice.id, f"{n}. {choice.label}"))
    wanted = [c.id for c in reply.choices]
    if sorted(i for i, _ in shown) != sorted(wanted):
        problems.append(f"choices shown {[i for i, _ in shown]} != offered {wanted}")
    if len({s for _, s in shown}) != len(shown):
        problems.append(f"two choices look the same: {[s for _, s in shown]}")
    return problems


async def telegram_problems(reply: Reply) -> list[str]:
    problems = []
    store = MemorySessionStore()
    outgoing = tg.plan([reply])
    carried = [c for o in outgoing for c in o.choices]
    if carried != list(reply.choices):
        problems.append("choices lost in the plan")
    for message in outgoing:
        if message.attachment is None and not message.text.strip():
            problems.append("empty message")
        if tg.utf16_len(message.text) > tg.MAX_TEXT:
            problems.append(f"message of {tg.utf16_len(message.text)} UTF-16 units")
    for choice in reply.choices:
        data = await tg.callback_data(choice.id, store, 3600, tag="Ab3_")
        if len(data.encode()) > tg.MAX_CALLBACK_BYTES:
            problems.append(f"callback data {data!r}")
        if await tg.resolve_callback(tg.parse_callback(data)[0], store) != choice.id:
            problems.append(f"callback data of {choice.id!r} does not come back")
        # Telegram documents no cap (a phone ends a long one with "…"); the longest labels,
        # the suggested questions, stay within a WhatsApp row description.
        if not choice.label.strip() or len(choice.label) > TELEGRAM_LABEL_LIMIT:
            problems.append(f"button text {choice.label!r}")
    labels = [c.label for c in reply.choices]
    if len(set(labels)) != len(labels):
        problems.append(f"two buttons with the same text: {labels}")
    if len({c.id for c in reply.choices}) != len(reply.choices):
        problems.append("two buttons with the same id")
    return problems


async def test_every_reply_of_every_flow_fits_whatsapp_and_telegram(runtime: Runtime) -> None:
    found = await walk(runtime)
    replies = found.replies + await faq_replies(runtime)
    # The walk reached every flow of the menu, and questions with each way of rendering.
    texts_seen = "\n".join(r.text for r, _ in replies)
    assert texts.GREETING in texts_seen
    kinds = {_kind(r) for r, _ in replies}
    assert {"text", "button", "list"} <= kinds, kinds
    assert len(replies) > 150, len(replies)
    failures = []
    for reply, path in replies:
        problems = whatsapp_problems(reply) + await telegram_problems(reply)
        if problems:
            failures.append(
                f"{' > '.join(path)}\n  {reply.text[:80]!r}\n  " + "\n  ".join(problems)
            )
    assert not failures, f"{len(failures)} replies do not fit:\n" + "\n".join(failures[:40])


def _kind(reply: Reply) -> str:
    messages: list[dict[str, Any]] = wa.render(reply).messages
    last = messages[-1]
    return str(last["interactive"]["type"]) if last["type"] == "interactive" else "text"


async def test_every_notice_to_a_reporter_fits_even_with_the_longest_officer_text() -> None:
    """The UPPG's notices (each status, a further question, the draft reminder), with the
    officer's message and question at the 2,000 characters the dashboard accepts."""
    longest = ("Mohon lampirkan foto parsel dan kuitansi pembelian dari rekanan. " * 40)[
        :MAX_QUESTION_CHARS
    ]
    declaration = Declaration(
        id=2147483647,
        number="GRT-2026-000123",
        kpk_reference="KPK/GRAT/2026/12345",
        sk_number="SK-99/KPK/2026",
        sk_date=date(2026, 12, 1),
    )
    notices = [
        cards.question_notice(declaration, longest, date(2026, 12, 10)),
        cards.draft_reminder(date(2026, 12, 24)),
    ]
    for status in st.LABELS:
        change = StatusChange(to_status=status, note=longest, details={"reason": longest[:300]})
        notices.append(
            cards.status_notice(declaration, change, date(2026, 12, 10), settings=Settings())
        )
    failures = []
    for reply in notices:
        problems = whatsapp_problems(reply) + await telegram_problems(reply)
        if problems:
            failures.append(f"{reply.text[:60]!r}: {problems}")
    assert not failures, failures
    # Outside the 24-hour window the one template parameter, in the longest README template,
    # stays within a template body's 1,024 characters.
    template = (
        "UPPG membutuhkan keterangan tambahan untuk laporan Anda: {{1}} "
        "Balas pesan ini untuk menjawab."
    )
    param = clean_param(f"{declaration.number}, “{longest}”")
    assert len(template.replace("{{1}}", param)) <= wa.INTERACTIVE_BODY_LIMIT
