"""Raising a bribery concern (SNI ISO 37001:2016 clause 8.9), anonymously if the person wishes.

Anyone may use it, employee or not. The person tells what happened in their own words (who,
what, when, where, how they know), may send photos or documents as evidence, and chooses
whether to give their identity; nothing identifying is asked unless they choose to. After
"Kirim" they get a receipt code, shown once: with it, from any chat account, they can later see
the status, read the compliance function's questions, answer and add evidence. Nothing is ever
pushed to them: the code is the only way back, so an anonymous sender stays unreachable.

The draft lives in the session until it is sent, with the key its files are encrypted under;
sending clears the flow's state, so the session keeps nothing of the concern.
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Choice, choices
from handlers import ask, declaration_help, menu, smalltalk
from handlers import concern_help as helps
from handlers import concern_story as story_words
from handlers import concern_terms as terms
from handlers.context import Context
from handlers.flow import Flow
from handlers.formatting import tanggal
from handlers.ports import (
    AttachmentRejected,
    CodeRefused,
    ConcernPort,
    ConcernView,
    StoredFile,
)
from handlers.session import PARKED, Session
from handlers.typed import (
    NO,
    YES,
    asks,
    bare,
    is_unknown,
    looks_like_question,
    plain,
    typed_skip,
)

NAME = "aduan"
CHOOSE, STORY, WHO, WHEN, HOW, FILES, IDENTITY, ID_NAME, ID_CONTACT, CONFIRM = (
    "choose",
    "story",
    "who",
    "when",
    "how",
    "files",
    "identity",
    "id_name",
    "id_contact",
    "confirm",
)
CODE, FOLLOW = "code", "follow"
MIN_STORY, MAX_TEXT = 20, 4000
KEEP_SECONDS = 3600

INTRO = (
    "Lapor dugaan suap (SNI ISO 37001)\n"
    "Sampaikan dugaan suap, percobaan suap, atau pelanggaran aturan anti penyuapan "
    "yang Anda ketahui.\n"
    "• Boleh tanpa identitas (anonim).\n"
    "• Isi laporan hanya dibaca fungsi kepatuhan anti penyuapan.\n"
    "• Pelapor dengan iktikad baik dilindungi dari pembalasan.\n"
    'Ingin melaporkan hadiah yang Anda terima sendiri? Pakai menu "Lapor gratifikasi".'
)
START_CHOICES = choices(
    ("aduan:baru", "Sampaikan laporan baru"),
    ("aduan:kode", "Saya punya kode laporan"),
)
HOW_CHOICES = choices(
    ("aduan:how:alami", "Saya alami sendiri"),
    ("aduan:how:lihat", "Saya lihat langsung"),
    ("aduan:how:dengar", "Saya dengar dari orang lain"),
    ("aduan:how:dokumen", "Dari dokumen atau bukti"),
)
HOW_WORDS = {
    "aduan:how:alami": story_words.HOW_SELF,
    "aduan:how:lihat": story_words.HOW_SAW,
    "aduan:how:dengar": story_words.HOW_TOLD,
    "aduan:how:dokumen": story_words.HOW_PAPER,
}
FILES_CHOICES = choices(("aduan:files:done", "Selesai, lanjut"))
IDENTITY_CHOICES = choices(
    ("aduan:anonim", "Tanpa identitas (anonim)"),
    ("aduan:identitas", "Cantumkan identitas saya"),
)
CONFIRM_CHOICES = choices(
    ("aduan:kirim", "Kirim laporan"),
    ("aduan:ubah", "Ubah cerita"),
)
FOLLOW_CHOICES = choices(("aduan:selesai", "Selesai"))

UNAVAILABLE = "Maaf, layanan lapor dugaan suap belum tersedia. Silakan hubungi Inspektorat."
# Words that mean "no identity, please" or "yes, name me", typed instead of a button.
ANONYMOUS_WORDS = {"anonim", "anonymous", "tanpa identitas", "tanpa nama", "rahasiakan", "ga usah"}
ANONYMOUS_WORDS |= {"gak usah", "gk usah", "tidak usah", "tidak perlu", "jangan", "rahasia"}
ANONYMOUS_WORDS |= {"rahasiain", "dirahasiain", "dirahasiakan", "rahasiakan saja"}
ANONYMOUS_WORDS |= {"anonim aja", "anonym", "anon", "ngga usah", "nggak usah", "gausah"}
IDENTITY_WORDS = {"cantumkan", "pakai nama", "pakai identitas", "sebut nama", "identitas"}
IDENTITY_WORDS |= {"pake nama", "pakai nama saya", "pake nama sy", "pake nama saya"}
IDENTITY_WORDS |= {"cantumin", "cantumkan nama", "tulis nama", "sebutkan nama", "pake identitas"}
IDENTITY_WORDS |= {"gpp pake nama", "boleh pake nama", "sebut aja nama", "pakai nama sy"}
# Asking to stay nameless in so many words ("anonim aja", "ga usah pakai nama", "rahasiakan
# nama saya"): read at the evidence question too, where a bare "ga usah" means "no evidence".
NAMELESS_WORDS = {"anonim", "anonym", "anonymous", "tanpa identitas", "tanpa nama"}
NAMELESS_WORDS |= {"rahasiakan nama", "rahasiakan identitas", "samarkan nama"}
_NAMELESS = re.compile(
    r"\b(?:ga|gak|gk|g|nggak|ngga|enggak|engga|tidak|tdk|tak|jangan|gausah)"
    r"(?: (?:usah|perlu|mau|ingin|pakai|pake|cantumkan|cantumin|sebut|sebutkan|tulis|kasih))*"
    r" (?:nama|identitas)\b"
)
# Asking that one's name be kept out, typed at a later step: "rahasiakan saja", "nama sy
# dirahasiakan", "identitas sy jangan ditulis", "sembunyikan nama sy".
_SECRET = re.compile(
    r"\b(?:di)?rahasia(?:kan|in)\s+(?:saja|aja|aj|sj)\b"
    r"|\b(?:nama|identitas)(?:nya)?\s+(?:(?:sy|saya|aku|aq|gw|gue|pelapor|pelapornya)\s+)?"
    r"(?:(?:tolong|mohon|minta)\s+)?(?:(?:di)?(?:rahasia(?:kan|in)|samar(?:kan|in)|sembunyi(?:kan|in))"
    r"|(?:jangan|jgn|ga|gak|gk|tidak|tdk|nggak|ngga|gausah)\s+(?:usah\s+|perlu\s+)?"
    r"(?:di)?(?:sebut|tulis|cantum|tampil|kasih\s+tau|kasi\s+tau)\w*)\b"
    r"|\b(?:sembunyikan|sembunyiin|samarkan|samarin)\s+(?:nama|identitas)\b"
)
SEND_WORDS = {"kirim", "kirimkan", "kirim laporan", "sudah benar", "benar", "ok", "oke", "siap"}
SEND_WORDS |= {"udah bener", "udh bener", "sdh benar", "sudah betul", "betul", "bener", "lanjut"}
SEND_WORDS |= {"krm", "kirimin", "kirim aja", "gas", "sip", "oke kirim", "ok kirim", "setuju"}
HOLD_WORDS = {"jangan", "tidak", "belum", "batal", "nanti", "ubah", "ganti", "salah", "ralat"}
# Typed at the summary to tell the story again: "ganti ceritanya", "ada yg salah", "edit".
CHANGE_WORDS = {"ubah", "ubah cerita", "ganti", "ralat", "edit", "perbaiki", "koreksi", "revisi"}
CHANGE_WORDS |= {"ganti cerita", "ganti ceritanya", "ubah ceritanya", "ulang", "ulangi", "salah"}
CHANGE_WORDS |= {"ada yang salah", "ada yg salah", "cerita ulang", "tulis ulang", "benerin"}
# Typed at the evidence question: that is all, or there is none, or it comes later.
DONE_WORDS = {"udah", "sudah", "sdh", "udh", "selesai", "cukup", "lanjut", "itu aja", "itu saja"}
DONE_WORDS |= {"udah semua", "sudah semua", "udh semua", "sdh semua", "itu semua", "sudah itu"}
DONE_WORDS |= {"udah itu", "udah cukup", "sudah cukup", "udah lanjut", "udah lanjut aja", "ok"}
DONE_WORDS |= {"oke", "sip", "beres", "done", "next", "lanjutkan", "ga ada lagi", "tidak ada lagi"}
DONE_WORDS |= {"gada", "gaada", "kagak ada", "kaga ada", "ndak ada", "nda ada", "belum", "blm"}
LATER = re.compile(
    r"\b(?:nanti|ntar|nnti|entar|menyusul|nyusul|susulan|besok|belakangan|lain kali|nanti aja)\b"
)
_WHEN = re.compile(
    r"\b(\d{1,2}[/.-]\d{1,2}|tgl|tanggal|kemarin|kmrn|tadi|minggu lalu|bulan lalu|tahun lalu|"
    r"senin|selasa|rabu|kamis|jumat|sabtu|minggu|jan\w*|feb\w*|mar\w*|apr\w*|mei|jun\w*|jul\w*|"
    r"agu\w*|agt|sep\w*|okt\w*|nov\w*|des\w*|20\d\d)\b"
)


def _port(ctx: Context) -> ConcernPort | None:
    return ctx.services.concerns


def _data(ctx: Context) -> dict[str, Any]:
    return ctx.session.data


async def start(ctx: Context) -> None:
    """Explains the channel and asks whether this is a new concern or a follow-up."""
    ctx.session.reset_flow()
    if _port(ctx) is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    ctx.session.flow = NAME
    ctx.session.state = CHOOSE
    ctx.say(INTRO)
    ctx.ask("Apa yang ingin Anda lakukan?", START_CHOICES, free_text=False)


STORY_TAKEN = "Pesan Anda saya catat sebagai cerita laporan dugaan suap. Ketik /batal bila bukan."


async def start_with_story(ctx: Context) -> None:
    """Opens a new concern with the message as its story ("mau lapor, kabid minta fee ...")."""
    ctx.session.reset_flow()
    if _port(ctx) is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    ctx.session.flow = NAME
    ctx.say(INTRO)
    ctx.say(STORY_TAKEN)
    _begin(ctx)
    await _story(ctx)


async def follow_up(ctx: Context, code: str) -> None:
    """Opens the concern of a code typed outside any flow (the router found it)."""
    ctx.session.reset_flow()
    if _port(ctx) is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    ctx.session.flow = NAME
    await _open(ctx, code)


async def ask_code_again(ctx: Context, typed: str) -> None:
    """A receipt code typed outside any flow that cannot be read ("kode sy ABCD-1234"): the
    code asked again, with what was wrong with it."""
    ctx.session.reset_flow()
    if _port(ctx) is None:
        await menu.show_menu(ctx, UNAVAILABLE)
        return
    ctx.session.flow = NAME
    await _ask(ctx, CODE, _code_note(typed))


def _code_note(typed: str) -> str:
    """Why a typed code cannot be read, politely."""
    count = len(typed)
    if 0 < count < terms.CODE_LENGTH:
        return (
            f"Maaf, kode itu belum lengkap: yang terbaca {count} huruf dan angka, padahal kode "
            f"laporan terdiri dari {terms.CODE_LENGTH}. Periksa lagi catatan kode Anda."
        )
    return (
        "Maaf, kode itu belum terbaca. Kode terdiri dari 16 huruf dan angka, "
        'misalnya "7KQM-2XRT-9PHD-W4HF"; huruf kecil dan spasi tidak apa-apa.'
    )


async def _ask(ctx: Context, state: str, note: str = "") -> None:
    """Asks the question of a state and makes it the current one; a note (why the last
    answer could not be used, or what was received) goes in front, in the same message.

    While a concern is being told or followed up, the session (its draft, or the receipt
    code) is kept only KEEP_SECONDS unused, not the store's days: a chat left in the middle
    keeps no link to the concern (unless a declaration draft is put aside in it, which must
    not be lost)."""
    ctx.session.state = state
    if state == CONFIRM:
        _data(ctx)["summarised"] = True  # a story told again goes back to the summary
    if PARKED not in ctx.session.memo:
        ctx.session.keep_seconds = KEEP_SECONDS
    text, buttons, free = _question(ctx, state)
    ctx.ask(f"{note}\n{text}" if note else text, buttons, free_text=free)


def _question(ctx: Context, state: str) -> tuple[str, tuple[Choice, ...], bool]:
    """The text, buttons and whether free text is read, of a state's question."""
    if state == STORY:
        return (
            "Ceritakan apa yang terjadi dengan kata-kata Anda sendiri:\n"
            "• siapa yang terlibat (nama, jabatan, atau unit),\n"
            "• apa yang diminta, diberikan, atau dijanjikan,\n"
            "• kapan dan di mana,\n"
            "• bagaimana Anda mengetahuinya.\n"
            "Bila ingin anonim, jangan tulis nama atau nomor Anda sendiri.",
            (),
            True,
        )
    if state == WHO:
        return (
            'Siapa yang terlibat? Cukup jabatan atau unitnya, misalnya "petugas loket kecamatan".',
            choices(("aduan:who:unknown", "Tidak tahu")),
            True,
        )
    if state == WHEN:
        return (
            'Kapan kira-kira kejadiannya? Perkiraan pun boleh, misalnya "awal November 2026".',
            choices(("aduan:when:unknown", "Tidak tahu")),
            True,
        )
    if state == HOW:
        return "Bagaimana Anda mengetahuinya?", HOW_CHOICES, True
    if state == FILES:
        count = len(_files(ctx))
        got = f" ({count} berkas diterima)" if count else ""
        return (
            f"Ada foto atau dokumen bukti?{got}\n"
            "Kirim sekarang; data lokasi dan data pembuat berkas kami hapus.\n"
            'Bila tidak ada atau sudah selesai, pilih "Selesai, lanjut".',
            FILES_CHOICES,
            True,
        )
    if state == IDENTITY:
        return (
            "Apakah Anda ingin mencantumkan identitas?\n"
            "Laporan tanpa identitas tetap kami tindak lanjuti. Dengan identitas, fungsi "
            "kepatuhan dapat menghubungi Anda, dan identitas itu tetap dirahasiakan.",
            IDENTITY_CHOICES,
            True,
        )
    if state == ID_NAME:
        return "Siapa nama Anda?", (), True
    if state == ID_CONTACT:
        return "Nomor HP atau e-mail yang dapat dihubungi? (ketik - bila tidak ingin)", (), True
    if state == CONFIRM:
        return _summary(ctx), CONFIRM_CHOICES, True
    if state == CODE:
        return "Ketik kode laporan Anda: 16 huruf dan angka, seperti 7KQM-2XRT-9PHD-W4HF.", (), True
    if state == FOLLOW:
        return (
            "Anda dapat mengetik keterangan tambahan atau jawaban, atau mengirim bukti.\n"
            'Pilih "Selesai" bila sudah.',
            FOLLOW_CHOICES,
            True,
        )
    return "Apa yang ingin Anda lakukan?", START_CHOICES, False


