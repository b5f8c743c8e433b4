"""Questions typed at any step of a bribery concern: recognised, answered, the step asked again.

"ini rahasia kan?", "nama sy bakal ketahuan gak", "kalo pelakunya atasan sy gmn?" get this
channel's own answer (concern_story's, then the few here); "maksudnya?", "contohnya apa?",
"bingung" get the help of the step on screen; anything else goes to the FAQ through
declaration_help.answer. The question is never kept as the step's answer. Plain text in,
plain text out; nothing is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers import concern_story as story_words
from handlers.typed import asks as asks_free
from handlers.typed import asks_at_choice, plain

UNKNOWN = "Maaf, saya belum bisa menjawab itu di sini. Mari lanjutkan laporannya."


@dataclass(frozen=True)
class Step:
    """A concern step's help (for "maksudnya?") and the words that name it."""

    key: str
    help: str
    topics: tuple[str, ...]


STEPS: dict[str, Step] = {
    step.key: step
    for step in (
        Step(
            "choose",
            'Pilih "Sampaikan laporan baru" untuk melaporkan dugaan suap yang Anda ketahui.\n'
            'Pilih "Saya punya kode laporan" bila sudah pernah melapor dan ingin melihat '
            "tanggapannya.",
            ("laporan baru", "kode laporan"),
        ),
        Step(
            "story",
            'Tulis apa yang terjadi seperti bercerita, misalnya: "Petugas loket kecamatan minta '
            'uang 200 ribu supaya KTP saya cepat jadi, awal November."\n'
            "Tidak perlu lengkap: yang belum disebut akan saya tanyakan.",
            ("cerita", "ceritakan", "ceritanya", "kronologi"),
        ),
        Step(
            "who",
            "Tulis siapa yang meminta, memberi, atau menerima. Nama tidak wajib: cukup jabatan, "
            'unit, atau ciri orangnya, misalnya "kabid di dinas PU" atau "petugas loket KTP '
            'kecamatan".',
            ("yang terlibat", "terlibat", "jabatan", "unit"),
        ),
        Step(
            "when",
            'Tulis kapan kejadiannya; perkiraan pun boleh: "kemarin", "2 minggu lalu", '
            '"awal Oktober 2026". Bila tidak tahu, pilih "Tidak tahu".',
            ("kapan", "waktu", "tanggal", "perkiraan"),
        ),
        Step(
            "how",
            "Maksudnya, dari mana Anda tahu: mengalami sendiri (Anda yang dimintai), melihat "
            "langsung, mendengar dari orang lain, atau dari dokumen atau bukti.\n"
            "Pilih tombol, atau tulis dengan kata-kata Anda.",
            ("mengetahuinya", "cara mengetahui", "alami sendiri", "lihat langsung"),
        ),
        Step(
            "files",
            "Bukti dapat berupa foto, tangkapan layar chat, kuitansi, atau dokumen PDF.\n"
            'Bukti tidak wajib: bila tidak ada, pilih "Selesai, lanjut".',
            ("bukti", "foto", "dokumen", "berkas", "pdf", "screenshot"),
        ),
        Step(
            "identity",
            '"Tanpa identitas (anonim)": laporan dikirim tanpa nama dan kontak.\n'
            '"Cantumkan identitas": Anda menulis nama dan, bila mau, nomor HP atau e-mail, agar '
            "fungsi kepatuhan dapat menghubungi Anda; identitas itu dirahasiakan.",
            ("identitas", "cantumkan identitas"),
        ),
        Step(
            "id_name",
            'Tulis nama Anda, misalnya "Budi Santoso". Nama hanya dibaca fungsi kepatuhan.\n'
            'Berubah pikiran? Ketik "anonim".',
            ("nama",),
        ),
        Step(
            "id_contact",
            "Nomor HP atau e-mail dipakai fungsi kepatuhan bila perlu menanyakan sesuatu kepada "
            'Anda, misalnya "0812 3456 7890" atau "nama@email.com".\n'
            'Tidak wajib: ketik "-" bila tidak ingin.',
            ("nomor hp", "no hp", "hp", "email", "e mail", "kontak", "nomor"),
        ),
        Step(
            "confirm",
            'Di atas ringkasan laporan Anda. Bila sudah benar, pilih "Kirim laporan".\n'
            'Bila ada yang salah, pilih "Ubah cerita", atau ketik tambahannya.',
            ("kirim laporan", "ubah cerita", "ringkasan"),
        ),
        Step(
            "code",
            "Kode laporan Anda terima saat mengirim laporan: 16 huruf dan angka dalam empat "
            "kelompok, seperti 7KQM-2XRT-9PHD-W4HF. Huruf kecil dan spasi tidak apa-apa.",
            ("kode", "kode laporan"),
        ),
        Step("follow", "", ()),
    )
}

