"""Free questions: answers from the FAQ matcher, "Maksud Anda?" suggestions, or honest fallback."""

from __future__ import annotations

from bot.messages import Choice, choices
from handlers import menu, texts
from handlers.context import Context
from handlers.ports import FaqAnswer

FEEDBACK_PREFIX = "faqfb:"
ENTRY_PREFIX = "faq:"

THANKS = "Terima kasih atas masukan Anda."
NOT_HELPFUL = (
    "Terima kasih atas masukan Anda. Maaf bila jawabannya belum membantu.\n"
    "Coba ketik pertanyaan dengan kata lain, atau hubungi UPPG Inspektorat."
)


ALREADY_COUNTED = "Masukan Anda untuk jawaban ini sudah kami catat. Terima kasih."
# The answers shown with feedback buttons whose press has not been counted yet (newest last):
# one vote per answer shown, however often its button is pressed.
OPEN_VOTES = "faq_votes"
MAX_OPEN_VOTES = 5


def _feedback_choices(ctx: Context, entry_id: str) -> tuple[Choice, ...]:
    """The feedback buttons under an answer; the answer may now get one vote."""
    votes = [v for v in ctx.session.memo.get(OPEN_VOTES) or [] if isinstance(v, str)]
    ctx.session.memo[OPEN_VOTES] = [*votes, entry_id][-MAX_OPEN_VOTES:]
    return choices(
        (f"{FEEDBACK_PREFIX}{entry_id}:1", "Membantu"),
        (f"{FEEDBACK_PREFIX}{entry_id}:0", "Tidak membantu"),
    )


def _take_vote(ctx: Context, entry_id: str) -> bool:
    """Whether an answer of this entry was shown and not voted on yet (the vote is taken)."""
    votes = [v for v in ctx.session.memo.get(OPEN_VOTES) or [] if isinstance(v, str)]
    if entry_id not in votes:
        return False
    votes.remove(entry_id)
    ctx.session.memo[OPEN_VOTES] = votes
    return True


def render(ctx: Context, result: FaqAnswer, *, in_flow: bool) -> bool:
    """Adds the replies for a matcher result; returns whether anything useful was said."""
    if result.matched and result.answer and result.id:
        # Inside a form, the feedback buttons would replace the form's own buttons.
        ctx.say(result.answer, () if in_flow else _feedback_choices(ctx, result.id))
        return True
    if result.suggestions and not in_flow:
        buttons = tuple(
            Choice(id=f"{ENTRY_PREFIX}{s.id}", label=s.question) for s in result.suggestions[:3]
        )
        ctx.ask("Maksud Anda:", buttons + menu.MENU[:1], free_text=False)
        return True
    if not in_flow:
        ctx.ask(texts.FAQ_UNKNOWN, menu.MENU)
    return False


async def answer(ctx: Context) -> None:
    """Answers a free question typed outside any flow."""
    result = await ctx.services.faq.ask(ctx.text, user_key=ctx.user_key)
    render(ctx, result, in_flow=False)


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
    ctx.say(entry.answer, _feedback_choices(ctx, entry.id))


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