def _files(ctx: Context) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = _data(ctx).setdefault("files", [])
    return files


def _summary(ctx: Context) -> str:
    data = _data(ctx)
    story = str(data.get("what", ""))
    shown = story if len(story) <= 600 else story[:600].rstrip() + "…"
    lines = ["Periksa laporan Anda:", f"“{shown}”"]
    if data.get("who"):
        lines.append(f"Yang terlibat: {data['who']}")
    if data.get("when"):
        lines.append(f"Waktu: {data['when']}")
    if data.get("how"):
        lines.append(f"Cara mengetahui: {data['how']}")
    lines.append(f"Bukti: {len(_files(ctx))} berkas")
    if data.get("identity"):
        # The contact is shown back too, so what was kept can be checked before it is sent.
        given = [data["identity"].get("name", ""), data["identity"].get("contact", "")]
        lines.append(f"Identitas: {', '.join(g for g in given if g)} (dirahasiakan)")
    else:
        lines.append("Identitas: tanpa identitas (anonim)")
    lines.append("Kirim laporan ini?")
    return "\n".join(lines)


async def _answer_question(ctx: Context, state: str) -> None:
    """Answers a question typed instead of an answer: this channel's own answer when it has
    one ("kalau anonim bisa dilacak ga?"), the step's help for "maksudnya?", else the FAQ
    (never logged)."""
    step = helps.STEPS.get(state, helps.STEPS[CHOOSE])
    await declaration_help.answer(
        ctx, step, helps.STEPS, own=lambda text: helps.reply(text, state), unknown=helps.UNKNOWN
    )