# Naming what a deed may be ("suap", "pungli"), and the words that make it a question.
_BRIBE = (
    r"(?:suap|nyuap|penyuapan|sogok\w*|pungli|pungutan\s+liar|gratifikasi|korupsi|pemerasan"
    r"|memeras|pelanggaran|melanggar|dilarang|haram|kkn)"
)
_TAG_WORDS = r"ga|gak|gk|nggak|ngga|engga|enggak|tidak|tdk|kah|kan|bukan|bkn|ndak|nda|ya|yah|sih"

# This channel's answers besides concern_story's, tried after them.
_ANSWERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:pelaku\w*|(?:yang|yg)\s+(?:terlibat|dilaporkan|minta)|terlapor\w*"
            r"|kalau|kalo|klo|bila|jika)\s+(?:\w+\s+){0,2}?(?:itu\s+)?"
            r"(?:atasan|pimpinan|bos|boss|kepala|kadis|kaban|kabid|pejabat|sekda|bupati)\w*"
        ),
        "Tetap dapat dilaporkan di sini. Laporan ini tidak melewati atasan Anda: hanya fungsi "
        "kepatuhan anti penyuapan yang membacanya, dan yang dilaporkan tidak diberi tahu siapa "
        "pelapornya.\n"
        "Pelapor dengan iktikad baik dilindungi dari pembalasan.",
    ),
    (
        re.compile(
            r"\b(?:rahasia\w*|dirahasiakan|dirahasiain|aman|keamanan|bocor|disebar\w*|privasi"
            r"|data\s+(?:saya|sy|aku|pribadi)|dilihat\s+siapa"
            r"|siapa\s+(?:saja\s+|aja\s+)?(?:yang|yg)\s+(?:bisa\s+|dapat\s+)?(?:lihat|liat|tau|tahu))\b"
        ),
        "Ya, laporan ini dirahasiakan: hanya fungsi kepatuhan anti penyuapan yang membacanya, "
        "dan orang yang Anda laporkan tidak diberi tahu siapa pelapornya.\n"
        "Tanpa identitas, kami tidak menyimpan siapa pengirimnya; dengan identitas, identitas "
        "itu disimpan terenkripsi.",
    ),
    (
        re.compile(
            r"\b(?:wajib|harus|hrs|perlu|mesti|kudu|bisa|boleh|dapat)\s+(?:\w+\s+){0,2}?"
            r"(?:di)?lapor\w*"
            # "..., itu termasuk suap kan?", "ini pungli bukan sih"
            rf"|\b(?:termasuk|tergolong|dianggap|itu|ini)\s+(?:\w+\s+)?{_BRIBE}\s+"
            rf"(?:{_TAG_WORDS})\b|\b(?:termasuk|tergolong|dianggap)\s+(?:\w+\s+)?{_BRIBE}\b"
            rf"|\b{_BRIBE}\s+(?:{_TAG_WORDS})(?:\s+(?:sih|ya|nih|tuh|kan|pak|bu))?$"
        ),
        "Bila ragu, sampaikan saja: fungsi kepatuhan yang menilai apakah itu suap.\n"
        "Laporan dengan iktikad baik tetap dilindungi walaupun nanti tidak terbukti.",
    ),
)

