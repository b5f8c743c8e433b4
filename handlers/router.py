"""Routes one message: global commands, confirmations, the active flow, menu, or the FAQ.

The tables below are the whole routing: to add a flow, add it to FLOWS and give it a menu
item or a command.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from bot.messages import small_number
from handlers import (
    ask,
    check,
    concern,
    concern_terms,
    declaration,
    menu,
    smalltalk,
    status,
    tanda_terima,
    texts,
    thread,
)
from handlers import typed as words
from handlers.context import Context
from handlers.declaration_story import read_story
from handlers.flow import Flow, Step
from handlers.session import PARKED

# Conversation flows by name. Each flow module exposes a FLOW constant.
FLOWS: dict[str, Flow] = {
    "lapor": declaration.FLOW,
    "cek": check.FLOW,
    thread.NAME: thread.FLOW,
    concern.NAME: concern.FLOW,
}

# Menu buttons and the flow they start (or a single step they run).
MENU_FLOWS: dict[str, str] = {"menu:lapor": "lapor", "menu:cek": "cek", "menu:aduan": "aduan"}
MENU_STEPS: dict[str, Step] = {
    "menu:tanya": ask.start,
    "menu:bantuan": menu.help_,
    "menu:status": status.show,
    # A second "Kirim" after the declaration went out: same number, no second report.
    "lapor:submit": declaration.already_sent,
}

# Slash commands. Starting a flow by command goes through the same FLOWS table.
COMMAND_STEPS: dict[str, Step] = {
    "start": menu.start,
    "menu": menu.start,
    "bantuan": menu.help_,
    "help": menu.help_,
    "tanya": ask.start,
    "status": status.show,
}
COMMAND_FLOWS: dict[str, str] = {
    "lapor": "lapor",
    "cek": "cek",
    "jawab": thread.NAME,
    "aduan": concern.NAME,
}

# Commands typed without the slash, or a menu label typed instead of pressed (common on
# WhatsApp). Outside a flow only, except "batal", which always means cancel.
BARE_COMMANDS: dict[str, str] = {
    "menu": "menu",
    "menu utama": "menu",
    "main menu": "menu",
    "kembali ke menu": "menu",
    "home": "menu",
    "mulai": "start",
    "lapor": "lapor",
    "lapor gratifikasi": "lapor",
    "lapor sekarang": "lapor",
    "lanjutkan draf": "lapor",
    "lanjut lapor": "lapor",
    "lanjutkan laporan": "lapor",
    "kembali ke laporan": "lapor",
    "cek": "cek",
    "cek wajib lapor": "cek",
    "tanya": "tanya",
    "tanya aturan": "tanya",
    "status": "status",
    "status laporan": "status",
    "status laporan saya": "status",
    "cek status": "status",
    "cek status laporan": "status",
    "laporan saya": "status",
    # Asked of one's own report: the list of reports answers it better than the FAQ does.
    "status laporan sy": "status",
    "status laporan saya gimana": "status",
    "status laporan saya gmn": "status",
    "status laporan sy gmn": "status",
    "status laporan sy gimana": "status",
    "cek laporan saya": "status",
    "cek laporan sy": "status",
    "laporan saya sampai mana": "status",
    "laporan sy sampai mana": "status",
    "laporan saya sudah sampai mana": "status",
    "laporan sy sdh sampai mana": "status",
    "laporan sy udh sampai mana": "status",
    "laporan saya gimana": "status",
    "cek status laporan sy": "status",
    "cek status laporan saya": "status",
    "status laporan gratifikasi saya": "status",
    "laporan sy gmn": "status",
    "bantuan": "bantuan",
    "help": "bantuan",
    "jawab": "jawab",
    "aduan": "aduan",
    "lapor dugaan suap": "aduan",
    "dugaan suap": "aduan",
    "lapor suap": "aduan",
    "sampaikan kekhawatiran": "aduan",
    "whistleblowing": "aduan",
    "wbs": "aduan",
    "cek aduan": "aduan",
    "kode laporan": "aduan",
    "kode": "aduan",
    "kode saya": "aduan",
    "kode aduan": "aduan",
    "punya kode": "aduan",
    "saya punya kode": "aduan",
    "saya punya kode laporan": "aduan",
    "cek kode": "aduan",
    "cek kode laporan": "aduan",
    # English, typed by the same people.
    "report bribery": "aduan",
    "report a bribe": "aduan",
    "report corruption": "aduan",
    "i want to report bribery": "aduan",
    "check status": "status",
    "check my report": "status",
    "my report status": "status",
    "report status": "status",
    "status of my report": "status",
    "batal": "batal",
    "batalkan": "batal",
    # What a wish to report names once its verb is read as "lapor" (see _command_words).
    "lapor hadiah": "lapor",
    "lapor pemberian": "lapor",
    "lapor penerimaan": "lapor",
    "lapor penerimaan gratifikasi": "lapor",
    "lapor penolakan": "lapor",
    "lapor penolakan gratifikasi": "lapor",
    "lapor gratifikasi saya": "lapor",
    "lapor dugaan korupsi": "aduan",
    "lapor korupsi": "aduan",
    "lapor penyuapan": "aduan",
}
# Said around a menu word in a short wish, "pak, saya mau lapor gratifikasi dong": greetings
# and forms of address in front, a wish ("saya mau", "ingin"), fillers at the end. Holiday
# greetings are not among them ("lebaran" is no address).
_AROUND_COMMAND = frozenset(
    smalltalk.POLITE
    | {"halo", "hallo", "hai", "hi", "permisi", "punten", "assalamualaikum", "asalamualaikum"}
    | {"assalammualaikum", "salam", "wr", "wb", "selamat", "pagi", "siang", "sore", "malam"}
    | {"tolong", "mohon", "dong", "donk", "ya", "yah", "nih", "deh", "sih", "please", "pls"}
    # "oke mau lapor aja", "baik langsung lapor sekarang": a yes in front, "just" and "now".
    | {"oke", "ok", "okay", "okey", "baik", "siap", "sip", "yaudah", "ywdh", "udah", "jadi"}
    | {"aja", "saja", "langsung", "sekarang", "skrg", "segera", "lah", "kalau", "gitu", "begitu"}
)
_WISH = re.compile(
    r"^(?:(?:saya|sy|aku|sya|kami)\s+)?(?:mau|ingin|pengen|pingin|mo|hendak|akan|bermaksud)\s+"
)
_REPORT_VERB = re.compile(r"^(?:melapor|melaporkan|laporin|laporkan|ngelapor|ngelaporin)\b")


def _command_words(text: str) -> str:
    """The menu words of a short wish: "pak mau melaporkan gratifikasi dong" -> "lapor
    gratifikasi" (to look up in BARE_COMMANDS, after the text as typed)."""
    said = words.plain(text).split()
    while said and said[0] in _AROUND_COMMAND:
        said.pop(0)
    while said and said[-1] in _AROUND_COMMAND:
        said.pop()
    return _REPORT_VERB.sub("lapor", _WISH.sub("", " ".join(said)))


