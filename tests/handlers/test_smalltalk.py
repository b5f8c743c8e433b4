"""Small talk outside a form (handlers/smalltalk.py) and where the router sends it."""

from __future__ import annotations

import pytest

from bot.dispatcher import Dispatcher
from bot.sessions import MemorySessionStore
from handlers import menu, smalltalk, texts
from handlers.ask import NoFaq
from tests.driver import ChatDriver
from tests.handlers.test_ask import services


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Halo", "greeting"),
        ("Assalamu'alaikum wr. wb.", "greeting"),
        ("selamat pagi pak", "greeting"),
        ("punten kang", "greeting"),
        ("makasih", "thanks"),
        ("terima kasih banyak, sangat membantu", "thanks"),
        ("hatur nuhun", "thanks"),
        ("matur nuwun", "thanks"),
        ("🙏", "thanks"),
        ("ok", "ack"),
        ("👍", "ack"),
        ("siap laksanakan", "ack"),
        ("sip lah", "ack"),
        ("ok lah kak", "ack"),
        ("oh gitu ya", "ack"),
        ("oke nanti saya lapor", "ack"),
        ("dadah", "bye"),
        ("wassalamualaikum", "bye"),
        ("bot ga jelas", "complaint"),
        ("jawabanmu salah", "complaint"),
        ("payah", "complaint"),
        ("kamu siapa?", "human"),
        ("bisa bicara dengan petugas?", "human"),
        ("1", "menu"),
        ("3.", "menu"),
        # drawn out, misspelt, regional and English
        ("makasihhh", "thanks"),
        ("terimaksih", "thanks"),
        ("hatur nuhun pisan", "thanks"),
        ("maturnuwun pak", "thanks"),
        ("thank you so much", "thanks"),
        ("jazakallah khairan", "thanks"),
        ("okee siappp", "ack"),
        ("okelah kalo begitu", "ack"),
        ("got it", "ack"),
        ("injih", "ack"),
        ("👍🏻", "ack"),
        ("❤️", "thanks"),
        ("👋", "greeting"),
        ("kulo nuwun", "greeting"),
        ("salam kenal", "greeting"),
        # abbreviated, with a wish for the day, a check that the bot answers
        ("trmks bnyk bu", "thanks"),
        ("aslm pak", "greeting"),
        ("met siang, selamat bertugas", "greeting"),
        ("testing, masuk gak?", "greeting"),
        ("ping", "greeting"),
        ("siap komandan", "ack"),
        ("hmmm", "ack"),
        ("hahahaha", "ack"),
        ("awokawokawok", "ack"),
        ("🤔", "ack"),
        # sent by mistake
        ("mf pak salah krm", "oops"),
        ("sorry wrong chat", "oops"),
        ("maaf tadi kepencet", "oops"),
        ("abaikan pesan tadi ya", "oops"),
        ("halo, ada petugas?", "human"),
        ("wah salah jawab nih", "complaint"),
    ],
)
def test_small_talk_is_recognised(typed: str, kind: str) -> None:
    assert smalltalk.classify(typed) == kind


@pytest.mark.parametrize(
    "typed",
    [
        "Assalamu'alaikum wr wb pak, mau tanya soal parsel dari vendor",
        "terima hadiah dari vendor",
        "makasih, tapi kalau parsel wajib lapor?",
        "pengirimnya gak jelas",
        "ok kalau kondangan 2 juta gimana",
        "okee, kalo voucher dari vendor gmn",
        "makasihhh, trus tenggatnya kapan",
        "123",
        "",
        "?!",
        "maaf salah ketik, parselnya dari vendor gimana",
        "aman gak kalau lapor",
        "ada orang ngasih amplop",
        "tes darah dibayari rekanan",
    ],
)
def test_a_question_is_never_small_talk(typed: str) -> None:
    assert smalltalk.classify(typed) is None


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        # thanks, typed short, misspelt, regional, with emoji
        ("mksh ya min", "thanks"),
        ("thx min 🙏🏻", "thanks"),
        ("tq ya bu", "thanks"),
        ("matur suwun sanget", "thanks"),
        ("mator suwun", "thanks"),
        ("suwun yo", "thanks"),
        ("nuhun pisan kang", "thanks"),
        ("🙏🙏🙏", "thanks"),
        ("siap, makasih min", "thanks"),
        ("noted, thx", "thanks"),
        # acknowledgements
        ("sip pak", "ack"),
        ("siap bu", "ack"),
        ("baik bu", "ack"),
        ("noted pak", "ack"),
        ("ok 👍", "ack"),
        ("baik, saya laporkan besok", "ack"),
        # greetings alone, laughter
        ("malam min", "greeting"),
        ("Assalamualaikum Warahmatullahi Wabarakatuh", "greeting"),
        ("hi bot", "greeting"),
        ("wkwk", "ack"),
        ("wkwk oke", "ack"),
        ("😂😂", "ack"),
        # frustration with the answers
        ("kok jawabannya itu terus", "complaint"),
        ("jawabannya itu itu aja", "complaint"),
        ("kok muter2 terus", "complaint"),
        ("gak ngerti sy", "complaint"),
        ("ga paham maksud sy ya?", "complaint"),
        ("bingung sy sama jawabannya", "complaint"),
        ("lama banget balesnya", "complaint"),
        ("apaan sih", "complaint"),
        # a person behind the bot
        ("admin manusia?", "human"),
    ],
)
def test_more_small_talk_as_people_type_it(typed: str, kind: str) -> None:
    assert smalltalk.classify(typed) == kind