# "maksudnya?", "contohnya apa?", "bingung", "gmn ini", "buat apa": about the step on screen.
_CONFUSED = re.compile(
    r"(?:(?:eh|hmm+|hah|lho|loh|duh|waduh|maaf|pak|bu|kak|min|sy|saya|aku|masih|msh|agak)\s+)*"
    r"(?:maksud(?:nya)?(?:\s+(?:apa|gimana|gmn|gmana|bagaimana))?|apa\s+maksud(?:nya)?"
    r"|contoh(?:nya)?(?:\s+(?:apa|gimana|gmn|gmana|seperti\s+apa|kayak\s+gimana))?"
    r"|misal(?:nya)?(?:\s+apa)?|apa\s+contoh(?:nya)?|bingung|binggung|bngung"
    r"|(?:ga|gak|gk|nggak|ngga|tidak|tdk|kurang|belum|blm)\s+(?:ngerti|mengerti|paham|faham|jelas)"
    r"|gimana|gmn|gmana|bagaimana|piye|kumaha|(?:gimana|gmn|bagaimana)\s+(?:ini|caranya|isinya"
    r"|jawabnya|ngisinya|maksudnya)|(?:di)?isi\s+apa|(?:harus|hrs)\s+(?:isi|tulis|jawab|ngisi"
    r"|nulis)\s+apa|(?:nulis|tulis|jawab)\s+apa|apa\s+(?:yang|yg)\s+harus\s+(?:diisi|ditulis)"
    r"|(?:buat|untuk|utk)\s+apa)"
    r"(?:\s+(?:ya|yah|sih|nih|dong|deh|pak|bu|kak|min|nya|ini|itu|sy|saya|aku|iki|kie|iku))*"
)
# Words that make a sentence about this channel's topics a question: "bisa anonim ga",
# "ini beneran anonim", "bedanya sama lapor gratifikasi apa".
_ASKING = re.compile(
    r"\b(?:emang|memang|beneran|yakin|serius|masa|apa|apakah|gimana|gmn|gmana|bagaimana"
    r"|kenapa|knp|mengapa|siapa|bedanya)\b"
    r"|^(?:bisakah|bolehkah|kalau|kalo|klo)\b"
    r"|\b(?:ga|gak|gk|nggak|ngga|enggak|tidak|kah|kan|bukan|ndak|nda)$"
)
# A story's telling words ("minta", "5jt", "setor"): with them a short text at the story
# step is the story (perhaps with a question), without them only a question.
_TELLS = re.compile(
    r"\b(?:\w*minta\w*|(?:di|ng|me)?kasih?|ngasi|memberi\w*|diberi\w*|nerima|menerima|terima|diterima"
    r"|\w*setor\w*|\w*potong\w*|motong|narik|menarik|ditarik|\w*bayar\w*|transfer\w*|tf|nagih"
    r"|menagih|ditagih|malak|dipalak|memeras|diperas|\w*pungut\w*|fee|amplop|uang|duit|jatah"
    r"|pelicin|komisi|persen|juta|jt|ribu|rb|rp)\b|\d"
)
# A hedge in front of an answer ("kalau ga salah bulan lalu"), not a question.
_HEDGE = re.compile(r"(?:kalau|kalo|klo|kl) (?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak) salah\b")
_BUTTONS = frozenset({"choose", "files", "identity", "confirm"})
_ASKING_FIRST = {"apakah", "apa", "bagaimana", "gimana", "gmn", "kenapa", "mengapa", "maksudnya"}
_ASKING_FIRST |= {"bisakah", "bolehkah", "siapa", "kalau", "kalo"}


def tells_story(text: str) -> bool:
    """Whether the text has a story's telling words ("minta", "5jt", "setor")."""
    return bool(_TELLS.search(plain(text)))


def own_answer(text: str) -> str | None:
    """This channel's answer to a question about it ("ini rahasia kan?"), or None."""
    found = story_words.answer(text)
    if found:
        return found
    low = " ".join(re.findall(r"[\w']+", text.casefold()))
    return next((answer for pattern, answer in _ANSWERS if pattern.search(low)), None)


def worry(text: str) -> str | None:
    """This channel's answer to a worry typed instead of the story ("sy mau lapor tapi takut
    ketahuan", "mau lapor tp takut dipecat"); None when the text tells a story or is no worry."""
    return None if tells_story(text) else own_answer(text)


def confused(text: str) -> bool:
    """Whether the text asks what the step on screen means ("maksudnya?", "bingung")."""
    return bool(_CONFUSED.fullmatch(plain(text)))


def reply(text: str, state: str) -> str | None:
    """The channel's own answer, or the step's help for "maksudnya?", or None (the FAQ)."""
    step = STEPS.get(state)
    return own_answer(text) or (step.help if step and step.help and confused(text) else None)


def asks(text: str, state: str) -> bool:
    """Whether text typed at a concern step is a question rather than the step's answer.

    At the story a short text without a story's telling words ("ini rahasia kan", "kalo
    pelakunya atasan sy gmn?"); under the follow-up only a short question this channel
    answers (anything else there is a message to the compliance function); at a step with
    buttons a question there ("bisa anonim ga", "apa bedanya ...?"); at a step with a short
    answer also a question by typed.asks. Everywhere "maksudnya?", "bingung"."""
    said = plain(text)
    words = said.split()
    if not words or _HEDGE.match(said):
        return False
    marked = text.strip().endswith("?") or words[0] in _ASKING_FIRST
    ours = bool(own_answer(text)) and len(words) <= 12 and bool(_ASKING.search(said) or marked)
    if state == "follow":
        return ours
    if confused(text):
        return True
    if state == "story":
        short = len(words) <= 12 and not _TELLS.search(said)
        return short and (ours or marked or asks_free(text))
    if state in _BUTTONS:
        return marked or ours or asks_at_choice(text)
    return marked or ours or asks_free(text)