async def _unclear(ctx: Context, state: str, note: str) -> None:
    """An answer the step cannot use: a question gets its answer, anything else the note;
    then the same question again."""
    asking = looks_like_question(ctx.text) or helps.confused(ctx.text)
    if ctx.choice is None and ctx.text and asking:
        await _answer_question(ctx, state)
        note = ""
    await _ask(ctx, state, note)


def _asked(ctx: Context, state: str) -> bool:
    """Whether the typed text is a question, not the answer this step can read: "tgl 20
    kan?" at the time, "sy liat sendiri kan" at how they know, "nanti kalo ada sy kirim" at
    the evidence and a number or an e-mail at the contact stay answers."""
    text = ctx.text
    if not helps.asks(text, state):
        return False
    if helps.confused(text) or helps.own_answer(text):
        return True
    if state == WHEN:  # "kapan ya lupa" is an answer too
        return story_words.read_when(text, ctx.now.date(), whole=True) is None
    if state == HOW:
        return not story_words.read_how(text)
    if state == FILES:
        return not LATER.search(bare(text))
    if state == ID_CONTACT:
        return not re.search(r"[\d@]", text)
    return True


async def handle(ctx: Context) -> None:
    """Takes the answer to the current step and asks the next one."""
    state = ctx.session.state or CHOOSE
    typed = ctx.choice is None and bool(ctx.text) and not ctx.incoming.attachments
    if typed and state not in (CHOOSE, CODE, FOLLOW) and await _code_mid_flow(ctx, state):
        return
    if typed and state == STORY and helps.supposes(ctx.text, ctx.now.date()):
        # "klo dikasih fee 10% sama rekanan termasuk suap ga?": a question, not a report;
        # answered in short, and the story asked again.
        await _ask(ctx, STORY, helps.IS_IT_BRIBERY)
        return
    if typed and state != CODE and _asked(ctx, state):
        # A question at any step ("ini rahasia kan?", "maksudnya?"): answered, never kept as
        # the step's answer (nor, under the follow-up, sent as a remark), and asked again.
        await _answer_question(ctx, state)
        await _ask(ctx, state)
        return
    if typed and state in (WHO, WHEN, HOW) and _anonymous_aside(ctx.text):
        # "jangan sebut nama sy ya" where who or when is asked: the identity question is
        # answered (never asked), said back, and the same step asked again.
        _stay_anonymous(ctx)
        await _ask(ctx, state, ANONYMOUS_ASIDE)
        return
    if typed and state not in (FOLLOW, CODE) and _about_the_bot(ctx.text):
        # "ribet amat sih botnya" at the story: an apology, never kept as the concern's story.
        await _ask(ctx, state, await ask.form_apology(ctx))
        return
    retell = typed and state in (WHO, WHEN, HOW, FILES, IDENTITY, CONFIRM)
    if retell and _RETELL.match(bare(ctx.text)):
        # "ganti ceritanya" at any step after the story: the story is asked again.
        await _ask(ctx, STORY, "Silakan ceritakan lagi; cerita yang baru menggantikan yang lama.")
        return
    worry = helps.worry(ctx.text) if typed and state == STORY else None
    if worry:
        # "mau lapor tp takut dipecat" where the story is asked: a worry, as under the first
        # buttons; answered, and the story asked again (it used to be kept as the story, and
        # the real story then as who is involved).
        await _ask(ctx, STORY, worry)
        return
    own_question = typed and asks(ctx.text, long_answer=True) and helps.own_answer(ctx.text)
    if state == STORY and own_question:
        # "kalau anonim bisa dilacak ga?" typed where the story is asked: answered, and the
        # story asked again (a bare question is never kept as the story). A story with a
        # question at its end ("kasi minta 5jt ke sy, kalau lapor ketahuan ga?") is both:
        # answered, and kept as the story; so is a short one that tells what was asked or
        # given ("kabid minta fee 10% ke rekanan, bisa dilaporin ga?").
        await _answer_question(ctx, STORY)
        told = len(ctx.text.strip()) >= MIN_STORY and helps.tells_story(ctx.text)
        if told or len(plain(ctx.text).split()) > 10:
            await _story(ctx)
        else:
            await _ask(ctx, STORY)
        return
    step = {
        CHOOSE: _choose,
        STORY: _story,
        WHO: _who,
        WHEN: _when,
        HOW: _how,
        FILES: _take_files,
        IDENTITY: _identity,
        ID_NAME: _name,
        ID_CONTACT: _contact,
        CONFIRM: _confirm,
        CODE: _code,
        FOLLOW: _follow,
    }.get(state, _choose)
    await step(ctx)