@pytest.mark.parametrize(
    "typed",
    [
        "selamat pagi bu, mau tanya soal hadiah dari atasan",
        "pagi, sy dapet amplop dr pemborong",
        "siap pak, kalau hampers?",
        "terima kasih pak, batas waktu lapor brp hari?",
        "ok makasih. satu lagi, hadiah ultah dari atasan?",
        "thanks, what about gifts from vendors?",
        "baik pak, kalau sudah terlanjur dipakai?",
        "jawabannya kpk itu kapan keluar",
        "ribet gak lapornya",
    ],
)
def test_courtesy_before_a_question_leaves_it_a_question(typed: str) -> None:
    assert smalltalk.classify(typed) is None


def test_a_mild_complaint_waits_for_the_faq() -> None:
    assert smalltalk.classify("ribet banget") is None
    assert smalltalk.is_complaint("ribet banget")
    # A long message with a complaint word and suggestions is a question, not a complaint.
    long = "paket dari kurir pengirimnya ga jelas, isinya jam tangan, gimana"
    assert not smalltalk.is_complaint(long, suggested=True)


@pytest.fixture
def chat() -> ChatDriver:
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)
    return ChatDriver(Dispatcher(store, services(None)))


async def test_a_menu_number_typed_at_the_menu_opens_that_item(chat: ChatDriver) -> None:
    await chat.send("halo")
    assert chat.text == texts.GREETING
    await chat.send("2")  # "Cek wajib lapor", never a FAQ answer about "PerKPK 1/2026"
    assert "Siapa yang memberi?" in chat.last[-1].text


async def test_a_message_sent_by_mistake_is_forgiven(chat: ChatDriver) -> None:
    await chat.send("maaf salah kirim")
    assert chat.text == texts.OOPS
    assert "Dasar hukum" not in chat.text


async def test_a_number_with_no_menu_on_screen_uses_the_main_menu(chat: ChatDriver) -> None:
    await chat.send("4")
    assert "Dasar hukum" not in chat.text
    await chat.send("9")
    assert chat.texts[-1] == texts.PICK_NUMBER.format(last=len(menu.MENU))


async def test_a_menu_word_typed_goes_to_the_menu(chat: ChatDriver) -> None:
    await chat.send("menu utama")
    assert chat.text == texts.GREETING
    await chat.send("lapor sekarang")
    assert "Dasar hukum" not in chat.text


async def test_without_a_knowledge_base_the_contact_is_still_honest() -> None:
    assert "hubungi UPPG Inspektorat" in await NoFaq().contact()


async def test_frustration_gets_an_apology_and_the_uppg_contact(chat: ChatDriver) -> None:
    await chat.send("parsel dari vendor wajib lapor?")
    await chat.send("kok jawabannya itu terus")
    assert "Dasar hukum" not in chat.text
    assert chat.text == texts.COMPLAINT.format(contact=await chat_contact())


async def test_a_greeting_then_a_question_is_answered_then_thanks_is_small_talk(
    chat: ChatDriver,
) -> None:
    await chat.send("pagi min, mau nanya dong, hampers dr supplier hrs lapor ga")
    assert "Dasar hukum" in chat.text
    await chat.send("mksh ya min 🙏")
    assert chat.text == texts.THANKS
    await chat.send("wkwk oke")
    assert chat.text == texts.ACKNOWLEDGED


