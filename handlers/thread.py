"""Answering the UPPG's question about a declaration: text plus optional photos or documents.

Started by the "Jawab pertanyaan UPPG" button on the status notice ("jawab:<id>") or by /jawab.
The answer and its files reach the UPPG through ThreadPort; a reporter can answer only their
own declarations.
"""

from __future__ import annotations

from typing import Any

from bot.messages import MAX_ROW_ID, Choice, choices, small_number
from handlers import menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.ports import AttachmentRejected, StoredFile, ThreadPort, ThreadQuestion
from handlers.session import Session
from handlers.typed import asks, bare, yes_no

NAME = "jawab"
PREFIX = "jawab:"
TEXT, CONFIRM = "text", "confirm"

CONFIRM_CHOICES = choices(
    ("thread:kirim", "Kirim ke UPPG"),
    ("thread:ubah", "Ubah jawaban"),
)
# Typed under "Kirim jawaban ini ke UPPG?": the answer goes, or is typed again.
SEND_WORDS = {"kirim", "kirimkan", "kirim saja", "selesai", "sudah", "udah", "cukup", "lanjut"}
SEND_WORDS |= {"ok kirim", "oke kirim", "kirim sekarang", "kirimin", "krm", "udah itu", "sudah itu"}
SEND_WORDS |= {
    "itu",
    "itu semua",
    "udah semua",
    "sudah semua",
    "udah cukup",
    "sudah cukup",
    "beres",
}
SEND_WORDS |= {"done", "sip", "ok", "oke", "sdh", "udh", "sudah itu saja", "udah itu aja"}
# After photos alone, the words that only say "that is all": "udah", "ok", "sip" may be the
# answer itself ("Apakah parselnya sudah diserahkan?" "udah", with the photo), kept as its text.
FILES_DONE_WORDS = SEND_WORDS - {"sudah", "udah", "sdh", "udh", "ok", "oke", "sip", "lanjut", "itu"}
CHANGE_WORDS = {"ubah", "ubah jawaban", "ganti", "ralat", "salah ketik", "ganti jawaban", "edit"}
CHANGE_WORDS |= {"ulang", "ulangi", "tulis ulang", "salah", "koreksi", "revisi", "ganti jawabannya"}
NOT_FOUND = "Maaf, pertanyaan untuk laporan itu tidak ditemukan di akun Anda."
NOTHING_OPEN = "Saat ini tidak ada pertanyaan dari UPPG yang perlu Anda jawab."
UNAVAILABLE = "Maaf, fitur menjawab UPPG belum tersedia. Silakan hubungi UPPG langsung."


def _port(ctx: Context) -> ThreadPort | None:
    return ctx.services.threads


def _files(ctx: Context) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = ctx.session.data.setdefault("files", [])
    return files


async def _open(ctx: Context, question: ThreadQuestion) -> None:
    """Enters the flow for one question and asks for the answer."""
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.state = TEXT
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    ctx.session.data = {
        "declaration_id": question.declaration_id,
        "number": question.number,
        "question": question.question,
        "files": [],
    }
    ctx.say(f"Pertanyaan UPPG untuk laporan {question.number}:\n“{question.question}”")
    await _ask_text(ctx)


async def _ask_text(ctx: Context) -> None:
    """Asks for the answer's text."""
    ctx.ask(
        "Silakan ketik jawaban Anda.\n"
        "Anda juga dapat mengirim foto atau dokumen.\n"
        'Contoh: "Foto barang dan kuitansi saya lampirkan."'
    )


async def _ask_confirm(ctx: Context) -> None:
    """Shows the answer and asks whether to send it."""
    count = len(_files(ctx))
    attached = f"\nLampiran: {count} berkas" if count else ""
    text = str(ctx.session.data.get("text") or "") or "(lampiran saja)"
    ctx.ask(
        f"Jawaban Anda:\n{text}{attached}\n\n"
        "Kirim jawaban ini ke UPPG? Anda masih bisa mengirim foto atau dokumen tambahan.",
        CONFIRM_CHOICES,
        free_text=True,
    )


async def begin(ctx: Context) -> None:
    """Starts answering the question behind a "jawab:<id>" button."""
    port = _port(ctx)
    raw = (ctx.choice or "").removeprefix(PREFIX)
    if port is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    declaration_id = small_number(raw, MAX_ROW_ID)
    question = await port.question(ctx.user_key, declaration_id) if declaration_id else None
    if question is None:
        await menu.show_menu(ctx, NOT_FOUND)
        return
    await _open(ctx, question)