ANONYMOUS_ASIDE = (
    "Baik, laporan akan dikirim tanpa identitas (anonim); identitas Anda tidak akan ditanyakan."
)
# Someone else's name not given ("dia ga sebut nama"): about the person involved.
_OTHERS = re.compile(r"\b(?:dia|beliau|orangnya|mereka|petugas\w*|pelaku\w*|oknum\w*|nya)\b")


def _anonymous_aside(text: str) -> bool:
    """A short wish to stay anonymous ("rahasiakan saja", "jangan sebut nama sy") typed
    where who, when or how is asked, that names nobody else."""
    typed = plain(text)
    short = len(typed.split()) <= 8 and not looks_like_question(text)
    return short and _keep_secret(typed) and not _OTHERS.search(typed)


CODE_MID_FLOW = (
    "Laporan yang sedang Anda tulis belum terkirim. Untuk membuka laporan {which}, ketik "
    "/batal, lalu ketik kodenya {again}. Atau lanjutkan laporan ini:"
)


async def _code_mid_flow(ctx: Context, state: str) -> bool:
    """A receipt code, whole or short ("kode sy 7KQM-2XRT"), typed while a concern is told:
    never kept as the step's answer. Where the story is asked and nothing is told yet, the
    code is what the sender came for: the concern opened (a whole code) or the code asked
    for (a short one). Later, the draft is not dropped for it: said so, with how to open the
    code, and the step asked again. Nothing is tried against the store, so no wrong try is
    counted. Returns whether the text was such a code."""
    found = terms.typed_code(ctx.text)
    tried = None if found else terms.tried_code(ctx.text)
    if found is None and tried is None:
        return False
    if state == STORY and not has_draft(ctx.session):
        if found is not None:
            await _open(ctx, found)
        else:
            await _ask(ctx, CODE, _code_note(tried or ""))
        return True
    if found is not None:
        note = "Pesan itu berisi kode laporan, jadi tidak saya catat sebagai jawaban."
        how = CODE_MID_FLOW.format(which="dengan kode itu", again="lagi")
    else:
        note = _code_note(tried or "")
        how = CODE_MID_FLOW.format(which="lama", again="yang lengkap")
    await _ask(ctx, state, f"{note}\n{how}")
    return True


# A complaint names the bot ("botnya ribet", "aplikasi ga jelas"); one about a person
# ("petugasnya lemot dan minta uang") is part of the story.
_BOT = re.compile(r"\b(?:bot|botnya|chatbot|gratibot|aplikasi|aplikasinya|sistemnya)\b")


def _about_the_bot(text: str) -> bool:
    """A short complaint about the bot itself, typed instead of an answer."""
    if smalltalk.complains(text):
        return True
    short = len(plain(text).split()) <= 8
    return short and bool(_BOT.search(plain(text))) and smalltalk.is_complaint(text)


_RETELL = re.compile(
    r"(?:mau |ingin |saya |sy |aku |eh |tolong )*(?:ubah|ganti|ralat|edit|perbaiki|koreksi|benerin"
    r"|ulang|ulangi|tulis ulang)\s+(?:(?:isi|semua)\s+)?(?:cerita|laporan)(?:nya)?\b"
)


async def _choose(ctx: Context) -> None:
    """A new concern (asks for the story) or a follow-up (asks for the code)."""
    typed = plain(ctx.text)
    found = terms.typed_code(ctx.text)
    if found is not None:
        await _open(ctx, found)
        return
    tried = terms.tried_code(ctx.text) if ctx.choice is None else None
    if tried is not None:
        # "kode sy 7KQM-2XRT", "cek laporan ABC123": the code asked for, with what is missing.
        await _ask(ctx, CODE, _code_note(tried))
        return
    kind = smalltalk.classify(ctx.text) if ctx.choice is None else None
    if kind in ("thanks", "bye"):
        # "makasih" under the two buttons: nothing to begin; a friendly turn and the menu.
        ctx.session.reset_flow()
        await (menu.thanks if kind == "thanks" else menu.bye)(ctx)
        return
    if ctx.choice == "aduan:kode" or "kode" in typed:
        await _ask(ctx, CODE)
        return
    # A story typed straight away ("kasi di kantor minta setoran 10% ...") is a new concern's
    # story: kept as such rather than refused for not being a button.
    told = ctx.choice is None and len(ctx.text.strip()) >= MIN_STORY
    worry = helps.worry(ctx.text) if told else None
    if worry:
        # "sy mau lapor tapi takut ketahuan": a worry, not the story; answered, and the
        # story asked for.
        ctx.say(worry)
        _begin(ctx)
        await _ask(ctx, STORY)
        return
    if told and not looks_like_question(ctx.text):
        # "bisa lapor tanpa nama ga? kabid sy minta fee ...": the question answered, and the
        # rest kept as the story.
        asked = re.findall(r"[^.?!\n]*\?", ctx.text)
        own = helps.own_answer(asked[0]) if asked else None
        if own:
            ctx.say(own)
        _begin(ctx)
        await _story(ctx)
        return
    if ctx.choice == "aduan:baru" or typed in YES or "baru" in typed or "lapor" in typed:
        _begin(ctx)
        await _ask(ctx, STORY)
        return
    await _unclear(ctx, CHOOSE, "Silakan pilih salah satu tombol.")


def _begin(ctx: Context) -> None:
    """Opens a new concern's draft in the session."""
    port = _port(ctx)
    assert port is not None
    ctx.session.data = {"key": port.new_key(), "files": []}
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")


async def _stage_files(ctx: Context) -> str:
    """Stores the files of the message (cleaned, encrypted); why one was refused, or ""."""
    port = _port(ctx)
    for attachment in ctx.incoming.attachments:
        assert port is not None
        try:
            stored = await port.stage(attachment, str(_data(ctx)["key"]))
        except AttachmentRejected as exc:
            return f"Berkas itu tidak dapat diterima: {exc}"
        _files(ctx).append(
            {
                "key": stored.key,
                "name": stored.name,
                "mime_type": stored.mime_type,
                "size": stored.size,
                "sha256": stored.sha256,
            }
        )
    return ""


