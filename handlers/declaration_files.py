"""Photos and documents of a declaration: kept whenever they are sent, attached at their step."""

from __future__ import annotations

import re

from handlers import declaration_help
from handlers import declaration_steps as ds
from handlers.answers import FileRef
from handlers.context import Context
from handlers.declaration_ask import DONE_FILES, SKIP, SUBMIT_WORDS, ask_step, files_of, invalid
from handlers.declaration_identity import Reading
from handlers.declaration_save import store
from handlers.declaration_store import answers
from handlers.errors import ServiceUnavailable
from handlers.parsing.text import wordset
from handlers.ports import AttachmentRejected
from handlers.typed import asks, plain, typed_skip, yes_no

MAX_FILES = 10
FILES_DONE_WORDS = {"sudah", "udah", "sdh", "cukup", "itu saja", "itu aja", "done", "beres"}


def no_files(said: str) -> bool:
    """ "tidak ada fotonya", "gak ada foto", "ga punya foto": nothing to attach."""
    return bool(re.search(r"\b(?:tidak|tdk|gak|ga|gk|nggak|belum)\s+(?:ada|punya)\b", said))


# Words of a caption that only says what the file is ("ini fotonya", "foto parselnya").
_FILE_WORDS = wordset(
    """
    foto photo gambar pic bukti lampiran kuitansi kwitansi struk nota dokumen file berkas scan
    screenshot ss tangkapan layar
    """
)
_POINTING = wordset("ini itu berikut terlampir ya pak bu kak min nih tuh")


def is_caption(text: str) -> bool:
    """A short caption about the file sent with it, not an answer to the question on screen."""
    words = [re.sub(r"nya$", "", w) for w in plain(text).split()]
    if not words or len(words) > 5:
        return False
    return bool(set(words) & _FILE_WORDS) or set(words) <= _POINTING


async def keep_files(ctx: Context) -> None:
    """Stores files sent before the attachments step; they wait there (nothing is lost).
    Sent after it (at the summary, which asks for them), they join the attachments."""
    a = answers(ctx)
    done = "attachments" in a and ctx.session.state != "attachments"
    if done:
        ctx.session.data["files"] = list(a.get("attachments") or [])
    try:
        saved = await save_files(ctx)
    finally:
        if done:
            a["attachments"] = list(ctx.session.data.pop("files", None) or [])
    if saved:
        ctx.say(f"Terima kasih, {saved} berkas kami simpan untuk lampiran laporan ini.")


async def save_files(ctx: Context) -> int:
    store = ctx.services.attachments
    if store is None:
        raise ServiceUnavailable("no attachment store")
    files = files_of(ctx)
    saved = 0
    for attachment in ctx.incoming.attachments:
        if len(files) >= MAX_FILES:
            ctx.say(f"Maksimal {MAX_FILES} berkas per laporan.")
            break
        try:
            stored = await store.save(attachment)
        except AttachmentRejected as exc:
            ctx.say(f"Berkas {attachment.name[:60]} tidak dapat diterima: {exc}")
            continue
        if all(f["k"] != stored.key for f in files):
            files.append(
                FileRef(
                    k=stored.key,
                    n=stored.name[:80],
                    m=stored.mime_type,
                    s=stored.size,
                    h=stored.sha256,
                )
            )
            saved += 1
        else:
            ctx.say(f"Berkas {attachment.name[:60]} sudah kami terima sebelumnya.")
    return saved


async def answer_attachments(ctx: Context, step: ds.Step) -> None:
    """Collects photos and documents until "Selesai" or "Lewati"."""
    files = files_of(ctx)
    choice = ctx.choice or ""
    said = plain(ctx.text)
    if not ctx.incoming.attachments and not choice and ctx.text and asks(ctx.text):
        # "fotonya harus jelas ga?": a question, though a "ga" is in it.
        await declaration_help.answer(ctx, step, ds.BY_KEY)
        ask_step(ctx, step)
        return
    if not ctx.incoming.attachments and not choice and ctx.text:
        finished = typed_skip(ctx.text) or said in FILES_DONE_WORDS
        if finished or yes_no(ctx.text) == "tidak" or no_files(said):
            choice = DONE_FILES.id if files else SKIP.id
        elif files and (said in SUBMIT_WORDS or yes_no(ctx.text) == "ya"):
            choice = DONE_FILES.id  # "ok", "kirim" after sending photos: that is all
    if choice in (DONE_FILES.id, SKIP.id):
        kept = list(files) if choice == DONE_FILES.id else []
        ctx.session.data.pop("files", None)
        await store(ctx, step, Reading({"attachments": kept}))
        return
    if not ctx.incoming.attachments:
        if ctx.text and asks(ctx.text):
            await declaration_help.answer(ctx, step, ds.BY_KEY)
            ask_step(ctx, step)
            return
        invalid(ctx, step, None)
        return
    await save_files(ctx)
    ask_step(ctx, step)