# Small talk outside a flow (handlers/smalltalk.py tells which): a friendly turn and the menu
# instead of "belum bisa menjawab" or a FAQ answer. A complaint about the bot gets an apology
# and the UPPG contact; milder ones ("gak jelas") only when the FAQ has no answer (ask.answer).
SMALL_TALK: dict[smalltalk.Kind, Step] = {
    "greeting": menu.start,
    "thanks": menu.thanks,
    "ack": menu.acknowledge,
    "bye": menu.bye,
    "oops": menu.oops,
    "complaint": ask.complaint,
    "human": ask.human,
}

# Buttons whose id carries a value ("jawab:123" on a notification), by id prefix.
PREFIX_STEPS: dict[str, Step] = {
    thread.PREFIX: thread.begin,
    tanda_terima.PREFIX: tanda_terima.send,
}


# A label typed with a slip ("cek wajb lapor"): this close to one label, and to no other.
LABEL_LIKENESS = 0.9
# Shorter labels ("Ya", "Tidak", "Batal") are too near to ordinary words to guess at.
LABEL_GUESS_MIN = 8


def _typed_choice(ctx: Context) -> str | None:
    """Maps typed text onto one of the buttons last offered: its label (also with an emoji,
    punctuation or one slip of the keyboard), or its number."""
    typed = ctx.text.casefold()
    if not typed or ctx.incoming.choice:
        return None
    for choice_id, label in ctx.session.offered:
        if typed == label.casefold():
            return choice_id
    index = small_number(typed, len(ctx.session.offered)) if not ctx.session.free_text else None
    if index:
        return ctx.session.offered[index - 1][0]
    said = words.plain(typed)
    if not said:
        return None
    labels = [(choice_id, words.plain(label)) for choice_id, label in ctx.session.offered]
    same = [choice_id for choice_id, label in labels if label == said]
    if len(same) == 1:
        return same[0]
    close = [
        choice_id
        for choice_id, label in labels
        if len(label) >= LABEL_GUESS_MIN
        and difflib.SequenceMatcher(None, said, label).ratio() >= LABEL_LIKENESS
    ]
    return close[0] if len(close) == 1 else None