async def _story(ctx: Context) -> None:
    """Keeps the story (and any files sent with it), reads from it who is involved, when and
    how the sender knows, shows back what it read, and asks only what it does not say."""
    refused = await _stage_files(ctx)
    text = ctx.text
    if len(text) < MIN_STORY:
        if refused:
            note = refused
        elif ctx.incoming.attachments and not text:
            note = "Bukti diterima. Sekarang ceritakan apa yang terjadi."
        else:
            note = (
                "Ceritanya terlalu singkat. Mohon ceritakan sedikit lebih lengkap, misalnya: "
                '"Petugas loket kecamatan minta uang 200 ribu supaya KTP saya cepat jadi."'
            )
        await _ask(ctx, STORY, note)
        return
    data = _data(ctx)
    retold = bool(data.get("what"))
    data["what"] = text[:MAX_TEXT]
    # Read afresh from a story told again ("ubah cerita"): what the new story says replaces
    # the old; what was read from the old story only is dropped (it may be what was wrong)
    # and asked again; what the sender typed at its own question is kept.
    who = story_words.read_who(text)
    when = story_words.read_when(text, ctx.now.date())
    how = " dan ".join(story_words.read_how(text))
    typed_keys = _typed_keys(ctx)
    before = {key: data.get(key) for key in STORY_FACTS}
    for key, found in (("who", who), ("when", when), ("how", how)):
        if found:
            data[key] = found
            if key in typed_keys:
                typed_keys.remove(key)
        elif key not in typed_keys:
            data.pop(key, None)
    notes = [refused] if refused else []
    if len(text) > MAX_TEXT:
        notes.append(f"Cerita Anda kami simpan {MAX_TEXT} huruf pertama.")
    # Told again: what changed is said as a change; the rest read, as read.
    moved = {k for k in STORY_FACTS if retold and before.get(k) and before[k] != data.get(k)}
    said = story_words.recorded(
        *(
            None if key in moved else found
            for key, found in (("when", when), ("how", how), ("who", who))
        )
    )
    if said:
        notes.append(said)
    changed = _changes(before, data) if moved else ""
    if changed:
        notes.append(changed)
    await _ask(ctx, _next_missing(ctx), "\n".join(notes))


# What the story tells besides itself, and how a change to each is said back.
STORY_FACTS = {"who": "yang terlibat", "when": "waktu", "how": "cara Anda mengetahui"}


def _typed_keys(ctx: Context) -> list[str]:
    """The facts the sender typed at their own question (kept when a story is told again)."""
    data = _data(ctx)
    keys = data.get("typed")
    if not isinstance(keys, list):
        keys = data["typed"] = []
    return keys


def _typed(ctx: Context, key: str, value: str) -> None:
    _data(ctx)[key] = value
    if key not in (keys := _typed_keys(ctx)):
        keys.append(key)


def _changes(before: dict[str, object], data: dict[str, object]) -> str:
    """ "Berubah dari cerita sebelumnya: yang terlibat kini kepsek (sebelumnya kabid)." """
    parts = []
    for key, label in STORY_FACTS.items():
        old, new = before.get(key), data.get(key)
        if not old or old == new:
            continue
        if new:
            parts.append(f"{label} kini {new} (sebelumnya {old})")
        else:
            parts.append(f"{label} (sebelumnya {old}) tidak disebut lagi")
    return f"Berubah dari cerita sebelumnya: {'; '.join(parts)}." if parts else ""


def _next_missing(ctx: Context) -> str:
    """The first of who, when and how the concern does not know yet; else the evidence,
    or the summary again when the story was told again from it (the rest is known)."""
    data = _data(ctx)
    for state, key in ((WHO, "who"), (WHEN, "when"), (HOW, "how")):
        if not data.get(key):
            return state
    return CONFIRM if data.get("summarised") else FILES


WHO_HINT = (
    "Tidak apa-apa bila namanya tidak tahu. Gambarkan saja orangnya: jabatan, unit atau "
    'tempat kerjanya, atau cirinya, misalnya "petugas loket KTP di kecamatan, laki-laki '
    'berkacamata".\n'
    'Bila tetap tidak tahu, ketik "tidak tahu" lagi atau pilih "Tidak tahu".'
)


async def _who(ctx: Context) -> None:
    """Keeps who is involved, in the sender's words. "ga tau namanya", "tdk kenal" typed the
    first time get a hint (the name is not needed: describe the person); typed again, or the
    "Tidak tahu" button, is the answer "tidak diketahui"."""
    typed = " ".join(ctx.text.split())
    unknown = ctx.choice is None and bool(typed) and is_unknown(typed)
    if unknown and not _data(ctx).get("who_hinted"):
        _data(ctx)["who_hinted"] = True
        await _ask(ctx, WHO, WHO_HINT)
        return
    if ctx.choice == "aduan:who:unknown" or unknown:
        _typed(ctx, "who", "tidak diketahui")
    elif len(typed) >= 2 and re.search(r"[^\W\d_]", typed) and plain(typed) not in YES | NO:
        _typed(ctx, "who", typed[:200])
    else:
        await _ask(
            ctx,
            WHO,
            'Maaf, belum terbaca siapa yang terlibat. Contoh: "kabid di dinas PU", atau '
            'ketik "tidak tahu".',
        )
        return
    await _ask(ctx, _next_missing(ctx))


async def _when(ctx: Context) -> None:
    """Keeps when it happened, read into a date or a month where the words allow it
    ("oktober kemarin" -> "sekitar Oktober 2026"); an estimate is fine."""
    typed = " ".join(ctx.text.split())
    if ctx.choice == "aduan:when:unknown" or (typed and is_unknown(typed)):
        _typed(ctx, "when", "tidak tahu")
        await _ask(ctx, _next_missing(ctx))
        return
    read = story_words.read_when(typed, ctx.now.date(), whole=True) if typed else None
    ways = " dan ".join(story_words.read_how(typed)) if read is None else ""
    if ways:
        # "sy ngalamin sendiri" where the time is asked: how they know, kept as such (it was
        # kept as the time), and the time asked again.
        _typed(ctx, "how", ways)
        await _ask(ctx, WHEN, story_words.recorded(None, ways, None))
        return
    if read is None and not re.search(r"[^\W_]", typed):
        await _ask(
            ctx, WHEN, 'Maaf, waktunya belum terbaca. Contoh: "bulan lalu" atau "awal Oktober".'
        )
        return
    if read is None and plain(typed) in YES | NO:
        await _ask(
            ctx, WHEN, 'Maaf, waktunya belum terbaca. Contoh: "bulan lalu" atau "awal Oktober".'
        )
        return
    # Words beside the time ("pas rapat anggaran awal oktober") are kept with it.
    if read and len(plain(typed).split()) > 4:
        _typed(ctx, "when", f"{read} (“{typed[:200]}”)")
    else:
        _typed(ctx, "when", read or typed[:200])
    await _ask(ctx, _next_missing(ctx), story_words.recorded(read, None, None))