async def start(ctx: Context) -> None:
    """/jawab: the open question, or a choice when there are several."""
    port = _port(ctx)
    if port is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    found = await port.open_questions(ctx.user_key)
    if not found:
        ctx.session.reset_flow()
        await menu.show_menu(ctx, NOTHING_OPEN)
        return
    if len(found) == 1:
        await _open(ctx, found[0])
        return
    ctx.session.reset_flow()
    buttons = tuple(Choice(id=f"{PREFIX}{q.declaration_id}", label=q.number) for q in found)
    ctx.ask("Pertanyaan UPPG mana yang ingin Anda jawab?", buttons, free_text=False)


async def _save_files(ctx: Context) -> bool:
    """Stores the message's files; says why and returns False when one is refused."""
    attachments = ctx.incoming.attachments
    if not attachments:
        return True
    store = ctx.services.attachments
    if store is None:
        ctx.say("Maaf, lampiran belum dapat diterima. Silakan ketik jawaban Anda saja.")
        return False
    for attachment in attachments:
        try:
            stored = await store.save(attachment)
        except AttachmentRejected as exc:
            ctx.say(f"Berkas {attachment.name[:60]} tidak dapat diterima: {exc}")
            return False
        _files(ctx).append(
            {
                "key": stored.key,
                "name": stored.name,
                "mime_type": stored.mime_type,
                "size": stored.size,
                "sha256": stored.sha256,
            }
        )
    ctx.say(f"Lampiran diterima ({len(_files(ctx))} berkas).")
    return True


async def _send(ctx: Context) -> None:
    """Sends the answer to the UPPG and leaves the flow."""
    port = _port(ctx)
    data = ctx.session.data
    if port is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    files = [StoredFile(**f) for f in _files(ctx)]
    try:
        question = await port.answer(
            ctx.user_key, int(data["declaration_id"]), str(data.get("text", "")), files
        )
    except LookupError:
        ctx.session.reset_flow()
        await menu.show_menu(ctx, NOT_FOUND)
        return
    ctx.session.reset_flow()
    asked_back = any(asks(line) for line in str(data.get("text") or "").splitlines())
    back = (
        "Pertanyaan Anda ikut terkirim; UPPG dapat membalasnya lewat chat ini.\n"
        if asked_back
        else ""
    )
    await menu.show_menu(
        ctx,
        f"Terima kasih. Jawaban Anda untuk laporan {question.number} sudah dikirim ke UPPG.\n"
        f"{back}Anda akan diberi tahu bila statusnya berubah.",
    )


async def handle(ctx: Context) -> None:
    """Takes the answer's text and files, then the confirmation."""
    state = ctx.session.state
    if state == CONFIRM and ctx.choice == "thread:kirim":
        await _send(ctx)
        return
    if state == CONFIRM and ctx.choice == "thread:ubah":
        ctx.session.data.pop("text", None)
        ctx.session.state = TEXT
        await _ask_text(ctx)
        return
    if state == CONFIRM and ctx.text and not ctx.incoming.attachments:
        said = bare(ctx.text)
        if said in SEND_WORDS or yes_no(ctx.text) == "ya":
            # "Selesai", "kirim", "ya": the answer on screen goes (it was replaced by the word).
            await _send(ctx)
            return
        if said in CHANGE_WORDS:
            ctx.session.data.pop("text", None)
            ctx.session.state = TEXT
            await _ask_text(ctx)
            return
    only_files = state == TEXT and not ctx.incoming.attachments and bool(_files(ctx))
    if only_files and bool(ctx.text) and bare(ctx.text) in FILES_DONE_WORDS:
        # "udah itu aja" after the photos: the files are the answer, shown before it goes.
        ctx.session.state = CONFIRM
        await _ask_confirm(ctx)
        return
    saved = await _save_files(ctx)
    if ctx.text:
        # More typed under the confirmation adds to the answer; nothing typed is lost.
        earlier = str(ctx.session.data.get("text") or "") if state == CONFIRM else ""
        ctx.session.data["text"] = f"{earlier}\n{ctx.text}" if earlier else ctx.text
        ctx.session.state = CONFIRM
    if ctx.session.state == CONFIRM:
        await _ask_confirm(ctx)
        return
    if saved and not ctx.incoming.attachments:
        ctx.say(
            "Maaf, jawaban Anda belum terbaca.\n"
            'Ketik jawaban dalam teks, misalnya: "Nilainya sekitar Rp500.000."'
        )
    await _ask_text(ctx)


async def resume(ctx: Context) -> None:
    """Asks the current question again."""
    if ctx.session.state == CONFIRM:
        await _ask_confirm(ctx)
    else:
        await _ask_text(ctx)


def has_draft(session: Session) -> bool:
    return bool(session.data.get("text") or session.data.get("files"))


FLOW = Flow(name=NAME, start=start, handle=handle, resume=resume, has_draft=has_draft)