def _bare_command(ctx: Context) -> str | None:
    """The command meant by a word typed without its slash ("batal", "Lapor gratifikasi")."""
    if ctx.incoming.choice or not ctx.text or ctx.text.startswith("/"):
        return None
    command = BARE_COMMANDS.get(words.plain(ctx.text)) or BARE_COMMANDS.get(
        _command_words(ctx.text)
    )
    wish = _command_words(ctx.text)
    own_status = status.asks_own_status(wish)
    if command is None and own_status:
        command = "status"  # "laporan sy udh sampe mana ya", "kumaha status laporan abdi"
    if command == "lapor" and _parked_declaration(ctx) and ctx.session.flow != declaration.NAME:
        return command  # "lapor" typed in /cek or /jawab: back to the draft put aside
    flow = FLOWS.get(ctx.session.flow or "")
    # Asked at a flow's first buttons ("4", then "status laporan saya"), or in words that
    # answer no question of a form ("laporan sy udh sampe mana"; a lone "status" may be the
    # giver's position): shown, and the flow's question asked again.
    asked_in_flow = not (flow is None or flow.has_draft(ctx.session)) or (
        own_status and len(wish.split()) >= 2
    )
    if command == "status" and flow is not None and asked_in_flow:
        return command
    if command is None or (ctx.session.flow is not None and command != "batal"):
        return None
    return command


# "mau lapor, kemarin sy dpt parsel ...": the wish to report, then the story, in one message.
REPORT_INTENT = re.compile(
    r"^(?:(?:saya|sy|aku|sya)\s+)?(?:mau|ingin|pengen|pingin|mo|hendak)?\s*"
    r"(?:lapor|melapor|melaporkan|laporin|laporkan|ngelapor|ngelaporin)\b"
)
STORY_MEMO = "menu_story"  # a story-like text typed at the menu, for "Lapor sekarang" next


def _told_wish(text: str) -> str:
    """The message from its wish to report on, greetings and address in front dropped
    ("assalamualaikum pak, sy mau lapor, kemarin ..." -> "sy mau lapor kemarin ..."), or ""."""
    said = words.plain(text).split()
    while said and said[0] in _AROUND_COMMAND:
        said.pop(0)
    plain = " ".join(said)
    return plain if REPORT_INTENT.match(plain) else ""


def _wants_to_report_with_story(text: str) -> bool:
    """Says it wants to report and tells the story in the same message (not a question)."""
    told = _told_wish(text)
    return len(told.split()) >= 6 and not words.asks(text)


# What a gift's story says: something given, received, offered or refused. "mau lapor laptop
# kantor rusak ke siapa" or "lapor pak, ada pegawai yg sering bolos" tell no gift: they go to
# the answers (which decline an errand) rather than to the gift declaration's privacy notice.
_GIFT_WORDS = re.compile(
    r"\b(?:gratifikasi|pemberian|hadiah|kado|parsel|parcel|bingkisan|hampers|amplop|uang|duit"
    r"|oleh oleh|oleh2|souvenir|suvenir|cinderamata|voucher|vocer|tiket|transfer|ditransfer"
    r"|cashback|komisi|diskon|fee|tip|angpao|angpau|thr)\b"
)


def _tells_a_gift(ctx: Context) -> bool:
    """The story names a gift, something received or refused, or an amount of money."""
    if _GIFT_WORDS.search(_told_wish(ctx.text)):
        return True
    read = read_story(ctx.text, ctx.today).reading.values
    return "report_type" in read or "value_rp" in read