async def _how(ctx: Context) -> None:
    """Keeps how the sender knows: a button, or their own words, read where they say it
    plainly ("sy liat sendiri", "dgr dr temen", "ada buktinya di grup wa")."""
    typed = " ".join(ctx.text.split())
    if ctx.choice in HOW_WORDS:
        _typed(ctx, "how", HOW_WORDS[ctx.choice])
        await _ask(ctx, _next_missing(ctx))
        return
    ways = " dan ".join(story_words.read_how(typed))
    if ways:
        # What else was said ("ada buktinya di grup wa") stays with the reading.
        extra = len(plain(typed).split()) > 3
        _typed(ctx, "how", f"{ways} (“{typed[:400]}”)" if extra else ways)
        await _ask(ctx, _next_missing(ctx), story_words.recorded(None, ways, None))
        return
    when = story_words.read_when(typed, ctx.now.date())
    if when:
        # "sejak agustus" where how they know is asked: the time, kept as such (it was kept
        # as how they know), and how asked again.
        _typed(ctx, "when", when)
        await _ask(ctx, HOW, story_words.recorded(when, None, None))
        return
    own = len(plain(typed).split()) >= 2 and plain(typed) not in YES | NO
    if own and not (typed_skip(typed) or _none_words(bare(typed))):
        _typed(ctx, "how", typed[:500])  # their own words, kept as typed
        await _ask(ctx, _next_missing(ctx))
        return
    await _ask(
        ctx,
        HOW,
        'Maaf, belum terbaca bagaimana Anda mengetahuinya. Contoh: "saya lihat sendiri", '
        '"dengar dari teman", atau "ada bukti chat". Bisa juga pilih tombol di bawah.',
    )


async def _take_files(ctx: Context) -> None:
    """Takes evidence until the sender says it is all, that there is none, or that it comes
    later. Asking here to stay anonymous ("anonim saja", with a file or alone) answers the
    identity question, which is then not asked. Anything else typed here is more of the
    story: added to it, never lost."""
    nameless = ctx.choice is None and _keep_secret(plain(ctx.text))
    if ctx.incoming.attachments:
        refused = await _stage_files(ctx)
        note = refused or f"Bukti diterima ({len(_files(ctx))} berkas)."
        if nameless:
            _stay_anonymous(ctx)
            note += "\nLaporan akan dikirim tanpa identitas (anonim)."
        await _ask(ctx, FILES, note)
        return
    typed = plain(ctx.text)
    if ctx.choice is None and not nameless and _says(typed, IDENTITY_WORDS - {"identitas"}):
        # "boleh pake nama sy aja": no more evidence, and the identity question answered.
        _data(ctx).pop("anonymous", None)
        await _ask(ctx, ID_NAME)
        return
    later = bool(LATER.search(bare(ctx.text)))  # "kalo ada nanti sy kirim" is no question
    if ctx.text and looks_like_question(ctx.text) and ctx.choice is None and not later:
        await _unclear(ctx, FILES, "")
        return
    if nameless:
        _stay_anonymous(ctx)
    said = bare(ctx.text)
    note = ""
    if ctx.choice == "aduan:files:done" or nameless:
        pass
    elif LATER.search(said):
        note = (
            "Baik. Bukti dapat Anda kirim nanti: setelah laporan dikirim, ketik kode "
            "laporan Anda, lalu kirim fotonya."
        )
    elif said in DONE_WORDS | SEND_WORDS or typed_skip(ctx.text) or said in NO or _none_words(said):
        pass
    elif len(plain(ctx.text).split()) >= 3:
        _add_to_story(ctx, ctx.text)
        await _ask(ctx, FILES, "Keterangan itu kami tambahkan ke cerita Anda.")
        return
    else:
        await _ask(
            ctx,
            FILES,
            'Maaf, belum terbaca. Kirim foto atau dokumennya, atau ketik "tidak ada" '
            'bila tidak ada bukti, "nanti" bila akan dikirim kemudian.',
        )
        return
    if _data(ctx).get("anonymous"):
        await _ask(ctx, CONFIRM, f"{note}\n{ANONYMOUS_CHOSEN}" if note else ANONYMOUS_CHOSEN)
    else:
        await _ask(ctx, IDENTITY, note)


def _none_words(said: str) -> bool:
    """ "ga ada", "gak ada bukti", "ga usah, ga ada bukti", "belum ada foto"."""
    return bool(
        re.search(
            r"\b(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak|belum|blm|ndak) (?:ada|punya)\b"
            r"|\b(?:ga|gak|gk|tidak|nggak|ngga) usah\b|\budah (?:semua|itu|cukup)\b"
            r"|\bsudah (?:semua|itu|cukup)\b|\bitu (?:aja|saja|semua)\b|\blanjut\b",
            said,
        )
    )


def _more_story(text: str) -> bool:
    """Whether text typed where a short answer was asked is more of the story."""
    return (
        len(text.strip()) >= MIN_STORY
        and len(plain(text).split()) >= 4
        and not (looks_like_question(text))
    )


def _add_to_story(ctx: Context, text: str) -> None:
    """Adds more of the story, typed at a later step, to what was told."""
    data = _data(ctx)
    data["what"] = f"{data.get('what', '')}\n{text.strip()}".strip()[:MAX_TEXT]


ANONYMOUS_CHOSEN = (
    "Baik, laporan dikirim tanpa identitas (anonim).\n"
    'Ingin mencantumkan identitas? Ketik "cantumkan identitas".'
)


def _stay_anonymous(ctx: Context) -> None:
    """The sender chose no identity: none is asked, and any given before is dropped."""
    _data(ctx)["anonymous"] = True
    _data(ctx).pop("identity", None)


def _nameless(typed: str) -> bool:
    """Whether the typed words (plain) ask to stay nameless: "anonim aja", "tidak usah
    pakai nama", "jangan sebut nama saya", "rahasiakan nama saya"."""
    return _says(typed, NAMELESS_WORDS) or bool(_NAMELESS.search(typed))


def _keep_secret(typed: str) -> bool:
    """Whether the typed words (plain), at the evidence or a later step, ask to stay
    anonymous: as _nameless, or "rahasiakan saja", "nama sy dirahasiakan", "identitas sy
    jangan ditulis". Not at the identity question, where "pakai nama sy tapi rahasiakan
    aja" names the sender (a named identity is kept confidential too)."""
    return _nameless(typed) or bool(_SECRET.search(typed))


def _says(typed: str, phrases: set[str]) -> bool:
    """Whether a phrase of the set stands in the typed text as whole words."""
    padded = f" {typed} "
    return any(f" {phrase} " in padded for phrase in phrases)


async def _identity(ctx: Context) -> None:
    """Anonymous, or with a name and a way to be reached. When both are typed ("pake nama
    sy tapi rahasiakan"), the first said decides; "tidak usah" alone is anonymous."""
    typed = plain(ctx.text)
    nameless = _nameless(typed) or _says(typed, ANONYMOUS_WORDS) or typed in NO
    named = _says(typed, IDENTITY_WORDS) or typed in YES
    if nameless and named and ctx.choice is None:
        nameless = _first(typed, ANONYMOUS_WORDS | NAMELESS_WORDS) < _first(typed, IDENTITY_WORDS)
        if _nameless(typed):
            nameless = True
        named = not nameless
    if ctx.choice == "aduan:anonim" or (ctx.choice is None and nameless):
        _stay_anonymous(ctx)
        await _ask(ctx, CONFIRM)
    elif ctx.choice == "aduan:identitas" or named:
        _data(ctx).pop("anonymous", None)
        await _ask(ctx, ID_NAME)
    elif ctx.choice is None and _more_story(ctx.text):
        _add_to_story(ctx, ctx.text)
        await _ask(ctx, IDENTITY, "Keterangan itu kami tambahkan ke cerita Anda.")
    else:
        await _unclear(
            ctx,
            IDENTITY,
            'Maaf, belum terbaca. Ketik "anonim" bila tanpa identitas, atau "pakai nama saya" '
            "bila ingin mencantumkan identitas.",
        )


