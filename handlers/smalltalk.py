"""Small talk typed outside a form: greetings, thanks, "ok", goodbyes, "maaf salah kirim",
complaints, menu numbers.

Pure text rules, no I/O. The router asks `classify` before the FAQ, so a message that is only
small talk ("makasih ya pak", "👍", "Assalamu'alaikum") never reaches the matcher; it asks
`is_complaint` only when the FAQ had no answer, so a question that happens to contain a
complaint word ("pengirimnya gak jelas") is still answered. `gratibot kb eval` uses the same
two functions, so the figures it reports are what users get.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Literal

Kind = Literal["greeting", "thanks", "ack", "bye", "oops", "complaint", "human", "menu"]

# Emoji people send instead of words.
_EMOJI: dict[str, str] = {
    "👍": " ok ",
    "👌": " ok ",
    "✅": " ok ",
    "👏": " ok ",
    "💪": " ok ",
    "🙏": " makasih ",
    "😊": " ",
    "🙂": " ",
    "😁": " ",
    "😀": " ",
    "🤝": " ok ",
    "🙌": " ok ",
    "💯": " ok ",
    "🆗": " ok ",
    "❤️": " makasih ",
    "❤": " makasih ",
    "♥": " makasih ",
    "😍": " makasih ",
    "🥰": " makasih ",
    "🤗": " makasih ",
    "😃": " ",
    "😄": " ",
    "😅": " ",
    "🤭": " ",
    "👋": " halo ",
}


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


GREETINGS = _set(
    """
    p halo hallo haloo hai hi hello helo hei hey hay pagi siang sore malam selamat met slmt
    assalamualaikum assalamu alaikum asalamualaikum assalammualaikum salam wr wb
    warahmatullahi wabarakatuh waalaikumsalam shalom sejahtera om swastiastu namo buddhaya
    punten sampurasun wilujeng enjing sonten sugeng permisi good morning afternoon evening
    ass ww apa kabar kabarnya sehat tes test testing cek coba ping idul fitri lebaran
    natal imlek tahun baru hari raya mohon maaf lahir batin minal aidin walfaizin
    kulo nuwun kulonuwun kenal there everyone all horas tabik met malem sugeng dalu
    wilujeng wengi rahayu asslmkm askum aslkm assalamualaikm assalamualikum samlekom
    asw aslm ass wr wb wrwb wassalamu beraktivitas bekerja beraktifitas berkarya semangat
    bertugas sehat2 sore2 pagi2 hola helloo morning hii hallo halow alo woy woi oi hoi oy
    izin ijin tanya nanya bertanya dan
    """
)
POLITE = _set(
    """
    pak bu bapak ibu mas mbak mba kak kakak min admin mimin bot gratibot uppg upg akang kang
    teteh teh aa dik gan sis bro bang om sir semua semuanya tim rekan2 rekan
    ndan komandan bos boss bosku juragan pakde bude cak ning uda uni bli bapa buk ibuk pk bpk
    kk kaka adm minn mimin bund bunda mang mau numpang
    """
)
THANKS = _set(
    """
    makasih makasi mksh terimakasih trimakasih trims tks thanks thank thx tq ty tengkyu
    nuhun hatur matur nuwun suwun kasih terima maturnuwun maturnuhun matursuwun kasuwun
    haturnuhun nuhuns tengkiu tenkyu thankyou thanx makacih macih maacih mkasih mksih mksi
    makaci trmksh trimksh trmkasih terimaksih terimakasi terimakasihh syukron jazakallah
    jazakumullah khairan khoir jzk mks makasiih trmks trimakasi trmakasih thanku tenks
    tks makasii tankyu sankyu arigato arigatou tqvm vm u mator matursuwun
    """
)
ACK = _set(
    """
    ok oke okey okay okee okeh oce sip sipp siap baik noted iya ya yaa y yup yes oh ohh oo
    gitu begitu paham mengerti ngerti mantap mantab mantul jelas good nice alhamdulillah wah
    sae nggih enggih muhun inggih laksanakan tidak gak ga nggak enggak gk no sudah udah
    cukup beres lanjut sudah jelas benar betul bener setuju sae nice okelah baiklah
    leres enya heueuh hooh hoo injih iyo yoi iyaa iya ashiap asiap siyap wokeh okok okedeh
    top keren dimengerti understood understand got alright fine cool great perfect awesome
    roger copy paham mengerti terang jelas toh tho to kalo kalau gitu begitu ooh sipp mantep
    hm em eh ehm um umm oalah walah lho loh owh oke2 ok2 siap2 sip2 okk kay gas gaskeun
    ngeh nyimak paham2 wokey otw mantapp jos josss gaspol hehe yaudah yaudh ywdh yowes yaweis
    udh dokey jiwa gpp gapapa apa2 santai sama2 bagus bermanfaat informatif terbaik best job
    solutif luar biasa jadi sama ngono ngunu kitu kituh mangkana makana
    astaghfirullah astagfirullah astaghfirulloh astaga masyaallah masya subhanallah
    allah waduh wadaw ampun yaampun
    """
)
BYE = _set(
    """
    bye dadah daah dah sampai jumpa ketemu bertemu tinggal pamit wassalam wassalamualaikum
    wasalam see you later night nanti duluan udahan mari monggo mangga permios
    """
)
# Words that may ride along with thanks or an acknowledgement without making it a question.
FILLER = _set(
    """
    banyak infonya info informasinya atas jawabannya penjelasannya sangat membantu sekali
    sebelumnya nya deh dong ya lagi lg loh sih kok bgt banget ok pencerahannya bantuannya
    sekarang skrg sdh atuh euy yah ka kak ya2 hehe wkwk haha terima kasih nanti akan coba
    dulu saya sy aku kami lapor laporkan lapornya laporin cek besok segera kabari kabarin
    ikuti dicoba dicek pelajari baca pisan sanget pisan nggih much so very you for your
    help it a lot with the kang teh mas mbak pak bu min bnyk byk bnyak byak bnget bngt
    sngt sgt bener2 benar2 ilmunya penjelasan jawaban responnya jwbnnya jawabane yang yg
    yo lur lah
    """
)
# A message naming the bot's answer as bad; answered only when the FAQ found nothing.
_COMPLAINT = re.compile(
    r"\b(?:(?:ga|gak|gk|nggak|ngga|tidak|tdk|kurang|belum|blm)\s*"
    r"(?:jelas|nyambung|ngerti|paham|membantu|berguna|guna|jawab|dijawab|bener|benar|tepat|mutu)"
    r"|payah|bodoh|goblok|bego|lemot|lelet|kecewa|mengecewakan|jelek|buruk|ribet|ngaco"
    r"|ngawur|salah\s+jawab|jawaban\w*\s+salah|error|useless|parah|aneh|kesel|kesal|sebel"
    r"|percuma|zonk|susah\s+(?:banget|bgt|amat|bener)|gimana\s+sih|bukan\s+itu|tidak\s+sesuai|ga\s+sesuai"
    r"|gak\s+sesuai|ga\s+relevan|lama\s+(?:banget|bgt|sekali)|kelamaan|males|apaan\s+sih"
    r"|muter\w*|itu\s+itu\s+(?:aja|saja|terus|mulu)|(?:tanya|nanya)\s+apa\s+(?:dijawab|jawab)\s+apa"
    r"|(?:ga|gak|gk|nggak|tidak|belum|blm)\s+(?:ada\s+)?(?:dibales|dibalas|direspon|jawaban\w*))\b"
)
# Aimed at the bot or its answer, or an insult: a complaint whatever else the message says.
_AT_THE_BOT = re.compile(
    r"\b(?:bot\w*|jawaban\w*|jawabnya|kamu|mimin|sistem\w*|aplikasi\w*)\b.*"
    r"\b(?:ga|gak|gk|nggak|ngga|tidak|tdk|kurang)\s*(?:jelas|nyambung|ngerti|paham|membantu|"
    r"berguna|guna|bener|benar|tepat|mutu|jalan)\b"
    r"|\b(?:bot\w*|jawaban\w*|kamu)\b.*\b(?:salah|ngaco|ngawur|lemot|lelet|payah|jelek|aneh|error)\b"
    r"|^(?:\w+\s+){0,3}(?:payah|bodoh|goblok|bego|tolol|lemot|lelet|kecewa|mengecewakan|ngaco|"
    r"ngawur|useless|zonk|percuma|jelek)(?:\s+\w+){0,3}$"
    # "kok ga ngerti sih", "ga membantu sama sekali": the whole message is the complaint.
    r"|^(?:kok|koq|lho|loh|lah|wah|aduh|duh)?\s*(?:ga|gak|gk|nggak|ngga|tidak|tdk|kurang)\s+"
    r"(?:ngerti|paham|nyambung|jelas|membantu|berguna|guna|jelas)"
    r"(?:\s+(?:sama\s+sekali|sekali|banget|bgt|deh|sih|nih|ah|dong|lah|ya|yah|kok))*$"
    r"|^(?:bukan|salah)\s+itu(?:\s+\w+){0,3}$|^(?:kok\s+)?(?:lama|lemot)\s+(?:banget|bgt|amat)"
    r"|^(?:\w+\s+){0,2}salah\s+jawab\w*(?:\s+\w+){0,2}$"
    r"|^(?:ga|gak|tidak|kok\s+ga|kok\s+gak)\s+(?:dibales|dibalas|direspon|dijawab)"
    # "kok jawabannya itu terus", "itu itu aja", "muter2 terus": the same answer again.
    r"|\b(?:jawaban\w*|jawabnya|balesan\w*|balasan\w*)\s+(?:itu|sama|gitu)(?:\s+itu)?\s+"
    r"(?:terus|trs|lagi|lg|aja|saja|mulu|melulu|doang)\b"
    r"|^(?:kok\s+)?(?:itu\s+itu|itu\s+lagi\s+itu\s+lagi|muter\w*(?:\s+muter\w*)?)"
    r"(?:\s+(?:aja|saja|terus|trs|mulu|melulu|doang|sih|deh|nih|ya))*$"
    # "gak ngerti sy", "ga paham maksudnya": the whole message says the answer was not
    # understood.
    r"|^(?:kok|wah|aduh|duh)?\s*(?:ga|gak|gk|nggak|ngga|tidak|tdk|kurang)\s+(?:ngerti|paham)"
    r"(?:\s+(?:sy|saya|aku|gw|gue|maksud\w*|jawaban\w*|ya|sih|nih|deh|kok|aku|blas|babar))*$"
    r"|^(?:makin\s+|tambah\s+)?bingung\s+(?:sy|saya|aku|gw|gue)?\s*(?:sama|dengan|dgn|baca)\s+"
    r"(?:jawaban\w*|penjelasan\w*|bot\w*)"
    r"|^(?:apaan|gimana|gmn|kumaha|piye)\s+(?:sih|seh|toh|to|atuh)$"
)
# Who the bot is, or a wish to talk to a person: answered with the UPPG's contact.
_HUMAN = re.compile(
    r"^(?:\w+\s+){0,2}(?:kamu|anda|ini|km)\s+(?:(?:beneran|bener|benar|betul|asli|emang|"
    r"memang|cuma|hanya)\s+)?(?:siapa|bot|robot|manusia|orang)\b"
    # "siapa yg bikin bot ini", "yang ngelola aplikasi ini siapa": who runs the bot.
    r"|\bsiapa\s+(?:yang|yg)\s+(?:bikin|buat|membuat|bikinin|ngembangin|mengembangkan|kelola|"
    r"ngelola|mengelola|punya|pegang|megang|jawab|jawabin|bales|balas)\s+(?:\w+\s+)?"
    r"(?:bot|botnya|robot|aplikasi|layanan|chat|chatbot)\b"
    r"|\b(?:siapa\s+(?:kamu|anda|ini)|robot\s+(?:ya|kah|bukan)|bot\s+(?:ya|kah|bukan))\b"
    r"|\b(?:bicara|ngobrol|chat|bcr|ngomong|telepon|nelpon|terhubung|hubungkan|sambungkan|"
    r"dihubungkan|dihubungin|disambungkan|disambungin|tersambung)"
    r"\s+(?:\w+\s+){0,2}(?:petugas|manusia|orang|admin|operator|cs|staf|pegawai)\b"
    r"|^(?:mau|minta|ingin|pengen|bisa)\s+(?:\w+\s+){0,1}(?:petugas|operator|cs|admin)\s*(?:nya)?$"
    # "ini chat otomatis ya?", "ini dijawab mesin ya": whether a machine answers.
    r"|^(?:\w+\s+){0,1}(?:ini|kamu|km|anda)\s+(?:(?:chat|chatnya|dijawab|dibalas|dibales|jawab|"
    r"jawabnya|balasnya|balesnya|pesan|layanan|nomor|wa|bot|botnya|pakai|pake|sama|oleh|"
    r"sm|balasan|jawaban|jawabannya)\s+){0,2}(?:otomatis|mesin|robot|ai|chatbot)"
    r"(?:\s+(?:ya|yah|kah|bukan|atau\s+\w+|sih|nih))*$"
    r"|^(?:\w+\s+)?(?:admin\w*|petugas\w*|operator\w*|mimin)\s+(?:manusia|orang\s+asli|asli)"
    r"(?:\s+(?:bukan|kah|ya|atau\s+bot|atau\s+robot))*$"
)
# "maaf salah kirim", "sori kepencet", "wrong chat": a message sent by mistake. It must name
# the mistake, and every other word must be one of these or other small talk.
_OOPS = re.compile(
    r"\b(?:sal(?:ah)?\s*(?:kirim|krm|kirm|kiirm|ketik|ktk|pencet|tekan|klik|chat|cet|kontak|"
    r"orang|nomor|nomer|no|room|grup|group|grub|kamar|japri|sambung|tempat|alamat|kirim\w*)"
    r"|salkir|kepencet|kepencet\w*|ketekan|kesentuh|keteken|typo"
    r"|(?:ga|gak|gk|nggak|ngga|tidak|tdk|ndak)\s+sengaja|wrong\s+(?:chat|number|person|send)"
    r"|abaikan|diabaikan|lupakan|cuekin)\b"
)
_OOPS_WORDS = _set(
    """
    maaf mf maap mav maav mohon sori sorry sory sorri soryy afwan punten ampun salah sal kirim
    krm kirm ketik ktk pencet kepencet tekan ketekan kesentuh keteken klik chat cet kontak orang
    nomor nomer no room grup group grub kamar japri sambung tempat alamat pesan psn chatnya
    pesannya tadi td barusan yg yang ke sini sengaja ga gak gk nggak ngga tidak tdk ndak abaikan
    diabaikan aja saja sj lupakan cuekin wrong number person send sent salkir typo harap tolong
    pesanan pesanku pesan2 kirimnya ketiknya mksdnya hp jari anak
    """
)
# "tes masuk ga", "test bot aktif?": a check that the bot answers.
_TESTING = _set("tes tess test testt testing tst ping")
# "masih aktif?", "bot online ga": whether the bot is there, a check like "tes".
_ALIVE = _set("aktif online nyala idup hidup aktifkah onlinekah")
_TESTING_WORDS = _ALIVE | _set(
    """
    masuk msk nyampe sampai sampe kebaca terbaca terkirim on jalan respon
    bales balas dibalas dibales bisa ga gak kah nggak ngga apa bot sinyal satu dua tiga aja doang
    masih msh botnya ini ya yah kan sekarang skrg
    """
)
# "halo min, ada orang?": someone asking whether a person is there (the UPPG contact).
_ANYONE_WORDS = _set(
    "ada orang admin petugas operator yg yang jaga online disini sini di ga gak kah nggak ngga gk"
)
_PEOPLE = _set("orang admin petugas operator")
# Laughter typed in any length ("wkwkwk", "hahaha", "awokawok"): read as "hehe".
_LAUGH = re.compile(r"^(?:(?:wk|kw)+w?k?|(?:h[aeiou]){2,}h?|(?:a?wok)+|x+i+(?:x+i+)+|lol|lmao)$")
_MENU_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
MAX_WORDS = 12
SHORT_COMPLAINT = 5


_DOUBLED = re.compile(r"([a-z])\1+")
_KNOWN = GREETINGS | POLITE | THANKS | ACK | BYE | FILLER


def _plain(word: str) -> str:
    """A drawn-out word as it is meant ("makasihhh", "siappp", "okee"): doubled letters go
    when that gives a word the lists know and the word as typed is not one of them."""
    if _LAUGH.match(word):
        return "hehe"
    if word in _KNOWN:
        return word
    single = _DOUBLED.sub(r"\1", word)
    return single if single in _KNOWN else word


def _words(text: str) -> list[str]:
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    folded = text.casefold().replace("'", "").replace("’", "")
    return [_plain(w) for w in re.findall(r"[a-z]+", folded)]


def menu_number(text: str | None) -> int | None:
    """The number of a menu item typed on its own ("1", "2.", "3)"), or None."""
    found = _MENU_NUMBER.match(text or "")
    return int(found.group(1)) if found else None


def classify(text: str | None) -> Kind | None:
    """What a message made only of small talk is; None when it says anything else."""
    if not text or len(text) > 200:
        return None
    if menu_number(text) is not None:
        return "menu"
    words = _words(text)
    if not words:
        # Only emoji ("😊", "😭"): an acknowledgement. Only punctuation ("?"): not small talk,
        # the FAQ declines it.
        return "ack" if any(unicodedata.category(c) == "So" for c in text) else None
    if len(words) > MAX_WORDS:
        return None
    joined = " ".join(words)
    if _AT_THE_BOT.search(joined):
        return "complaint"
    if _HUMAN.search(joined):
        return "human"
    if is_complaint(text):
        # Other complaint words ("gak jelas") are answered after the FAQ, and only when the
        # FAQ has nothing better: "pengirimnya gak jelas" is a question.
        return None
    if _OOPS.search(joined) and all(w in _OOPS_WORDS or w in _KNOWN for w in words):
        return "oops"
    rest = [w for w in words if w not in GREETINGS and w not in POLITE]
    if _asks_for_anyone(rest):
        return "human"
    if set(words) & (_TESTING | _ALIVE) and all(w in _TESTING_WORDS or w in _KNOWN for w in words):
        return "greeting"
    if not rest:
        return "greeting" if any(w in GREETINGS for w in words) else None
    only_thanks = all(w in THANKS or w in ACK or w in FILLER for w in rest)
    # "terima" alone is "receive": thanks need "makasih", "thanks", "terima kasih", ...
    if only_thanks and (set(rest) & (THANKS - {"terima", "kasih"}) or _has_pair(rest)):
        return "thanks"
    if all(w in BYE or w in FILLER or w in THANKS for w in rest) and any(w in BYE for w in rest):
        return "bye"
    if any(w in ACK for w in rest) and all(w in ACK or w in FILLER for w in rest):
        return "ack"
    return None


def complains(text: str | None) -> bool:
    """Whether a message is only a complaint about the bot ("bot gak guna"): no answer to a
    form's question, whatever yes or no word it holds."""
    return classify(text) == "complaint"


def _asks_for_anyone(rest: list[str]) -> bool:
    """ "ada orang?", "ada petugas gak": whether a person is there, and nothing else."""
    said = set(rest)
    return "ada" in said and said <= _ANYONE_WORDS and bool(said & _PEOPLE)


def _has_pair(words: list[str]) -> bool:
    return any(a == "terima" and b == "kasih" for a, b in itertools.pairwise(words))


def is_complaint(text: str | None, *, suggested: bool = False) -> bool:
    """Whether a message complains about the bot or its answers.

    With `suggested` (the FAQ offered "Maksud Anda:" buttons), only a short message counts:
    a long one with a complaint word in it ("pengirimnya gak jelas, ...") is a question.
    """
    if not text or len(text) > 300:
        return False
    words = _words(text)
    if suggested and len(words) > SHORT_COMPLAINT:
        return False
    return _COMPLAINT.search(" ".join(words)) is not None