# A story of a bribe asked for or offered, told with the wish to report: a concern (SNI ISO
# 37001:2016 clause 8.9), not a gift declaration. A gift received or refused ("ditawari uang,
# saya tolak") stays a declaration: the person is the one given to.
_CONCERN_WORDS = re.compile(
    r"\b(?:dugaan|suap|nyuap|menyuap|disuap|penyuapan|pungli|pungutan liar|korupsi|pemerasan"
    r"|memeras|diperas|minta fee|meminta fee|minta setoran|meminta setoran|setoran|mark ?up"
    r"|kickback|uang pelicin|pelicin)\b"
)
_RECEIVED_WORDS = re.compile(
    r"\b(?:dapat|dapet|dpt|dpet|terima|menerima|nerima|diterima|dikasih|dikasi|dikirimi"
    r"|dikirim|diberi|diberikan|ditawari|ditawarkan|menolak|tolak|saya tolak|sy tolak)\b"
)


def _tells_a_concern(text: str) -> bool:
    """A wish to report whose story is a bribe asked or offered to others, not a gift."""
    told = _told_wish(text)
    return bool(_CONCERN_WORDS.search(told)) and not _RECEIVED_WORDS.search(told)


def _carry_story(ctx: Context, story: object) -> None:
    """Hands a story typed before the form began to the declaration (nothing typed is lost)."""
    if not isinstance(story, str) or not story.strip():
        return
    prefill = ctx.session.memo.get("lapor_prefill")
    carried = dict(prefill) if isinstance(prefill, dict) else {}
    carried["story"] = story[:4000]
    ctx.session.memo["lapor_prefill"] = carried


def _parked_declaration(ctx: Context) -> bool:
    parked = ctx.session.memo.get(PARKED)
    return isinstance(parked, dict) and parked.get("flow") == declaration.NAME


def _leaves_for_menu(ctx: Context, flow: Flow, choice: str | None) -> bool:
    """A main-menu button pressed in a flow that holds nothing the user typed."""
    return (
        choice is not None
        and choice.startswith("menu:")
        and (choice in MENU_FLOWS or choice in MENU_STEPS)
        and _offered(ctx, choice)
        and not flow.has_draft(ctx.session)
    )


def _notification(choice: str | None) -> bool:
    """A button under a notification ("jawab:12"): never among the offered buttons."""
    return choice is not None and choice.startswith(tuple(PREFIX_STEPS))


def _offered(ctx: Context, choice_id: str) -> bool:
    return any(choice_id == offered_id for offered_id, _ in ctx.session.offered)


async def _start_flow(ctx: Context, name: str) -> None:
    flow = FLOWS.get(name)
    if flow is None:
        await menu.show_menu(ctx, "Maaf, menu itu belum tersedia.")
        return
    if name != declaration.NAME:
        _park_declaration(ctx)
    await flow.start(ctx)


def _park_declaration(ctx: Context) -> None:
    """/cek or /jawab in the middle of a declaration: keeps the draft for /lapor."""
    if ctx.session.flow == declaration.NAME and declaration.has_draft(ctx.session):
        ctx.session.park()
        ctx.say(texts.DRAFT_PARKED)


async def _cancel(ctx: Context) -> None:
    flow = FLOWS.get(ctx.session.flow or "")
    if flow is None:
        ctx.session.reset_flow()
        await menu.show_menu(ctx, texts.NOTHING_TO_CANCEL)
        return
    if flow.has_draft(ctx.session):
        ctx.session.confirm = "batal"
        ctx.ask(texts.CANCEL_CONFIRM, menu.CONFIRM_CANCEL, free_text=False)
        return
    if flow.cancel is not None:
        await flow.cancel(ctx)
    ctx.session.reset_flow()
    await menu.show_menu(ctx, texts.CANCELLED)


# Typed at "Yakin ingin membatalkan?": go on with the draft.
KEEP_GOING = {"lanjut", "lanjutkan", "lanjut saja", "lanjut aja", "lanjut isi", "teruskan"}
KEEP_GOING |= {"terus", "tidak jadi", "gak jadi", "ga jadi", "nggak jadi", "gk jadi", "jangan"}
KEEP_GOING |= {"tidak lanjutkan", "jangan dihapus", "jangan hapus", "batal batal"}