def _first(typed: str, phrases: set[str]) -> int:
    """Where the first of the phrases stands in the typed words (a large number if none)."""
    padded = f" {typed} "
    found = [padded.find(f" {phrase} ") for phrase in phrases]
    return min((i for i in found if i >= 0), default=10**6)


async def _name(ctx: Context) -> None:
    """Keeps the name the sender chose to give."""
    name = " ".join(ctx.text.split())
    typed = plain(name)
    if ctx.choice is None and (_keep_secret(typed) or _says(typed, ANONYMOUS_WORDS | {"ga jadi"})):
        # "eh anonim aja deh" where the name is asked: a change of mind, never kept as a name.
        _stay_anonymous(ctx)
        await _ask(ctx, CONFIRM, ANONYMOUS_CHOSEN)
        return
    if not (2 <= len(name) <= 120) or not re.search(r"[^\W\d_]", name):
        await _ask(ctx, ID_NAME, 'Nama belum terbaca. Contoh: "Budi Santoso".')
        return
    _data(ctx)["identity"] = {"name": name}
    await _ask(ctx, ID_CONTACT)


CONTACT_UNREAD = (
    'Maaf, itu belum terbaca sebagai nomor HP atau e-mail. Contoh: "0812 3456 7890" atau '
    '"nama@email.com".\nKetik "-" bila tidak ingin memberi kontak.'
)


async def _contact(ctx: Context) -> None:
    """Keeps how the sender can be reached (optional): a number or an e-mail, so a contact
    with neither a digit nor an @ ("lewat wa aja") is asked again; "anonim aja" there is a
    change of mind (the name given is dropped)."""
    contact = " ".join(ctx.text.split())
    if ctx.choice is None and _keep_secret(plain(contact)):
        _stay_anonymous(ctx)
        await _ask(ctx, CONFIRM, ANONYMOUS_CHOSEN)
        return
    if contact and not _no_contact(contact):
        if not re.search(r"[\d@]", contact):
            await _ask(ctx, ID_CONTACT, CONTACT_UNREAD)
            return
        _data(ctx)["identity"]["contact"] = contact[:200]
    await _ask(ctx, CONFIRM)


# "ga usah", "tidak mau kasih", "rahasia aja": no contact given (it was kept as the contact).
_NO_CONTACT = re.compile(
    r"^(?:(?:ga|gak|gk|nggak|ngga|tidak|tdk|enggak|ndak) (?:usah|perlu|mau|ingin|ada|punya)"
    # "lewat wa aja" is a way to be reached (its number then asked), not "lewat" (skip).
    r"|gausah|rahasia|jangan|skip|lewat(?! (?:wa|whatsapp|telepon|telp|tlp|hp|sms|email|e mail"
    r"|telegram|tele|chat|dm)\b)|nanti)\b"
)


def _no_contact(typed: str) -> bool:
    """Whether the answer to the contact question declines to give one."""
    said = bare(typed)
    return typed_skip(typed) or said in NO or bool(_NO_CONTACT.match(said))


async def _confirm(ctx: Context) -> None:
    """Sends the concern, goes back to the story, or adds what is typed to it."""
    typed = plain(ctx.text)
    said = bare(ctx.text)
    changing = said in CHANGE_WORDS or bool(
        re.match(
            r"(?:mau |ingin |saya |sy |aku )?(?:ubah|ganti|ralat|edit|perbaiki|koreksi)\b", said
        )
    )
    if ctx.choice == "aduan:ubah" or (ctx.choice is None and changing):
        await _ask(ctx, STORY, "Silakan ceritakan lagi; cerita yang baru menggantikan yang lama.")
        return
    if ctx.choice is None and _keep_secret(typed):
        # "jangan sebut nama sy" under the summary: anonymous, and the summary shown again
        # (it was added to the story).
        already = bool(_data(ctx).get("anonymous"))
        _stay_anonymous(ctx)
        note = "Laporan ini memang dikirim tanpa identitas (anonim)." if already else ""
        await _ask(ctx, CONFIRM, note or ANONYMOUS_CHOSEN)
        return
    if ctx.choice is None and _says(typed, IDENTITY_WORDS) and not _nameless(typed):
        # "cantumkan identitas": a change of mind after choosing to stay anonymous.
        _data(ctx).pop("anonymous", None)
        await _ask(ctx, ID_NAME)
        return
    sending = typed in YES or said in YES or _says(typed, SEND_WORDS)
    if ctx.choice == "aduan:kirim" or (sending and not _says(typed, HOLD_WORDS)):
        await _submit(ctx)
        return
    if (
        ctx.choice is None
        and len(ctx.text.strip()) >= MIN_STORY
        and not looks_like_question(ctx.text)
    ):
        # More of the story typed under the summary: added, and the summary shown again.
        _add_to_story(ctx, ctx.text)
        await _ask(ctx, CONFIRM, "Keterangan itu kami tambahkan ke cerita Anda.")
        return
    await _unclear(
        ctx,
        CONFIRM,
        'Maaf, belum terbaca. Ketik "kirim" untuk mengirim laporan, atau "ubah cerita" untuk '
        "menceritakannya lagi.",
    )


async def _submit(ctx: Context) -> None:
    """Stores the concern, shows its code once, and clears everything the session held."""
    port = _port(ctx)
    assert port is not None
    data = _data(ctx)
    story = {k: str(data[k]) for k in ("what", "who", "when", "how") if data.get(k)}
    receipt = await port.submit(
        key=str(data["key"]),
        story=story,
        identity=data.get("identity"),
        files=[StoredFile(**f) for f in _files(ctx)],
        today=ctx.today,
    )
    ctx.session.reset_flow()
    ctx.say(
        "Laporan Anda sudah kami terima.\n"
        f"Nomor: {receipt.number}\n"
        f"Kode laporan: {receipt.code}\n"
        "Simpan kode ini. Hanya dengan kode ini Anda dapat melihat tanggapan dan "
        "menambah keterangan, dari akun chat mana pun. Kode ini hanya ditampilkan sekali, "
        "dan kami tidak menyimpan siapa pengirimnya.\n"
        "Bila ponsel Anda dipakai orang lain, catat kodenya lalu hapus pesan ini."
    )
    await menu.show_menu(ctx, "Ketik kode itu kapan saja untuk melihat tanggapan.")