async def chat_contact() -> str:
    return await services(None).faq.contact()


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        # thanks, in chat style and regional languages
        ("makasih banyak pak 🙏", "thanks"),
        ("trimakasih infonya min", "thanks"),
        ("terima kasih atas penjelasannya bu", "thanks"),
        ("matur nuwun sanget pak", "thanks"),
        ("hatur nuhun pisan kang", "thanks"),
        ("suwun lur", "thanks"),
        ("tengkyu min, sangat membantu", "thanks"),
        ("thanks a lot", "thanks"),
        ("makasih bot", "thanks"),
        ("muhun, hatur nuhun", "thanks"),
        ("oke deh, nuhun", "thanks"),
        ("siap, matur suwun", "thanks"),
        ("wkwk makasih", "thanks"),
        ("makasih kak, sangat membantu sekali", "thanks"),
        # acknowledgements
        ("sip paham pak", "ack"),
        ("noted min", "ack"),
        ("owh gitu ya, baik", "ack"),
        ("nggih pak, siap", "ack"),
        ("iya deh", "ack"),
        ("alhamdulillah, jelas", "ack"),
        ("oalah ngono to", "ack"),
        ("oh ngunu", "ack"),
        ("oh kitu nya", "ack"),
        ("sama2", "ack"),
        ("sama sama pak", "ack"),
        ("mantap jiwa", "ack"),
        ("sippp", "ack"),
        ("enggih", "ack"),
        # laughter and emoji alone
        ("wkwkwk", "ack"),
        ("hahaha", "ack"),
        ("awokawok", "ack"),
        ("👍👍👍", "ack"),
        ("😊", "ack"),
        ("👌", "ack"),
        ("🙏🙏", "thanks"),
        # greetings alone
        ("halo bot", "greeting"),
        ("hai min", "greeting"),
        ("halooo min", "greeting"),
        ("assalamualaikum wr wb", "greeting"),
        ("waalaikumsalam", "greeting"),
        ("punten", "greeting"),
        ("permisi", "greeting"),
        ("sugeng enjing", "greeting"),
        ("wilujeng enjing", "greeting"),
        ("met pagi", "greeting"),
        ("p", "greeting"),
        # is the bot there?
        ("tes", "greeting"),
        ("tes tes masuk ga", "greeting"),
        ("tes 123", "greeting"),
        ("masih aktif?", "greeting"),
        ("masih aktif ga botnya", "greeting"),
        ("aktif ga?", "greeting"),
        ("online ga min?", "greeting"),
        ("bot aktif?", "greeting"),
        # goodbyes
        ("dadah", "bye"),
        ("pamit dulu ya pak", "bye"),
        ("wassalamualaikum", "bye"),
        ("see you", "bye"),
        ("mari pak", "bye"),
        ("monggo", "bye"),
        # who answers, and a person please
        ("ini bot ya?", "human"),
        ("ini robot atau manusia", "human"),
        ("ini chat otomatis ya?", "human"),
        ("ini dijawab mesin ya", "human"),
        ("bisa bicara dengan petugas?", "human"),
        ("mau ngobrol sama admin", "human"),
        ("bisa minta dihubungkan ke petugas?", "human"),
        ("ada orang ga di sini", "human"),
        ("ini beneran bot?", "human"),
        ("siapa yg bikin bot ini", "human"),
        ("yang ngelola aplikasi ini siapa sih, siapa yg jawab chat ini", "human"),
        # exclamations on their own
        ("astaghfirullah", "ack"),
        ("masya allah", "ack"),
        ("waduh", "ack"),
        # complaints
        ("jawabannya ga nyambung", "complaint"),
        ("bot nya lemot banget", "complaint"),
        ("kok ga ngerti sih", "complaint"),
        ("jawabanmu ngaco", "complaint"),
        ("bot ga guna", "complaint"),
    ],
)
def test_the_evenings_small_talk_lines(typed: str, kind: str) -> None:
    assert smalltalk.classify(typed) == kind


@pytest.mark.parametrize(
    "typed",
    [
        "halo min, masih aktif? mau tanya parsel dari vendor wajib lapor?",
        "bot aktif ga? kalau dapat amplop dari kontraktor gimana",
        "masih aktif kah kewajiban lapor setelah pensiun",
        "ini dianggap suap otomatis ya?",
        "monggo pak, kalau parsel lebaran gimana",
        "sama2, tapi kalau hampers dari rekanan?",
        "assalamualaikum pak, dikasih uang sama bapak ibu, wajib lapor?",
        "mari lapor gratifikasi",
        "astaghfirullah sy lupa lapor parsel kemarin",
        "waduh telat lapor 2 minggu gmn",
        "siapa yg harus lapor gratifikasi",
    ],
)
def test_small_talk_words_before_a_question_leave_it_a_question(typed: str) -> None:
    assert smalltalk.classify(typed) is None


async def test_a_greeting_and_a_check_then_a_question_gets_the_answer(chat: ChatDriver) -> None:
    await chat.send("halo min, masih aktif? mau tanya parsel dari vendor wajib lapor?")
    assert "Dasar hukum" in chat.text
    await chat.send("masih aktif?")
    assert "Dasar hukum" not in chat.text
    await chat.send("oalah ngono to")
    assert chat.text == texts.ACKNOWLEDGED


def test_asking_how_to_reach_the_uppg_is_a_question() -> None:
    assert smalltalk.classify("mau menghubungi petugas uppg lewat mana") is None