async def _answer_confirmation(ctx: Context) -> None:
    ctx.session.confirm = None
    typed = words.plain(ctx.text)
    if ctx.choice is None and typed in KEEP_GOING:
        # "lanjut" is a yes elsewhere; here it answers "Tidak, lanjutkan": the draft stays.
        ctx.incoming = dataclasses.replace(ctx.incoming, choice="batal:tidak")
    elif ctx.choice is None and (typed in words.YES or typed in words.NO):
        # "ya" / "gak" typed instead of pressing "Ya, batalkan" / "Tidak, lanjutkan".
        answer = "batal:ya" if typed in words.YES else "batal:tidak"
        ctx.incoming = dataclasses.replace(ctx.incoming, choice=answer)
    if ctx.choice == "batal:ya":
        cancelled = FLOWS.get(ctx.session.flow or "")
        if cancelled is not None and cancelled.cancel is not None:
            await cancelled.cancel(ctx)
        ctx.session.reset_flow()
        await menu.show_menu(ctx, texts.CANCELLED)
        return
    flow = FLOWS.get(ctx.session.flow or "")
    if ctx.choice == "batal:tidak" and flow is not None:
        ctx.say(texts.NOT_CANCELLED)
        await flow.resume(ctx)
        return
    if flow is None:
        await menu.show_menu(ctx)
        return
    # Anything else: ask again, the draft stays.
    ctx.session.confirm = "batal"
    ctx.ask(texts.CANCEL_CONFIRM, menu.CONFIRM_CANCEL, free_text=False)


async def handle(ctx: Context) -> None:
    """Handles one incoming message, leaving replies in ctx.replies."""
    told_at_menu = ctx.session.memo.pop(STORY_MEMO, None)  # lives for one turn only
    typed = _typed_choice(ctx)
    if typed is not None:
        ctx.incoming = dataclasses.replace(ctx.incoming, choice=typed)

    bare = _bare_command(ctx)
    if bare is not None:
        ctx.incoming = dataclasses.replace(ctx.incoming, text=f"/{bare}")

    command = ctx.incoming.command
    if command == "batal":
        await _cancel(ctx)
        return
    if ctx.session.confirm == "batal":
        await _answer_confirmation(ctx)
        return
    if command == "status" and ctx.session.flow is not None:
        await status.show(ctx, _resume_after_status(ctx))
        return
    if command in COMMAND_STEPS:
        await COMMAND_STEPS[command](ctx)
        return
    if command in COMMAND_FLOWS:
        if COMMAND_FLOWS[command] == declaration.NAME and ctx.session.flow is None:
            _carry_story(ctx, told_at_menu)  # "lapor sekarang" typed under an FAQ answer
        if COMMAND_FLOWS[command] == check.NAME and ctx.session.flow is None:
            check.carry_story(ctx, told_at_menu)  # "cek" typed under an FAQ answer
        await _start_flow(ctx, COMMAND_FLOWS[command])
        return

    reports = status.typed_numbers(ctx.text) if command is None and ctx.choice is None else []
    if reports and _asks_after_report(ctx):
        # A report number typed anywhere: that report, if it is the reporter's own.
        if ctx.session.flow is None and len(words.plain(ctx.text).split()) >= 6:
            ctx.session.memo[STORY_MEMO] = ctx.text[:4000]  # "Lapor gratifikasi" next keeps it
        await status.show_numbers(ctx, reports, _resume_after_status(ctx))
        return

    flow = FLOWS.get(ctx.session.flow or "")
    choice = ctx.choice
    if flow is not None and _leaves_for_menu(ctx, flow, choice):
        # A main-menu button (offered by /status or /bantuan mid-flow): nothing typed is lost.
        ctx.session.reset_flow()
        flow = None
    if flow is not None and ctx.session.flow == declaration.NAME and _notification(choice):
        # "Jawab pertanyaan UPPG" under a notice, pressed while filling in a declaration.
        _park_declaration(ctx)
        ctx.session.reset_flow()
        flow = None
    if flow is not None:
        if choice is not None and not _offered(ctx, choice):
            ctx.say(texts.UNSUPPORTED_CHOICE)
            await flow.resume(ctx)
            return
        await flow.handle(ctx)
        return
    if ctx.session.flow is not None:
        # A flow that no longer exists (renamed in an upgrade): start clean.
        ctx.session.reset_flow()

    if choice is not None:
        if choice in MENU_FLOWS:
            if MENU_FLOWS[choice] == declaration.NAME:
                _carry_story(ctx, told_at_menu)  # "Lapor sekarang" under an FAQ answer
            if MENU_FLOWS[choice] == check.NAME:
                check.carry_story(ctx, told_at_menu)  # "Cek wajib lapor" under an FAQ answer
            await _start_flow(ctx, MENU_FLOWS[choice])
        elif choice in MENU_STEPS:
            await MENU_STEPS[choice](ctx)
        elif choice.startswith((ask.ENTRY_PREFIX, ask.FEEDBACK_PREFIX)):
            await ask.choose(ctx)
        elif choice.startswith(tuple(PREFIX_STEPS)):
            prefix = next(p for p in PREFIX_STEPS if choice.startswith(p))
            await PREFIX_STEPS[prefix](ctx)
        else:
            await menu.show_menu(ctx, texts.UNSUPPORTED_CHOICE)
        return
    if command is not None:
        await menu.show_menu(ctx, "Perintah itu tidak dikenal. Silakan pilih menu:")
        return
    if not ctx.text:
        await menu.show_menu(ctx, "Maaf, saya hanya bisa membaca teks dan tombol di sini.")
        return
    code = concern_terms.typed_code(ctx.text)
    if code is not None:
        # A concern's receipt code typed outside any flow: show that concern.
        await concern.follow_up(ctx, code)
        return
    tried = concern_terms.tried_code(ctx.text)
    if tried is not None:
        # "kode sy ABCD-1234": a code typed short or with a slip is asked again, politely.
        await concern.ask_code_again(ctx, tried)
        return
    number = smalltalk.menu_number(ctx.text)
    if number is not None:
        # "1" typed at the menu (or under other buttons) means that button, never a FAQ entry.
        await _numbered_choice(ctx, number)
        return
    if _wants_to_report_with_story(ctx.text) and _tells_a_concern(ctx.text):
        await concern.start_with_story(ctx)
        return
    if _wants_to_report_with_story(ctx.text) and _tells_a_gift(ctx):
        _carry_story(ctx, ctx.text)
        await _start_flow(ctx, declaration.NAME)
        return
    kind = smalltalk.classify(ctx.text)
    if kind is not None and kind in SMALL_TALK:
        await SMALL_TALK[kind](ctx)
        return
    if len(words.plain(ctx.text).split()) >= 6:
        # A story told as a question gets its answer; "Lapor sekarang" next carries it over.
        ctx.session.memo[STORY_MEMO] = ctx.text[:4000]
    await ask.answer(ctx)