async def _code(ctx: Context) -> None:
    """Opens the concern of the typed code."""
    found = terms.typed_code(ctx.text)
    if found is not None:
        await _open(ctx, found)
        return
    tried = terms.tried_code(f"kode {ctx.text}")
    if tried is None and (is_unknown(ctx.text) or _LOST_CODE.search(plain(ctx.text))):
        # "lupa kodenya", "kodenya hilang": no way back without it; say so, and offer a new one.
        ctx.session.state = CHOOSE
        ctx.ask(LOST_CODE, START_CHOICES, free_text=False)
        return
    # A question ("apa itu kode laporan?") is answered before the code is asked again.
    await _unclear(ctx, CODE, _code_note(tried or ""))


# The code forgotten or lost: "lupa", "gatau kodenya", "kodenya ilang", "ga nyimpen".
_LOST_CODE = re.compile(
    r"\b(?:lupa|hilang|ilang|kehapus|terhapus|gatau|gak tau|ga tau|tidak tahu|nggak tau"
    r"|(?:ga|gak|tidak|tdk|nggak|belum) (?:simpan|nyimpen|dicatat|catat|punya|inget|ingat))\b"
)
LOST_CODE = (
    "Tanpa kode, laporan lama tidak dapat dibuka: kami memang tidak menyimpan siapa "
    "pengirimnya, sehingga kodenya juga tidak dapat dikirim ulang.\n"
    "Anda dapat menyampaikan laporan baru dan menyebut bahwa ini tambahan untuk laporan "
    "sebelumnya (perkiraan tanggal kirimnya). Apa yang ingin Anda lakukan?"
)


def _wait_words(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    if minutes >= 60:
        return f"{(minutes + 59) // 60} jam"
    return f"{minutes} menit"


async def _open(ctx: Context, code: str) -> None:
    """Shows the concern behind a code, or says why not. What the message says besides the
    code ("kode saya ..., nama pemohonnya Joko") is added to the concern, never lost; the code
    itself is never stored as a message."""
    port = _port(ctx)
    assert port is not None
    found = await port.open(code, asker=ctx.user_key)
    if isinstance(found, CodeRefused):
        _refused(ctx, found)
        return
    ctx.session.state = FOLLOW
    ctx.session.data = {"code": code}
    ctx.say(_view_text(found))
    if found.closed:
        ctx.session.reset_flow()
        await menu.show_menu(ctx, "Laporan ini sudah selesai. Terima kasih atas laporan Anda.")
        return
    rest = terms.besides_code(ctx.text or "")
    if rest:
        added = await port.add(code, asker=ctx.user_key, today=ctx.today, text=rest[:MAX_TEXT])
        if isinstance(added, CodeRefused):
            _refused(ctx, added)
            return
        await _ask(ctx, FOLLOW, "Keterangan Anda sudah kami tambahkan.")
        return
    await _ask(ctx, FOLLOW)


def _refused(ctx: Context, refused: CodeRefused) -> None:
    ctx.session.reset_flow()
    if refused.wait_seconds:
        text = (
            "Terlalu banyak kode yang salah. Demi keamanan, coba lagi dalam "
            f"{_wait_words(refused.wait_seconds)}."
        )
    else:
        text = "Kode itu tidak cocok dengan laporan mana pun. Periksa lagi kodenya."
    ctx.ask(text, menu.MENU)


def _view_text(view: ConcernView) -> str:
    lines = [
        f"Laporan {view.number}",
        f"Status: {view.status}",
        f"Diterima: {tanggal(view.received_on)}",
        f"Bukti: {view.files} berkas",
    ]
    if view.notes:
        lines.append("")
        lines.append("Riwayat:")
    for note in view.notes:
        who = "Fungsi kepatuhan" if note.author == "fkap" else "Anda"
        when = tanggal(note.on)
        if note.status:
            lines.append(f"• {when}: status menjadi {note.status}")
        if note.text:
            lines.append(f"• {when}, {who}: “{note.text}”")
    return "\n".join(lines)


async def _follow(ctx: Context) -> None:
    """Adds the sender's text or files to the concern, until they are done."""
    port = _port(ctx)
    assert port is not None
    code = str(_data(ctx).get("code", ""))
    if ctx.choice == "aduan:selesai" or (not ctx.incoming.attachments and _follow_done(ctx.text)):
        ctx.session.reset_flow()
        await menu.show_menu(ctx, "Terima kasih. Ketik kode Anda lagi kapan saja.")
        return
    if ctx.text and not ctx.incoming.attachments and terms.typed_code(ctx.text):
        # The code typed again (or another concern's): shown again, never kept as a message.
        await _open(ctx, terms.typed_code(ctx.text) or code)
        return
    tried = terms.tried_code(ctx.text) if ctx.text and not ctx.incoming.attachments else None
    if tried is not None:
        # A code typed short ("cek laporan 7KQM-2XRT"): no remark, and no wrong code either.
        await _ask(ctx, FOLLOW, _code_note(tried))
        return
    notes: list[str] = []
    added = 0
    for attachment in ctx.incoming.attachments:
        try:
            result = await port.add(
                code, asker=ctx.user_key, today=ctx.today, attachment=attachment
            )
        except AttachmentRejected as exc:
            notes.append(f"Berkas itu tidak dapat diterima: {exc}")
            continue
        if isinstance(result, CodeRefused):
            _refused(ctx, result)
            return
        added += 1
    if added:
        notes.append(f"Bukti diterima ({added} berkas).")
    if ctx.text:
        result = await port.add(code, asker=ctx.user_key, today=ctx.today, text=ctx.text[:MAX_TEXT])
        if isinstance(result, CodeRefused):
            _refused(ctx, result)
            return
        notes.append("Keterangan Anda sudah kami tambahkan.")
    await _ask(ctx, FOLLOW, "\n".join(notes))


# Typed under the follow-up to say it is all: never added to the concern as a remark.
FOLLOW_DONE = {"selesai", "sudah", "udah", "sdh", "udh", "cukup", "sudah cukup", "udah cukup"}
FOLLOW_DONE |= {"itu aja", "itu saja", "sudah itu", "udah itu", "sudah itu aja", "udah itu aja"}
FOLLOW_DONE |= {"sudah itu saja", "done"}
FOLLOW_DONE |= {"tidak ada lagi", "ga ada lagi", "gak ada lagi", "gk ada lagi", "nggak ada lagi"}


def _follow_done(text: str) -> bool:
    """ "selesai", "udah itu aja", or only thanks, "ok" or a goodbye ("makasih pak 🙏")."""
    return bare(text) in FOLLOW_DONE or smalltalk.classify(text) in ("thanks", "ack", "bye")


async def resume(ctx: Context) -> None:
    """Asks the current question again."""
    await _ask(ctx, ctx.session.state or CHOOSE)


def has_draft(session: Session) -> bool:
    return bool(session.data.get("what") or session.data.get("files"))


FLOW = Flow(name=NAME, start=start, handle=handle, resume=resume, has_draft=has_draft)
