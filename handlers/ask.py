"""Free questions: answers from the FAQ matcher, "Maksud Anda?" suggestions, or honest fallback."""

from __future__ import annotations

from bot.messages import Choice, choices
from handlers import menu, smalltalk, texts
from handlers.context import Context
from handlers.ports import FaqAnswer

FEEDBACK_PREFIX = "faqfb:"
ENTRY_PREFIX = "faq:"

THANKS = "Terima kasih atas masukan Anda."
NOT_HELPFUL = (
    "Terima kasih atas masukan Anda. Maaf bila jawabannya belum membantu.\n"
    "Coba ketik pertanyaan dengan kata lain, atau hubungi UPPG Inspektorat."
)
NO_CONTACT = "Silakan hubungi UPPG Inspektorat secara langsung di kantor Inspektorat."

# The next steps an answer may offer (FaqAnswer.actions), as the menu buttons they start.
ACTIONS: dict[str, Choice] = {
    "lapor": Choice(id="menu:lapor", label="Lapor sekarang"),
    "cek": Choice(id="menu:cek", label="Cek wajib lapor"),
}


ALREADY_COUNTED = "Masukan Anda untuk jawaban ini sudah kami catat. Terima kasih."
# The answers shown with feedback buttons whose press has not been counted yet (newest last):
# one vote per answer shown, however often its button is pressed.
OPEN_VOTES = "faq_votes"
MAX_OPEN_VOTES = 5


def _answer_choices(ctx: Context, result: FaqAnswer) -> tuple[Choice, ...]:
    """The answer's next steps, then "Membantu" / "Tidak membantu"; the answer may now get
    one vote."""
    assert result.id is not None
    votes = [v for v in ctx.session.memo.get(OPEN_VOTES) or [] if isinstance(v, str)]
    ctx.session.memo[OPEN_VOTES] = [*votes, result.id][-MAX_OPEN_VOTES:]
    steps = tuple(ACTIONS[a] for a in result.actions if a in ACTIONS)
    return steps + choices(
        (f"{FEEDBACK_PREFIX}{result.id}:1", "Membantu"),
        (f"{FEEDBACK_PREFIX}{result.id}:0", "Tidak membantu"),
    )


def _take_vote(ctx: Context, entry_id: str) -> bool:
    """Whether an answer of this entry was shown and not voted on yet (the vote is taken)."""
    votes = [v for v in ctx.session.memo.get(OPEN_VOTES) or [] if isinstance(v, str)]
    if entry_id not in votes:
        return False
    votes.remove(entry_id)
    ctx.session.memo[OPEN_VOTES] = votes
    return True


OFF_TOPIC_SUGGESTIONS = (
    "Maaf, sepertinya itu bukan pertanyaan tentang gratifikasi, jadi belum bisa saya jawab.\n"
    "Bila yang Anda maksud salah satu ini, silakan pilih:"
)


def render(ctx: Context, result: FaqAnswer, *, in_flow: bool) -> bool:
    """Adds the replies for a matcher result; returns whether anything useful was said."""
    if result.matched and result.answer and result.id:
        # Inside a form, these buttons would replace the form's own buttons.
        ctx.say(result.answer, () if in_flow else _answer_choices(ctx, result))
        return True
    if result.suggestions and not in_flow:
        buttons = tuple(
            Choice(id=f"{ENTRY_PREFIX}{s.id}", label=s.question) for s in result.suggestions[:3]
        )
        asked = OFF_TOPIC_SUGGESTIONS if result.off_topic else "Maksud Anda:"
        ctx.ask(asked, buttons + menu.MENU[:1], free_text=False)
        return True
    if not in_flow:
        ctx.ask(texts.FAQ_UNKNOWN, menu.MENU)
    return False


async def answer(ctx: Context) -> None:
    """Answers a free question typed outside any flow; a complaint gets an apology instead."""
    result = await ctx.services.faq.ask(ctx.text, user_key=ctx.user_key)
    if not result.matched and smalltalk.is_complaint(ctx.text, suggested=bool(result.suggestions)):
        await complaint(ctx)
        return
    render(ctx, result, in_flow=False)


async def form_apology(ctx: Context) -> str:
    """What a complaint about the bot typed at a form's question gets before that question
    comes again: an apology with the UPPG's contact."""
    return texts.COMPLAINT_IN_FORM.format(contact=await ctx.services.faq.contact())


async def complaint(ctx: Context) -> None:
    """Apologises for an answer that did not help and gives the UPPG's contact."""
    contact = await ctx.services.faq.contact()
    ctx.ask(texts.COMPLAINT.format(contact=contact), menu.MENU, free_text=True)


async def human(ctx: Context) -> None:
    """Says what the bot is, and how to reach a person at the UPPG."""
    contact = await ctx.services.faq.contact()
    ctx.ask(texts.HUMAN.format(contact=contact), menu.MENU, free_text=True)


async def choose(ctx: Context) -> None:
    """Shows the entry behind a pressed suggestion button, or counts a feedback press (once
    per answer shown)."""
    choice = ctx.choice or ""
    if choice.startswith(FEEDBACK_PREFIX):
        entry_id, _, flag = choice[len(FEEDBACK_PREFIX) :].rpartition(":")
        if not _take_vote(ctx, entry_id):
            await menu.show_menu(ctx, ALREADY_COUNTED)
            return
        helpful = flag == "1"
        await ctx.services.faq.feedback(entry_id, helpful)
        await menu.show_menu(ctx, THANKS if helpful else NOT_HELPFUL)
        return
    entry = await ctx.services.faq.get(choice[len(ENTRY_PREFIX) :], user_key=ctx.user_key)
    if entry is None or not entry.answer or not entry.id:
        ctx.ask(texts.FAQ_UNKNOWN, menu.MENU)
        return
    ctx.say(entry.answer, _answer_choices(ctx, entry))


async def start(ctx: Context) -> None:
    """Invites a question (the "Tanya aturan" menu item)."""
    ctx.say(
        "Silakan ketik pertanyaan Anda tentang gratifikasi.\n"
        'Contoh: "kado nikah dari vendor wajib lapor?"'
    )


class NoFaq:
    """The matcher used when no knowledge base is loaded: it never pretends to know."""

    async def ask(self, question: str, *, user_key: str | None = None) -> FaqAnswer:
        return FaqAnswer(matched=False, id=None, score=0.0, answer=None)

    async def get(self, entry_id: str, *, user_key: str | None = None) -> FaqAnswer | None:
        return None

    async def feedback(self, entry_id: str, helpful: bool) -> None:
        return None

    async def contact(self) -> str:
        return NO_CONTACT