def _asks_after_report(ctx: Context) -> bool:
    """Whether a message with a report number asks after that report. In a flow only when
    it says nothing else ("GRT-2026-12 udh sampe mana"), so no answer is taken from a form;
    outside one unless it is a wish to report with its story ("mau lapor, kemarin dapat
    parsel lagi, spt laporan GRT-2026-1 ...")."""
    if status.asks_only_status(ctx.text):
        return True
    if ctx.session.flow is not None:
        return False
    return not _wants_to_report_with_story(ctx.text)


def _resume_after_status(ctx: Context) -> Step | None:
    """What asks the flow's question again after the reports are shown, so what is typed
    next answers the question on screen. A flow at its first buttons, holding nothing typed
    (menu 4 pressed for menu 5), is left for the menu instead."""
    flow = FLOWS.get(ctx.session.flow or "")
    if flow is None:
        return None
    if flow.name == declaration.NAME or flow.has_draft(ctx.session) or ctx.session.free_text:
        return flow.resume
    ctx.session.reset_flow()
    return None


async def _numbered_choice(ctx: Context, number: int) -> None:
    """A number typed outside a flow: the button it numbers, else the main menu again."""
    offered = [choice_id for choice_id, _ in ctx.session.offered] or [c.id for c in menu.MENU]
    if len(offered) < number <= len(menu.MENU):
        # "5" under an answer's two feedback buttons: the main menu's number, as people learn it.
        offered = [c.id for c in menu.MENU]
    if not 1 <= number <= len(offered):
        await menu.show_menu(ctx, texts.PICK_NUMBER.format(last=len(menu.MENU)))
        return
    ctx.incoming = dataclasses.replace(ctx.incoming, choice=offered[number - 1], text=None)
    await handle(ctx)