# A question about whether a deed would be bribery, asked where the story is asked ("kalau
# atasan minta uang ke bawahan itu suap?", "klo dikasih fee 10% sama rekanan termasuk suap
# ga?"): it opens with "if" or "whether", names what the deed may be, and asks. A report
# tells what happened: a time ("tadi", "kemarin", a date), how the sender knows ("sy liat",
# "kata temen"), a person by name ("pak Joko"), a place of their own ("kantor sy"); any of
# them keeps the text a story, even one that ends with a question.
_SUPPOSE = re.compile(
    r"^(?:(?:pak|bu|bapak|ibu|kak|min|admin|mas|mbak|mba|maaf|mau|mo|sy|saya|aku|izin|ijin"
    r"|numpang|permisi|tanya|nanya|mw|pengen|ingin|pertanyaan|oh|eh|terus|trus|lalu|nah)\s+)*"
    r"(?:(?:gimana|gmn|gmana|bagaimana|bgmn|piye|kumaha)\s+)?"
    r"(?:kalau|kalo|klo|kl|klau|jika|jikalau|bila|apabila|misal|misalnya|misale|semisal"
    r"|umpama|umpamanya|andai|andaikan|seandainya|apakah|apa|emang|memang|emangnya|memangnya"
    r"|bolehkah|benarkah|betulkah)\b"
)
_ASKS_IT = re.compile(
    rf"\b{_BRIBE}\b|\b(?:boleh|bolehkah|wajar|termasuk|tergolong|dianggap|kategori"
    r"|diperbolehkan|dibolehkan|diizinkan|legal|sah)\b"
)
_ASKED_END = re.compile(rf"(?:\?|\b(?:{_TAG_WORDS}|apa|gimana|gmn|bagaimana|nggak sih|ga sih))\W*$")
_LATELY = r"tadi|td|barusan|kemarin|kemaren|kmrn|kmarin|kmaren|semalam|tempo\s+hari"
_TOLD = re.compile(
    rf"\b(?:{_LATELY}|dulu\s+pernah"
    r"|sy|saya|aku|aq|gw|gue|kami)\s+(?:liat|lihat|lht|melihat|ngeliat|saksikan|denger|dengar"
    r"|alami|ngalamin|dimintai|diminta|dipalak|diperas|ditagih|dikasih|dikasi|dikirimi|ditawari)\b"
    rf"|\b(?:{_LATELY}|terjadi"
    r"|kejadian\w*|beneran|sungguhan|nyata|faktanya|ternyata)\b"
    r"|\b(?:kantor|dinas|unit|bidang|bagian|sekolah|instansi|kecamatan|desa|kelurahan|puskesmas"
    r"|opd|satker|badan)\s+(?:sy|saya|kami|aku|kita|gw|tempat\s+\w+)\b"
)
_NAMED = re.compile(r"\b(?:[Pp]ak|[Bb]u|[Bb]pk|[Bb]apak|[Ii]bu|[Mm]as|[Mm]ba?k?)\s+[A-Z][a-z]+")


def supposes(text: str, today: date) -> bool:
    """Whether text typed where the story is asked is a question about whether a deed would
    be bribery ("kalau atasan minta uang ke bawahan itu suap?"), not a report of one."""
    said = plain(text)
    words = said.split()
    if not 3 <= len(words) <= 30 or _HEDGE.match(said):  # "kalau ga salah kemarin ..."
        return False
    if not _SUPPOSE.match(said) or not _ASKS_IT.search(said):
        return False
    if not _ASKED_END.search(text.casefold().strip()) and not said.startswith("apakah"):
        return False
    told = _TOLD.search(said) or _NAMED.search(text) or story_words.read_how(text)
    return not told and story_words.read_when(text, today) is None


IS_IT_BRIBERY = (
    "Secara umum: uang, fee, atau hadiah agar pegawai berbuat atau tidak berbuat sesuatu "
    "dalam jabatannya adalah suap; pegawai yang meminta bayaran tanpa dasar aturan melakukan "
    "pungutan liar. Fungsi kepatuhan yang menilai tiap kejadian.\n"
    'Untuk aturannya, pakai menu "Tanya aturan"; untuk hadiah yang Anda terima sendiri, '
    '"Cek wajib lapor".\n'
    "Bila hal itu memang terjadi:"
)
