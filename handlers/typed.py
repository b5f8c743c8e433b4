"""What people type instead of pressing a button: yes/no, "nothing to give", everyday words.

Shared by the flows, so "gk", "-" and "kondangan" mean the same in every form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

YES = {"y", "iya", "ya", "yes", "benar", "betul", "bener", "ok", "oke", "setuju", "boleh", "sip"}
NO = {"n", "no", "tidak", "tdk", "bukan", "salah", "gak", "gk", "g", "nggak", "enggak", "engga"}
NO |= {"ga", "ngga", "ndak", "tidak setuju"}
# What people type on an optional step when they have nothing to give ("-", "gk ada").
SKIP_WORDS = {"-", "--", "lewat", "lewati", "skip", "kosong", "tidak ada", "tdk ada", "gak ada"}
SKIP_WORDS |= {"gk ada", "ga ada", "nggak ada", "ngga ada", "enggak ada", "belum ada"}
SKIP_WORDS |= {"tidak punya"}
SKIP_WORDS |= {"gak punya", "gk punya", "ga punya", "bukan pns", "saya bukan pns", "nihil"}
SKIP_WORDS |= {"selesai", "tidak ada foto", "gak ada foto", "gk ada foto"}
QUESTION_WORDS = {
    "apa",
    "apakah",
    "bagaimana",
    "gimana",
    "bolehkah",
    "boleh",
    "berapa",
    "kapan",
    "siapa",
    "kenapa",
    "mengapa",
    "dimana",
    "haruskah",
    "perlukah",
    "wajibkah",
    "gmn",
    "bgmn",
    "brp",
}
# Words that make a sentence of two or more words a question: "amplop nikah wajib lapor gk".
ASKING_WORDS = {"wajib", "harus", "perlu", "kalo", "kalau", "gimana", "bagaimana", "apa"}

# Everyday words people type instead of pressing a button, by the code they mean. Matched as
# whole words in the typed answer, and only against the codes the current question offers.
TYPED_WORDS: dict[str, str] = {
    # giver relation
    "vendor": "rekanan",
    "kontraktor": "rekanan",
    "penyedia": "rekanan",
    "mitra": "rekanan",
    "pt": "rekanan",
    "cv": "rekanan",
    "bos": "atasan",
    "pimpinan": "atasan",
    "kepala": "atasan",
    "kadis": "atasan",
    "anak buah": "bawahan",
    "staf saya": "bawahan",
    "teman kantor": "rekan_kerja",
    "temen kantor": "rekan_kerja",
    "kolega": "rekan_kerja",
    "rekan": "rekan_kerja",
    "ortu": "keluarga",
    "orang tua": "keluarga",
    "mertua": "keluarga",
    "saudara": "keluarga",
    "sodara": "keluarga",
    "warga": "masyarakat",
    "tetangga": "masyarakat",
    "bank": "lainnya",
    "toko": "lainnya",
    "pemohon": "masyarakat",
    "instansi lain": "instansi_lain",
    "instansi lainnya": "instansi_lain",
    "dinas lain": "instansi_lain",
    "opd lain": "instansi_lain",
    "kantor lain": "instansi_lain",
    "pemda": "instansi_lain",
    "pemkab": "instansi_lain",
    "pemkot": "instansi_lain",
    "pemprov": "instansi_lain",
    "kementerian": "instansi_lain",
    "panitia": "instansi_lain",
    "penyelenggara": "instansi_lain",
    # occasion
    "lebaran": "hari_raya",
    "idul fitri": "hari_raya",
    "idulfitri": "hari_raya",
    "natal": "hari_raya",
    "imlek": "hari_raya",
    "thr": "hari_raya",
    "tahun baru": "hari_raya",
    "nikah": "pernikahan",
    "nikahan": "pernikahan",
    "kawinan": "pernikahan",
    "kondangan": "pernikahan",
    "resepsi": "pernikahan",
    "sunatan": "pernikahan",
    "khitanan": "pernikahan",
    "akikah": "pernikahan",
    "aqiqah": "pernikahan",
    "ultah": "ulang_tahun",
    "duka": "musibah",
    "meninggal": "musibah",
    "melayat": "musibah",
    "bencana": "musibah",
    "sakit": "musibah",
    "pisah sambut": "pisah_sambut",
    "lepas sambut": "pisah_sambut",
    "perpisahan": "pisah_sambut",
    "pensiun": "pisah_sambut",
    "purna tugas": "pisah_sambut",
    "purnatugas": "pisah_sambut",
    "purna bakti": "pisah_sambut",
    "mutasi": "pisah_sambut",
    "pindah tugas": "pisah_sambut",
    "promosi jabatan": "pisah_sambut",
    "naik jabatan": "pisah_sambut",
    "seminar": "kegiatan_resmi",
    "webinar": "kegiatan_resmi",
    "workshop": "kegiatan_resmi",
    "lokakarya": "kegiatan_resmi",
    "pelatihan": "kegiatan_resmi",
    "diklat": "kegiatan_resmi",
    "bimtek": "kegiatan_resmi",
    "rapat": "kegiatan_resmi",
    "konferensi": "kegiatan_resmi",
    "fgd": "kegiatan_resmi",
    "narsum": "kegiatan_resmi",
    "pembicara": "kegiatan_resmi",
    "pemateri": "kegiatan_resmi",
    "moderator": "kegiatan_resmi",
    "fasilitator": "kegiatan_resmi",
    "acara resmi": "kegiatan_resmi",
    "kunker": "kunjungan_dinas",
    "dinas": "kunjungan_dinas",
    "kunjungan": "kunjungan_dinas",
    "kunjungan kerja": "kunjungan_dinas",
    "perjalanan dinas": "kunjungan_dinas",
    "dinas luar": "kunjungan_dinas",
    "monev": "kunjungan_dinas",
    "juara": "lomba",
    "kompetisi": "lomba",
    "turnamen": "lomba",
    "sayembara": "lomba",
    "satyalancana": "penghargaan",
    "prestasi": "penghargaan",
    "teladan": "penghargaan",
    "promo": "promosi",
    "logo": "promosi",
    "berlogo": "promosi",
    "merchandise": "promosi",
    "doorprize": "undian",
    "door prize": "undian",
    "lucky draw": "undian",
    "giveaway": "undian",
    "kuis": "undian",
    "cashback": "undian",
    "deposito": "investasi",
    "bunga bank": "investasi",
    "bunga deposito": "investasi",
    "bunga tabungan": "investasi",
    "saham": "investasi",
    "reksadana": "investasi",
    "obligasi": "investasi",
    "shu": "koperasi",
    "korpri": "koperasi",
    "mengajar": "profesi",
    "ngajar": "profesi",
    "dosen": "profesi",
    "praktik": "profesi",
    "praktek": "profesi",
    "sampingan": "profesi",
    "makasih": "terima_kasih",
    "terimakasih": "terima_kasih",
    # object type
    "amplop": "uang",
    "duit": "uang",
    "tunai": "uang",
    "cash": "uang",
    "transfer": "uang",
    "makanan": "makanan",
    "makan": "makanan",
    "minuman": "makanan",
    "kue": "makanan",
    "parsel": "barang",
    "parcel": "barang",
    "hp": "barang",
    "handphone": "barang",
    "jam tangan": "barang",
    "tas": "barang",
    "batik": "barang",
    "emas": "barang",
    "perhiasan": "barang",
    "hampers": "makanan",
    "honor": "uang",
    "honorarium": "uang",
    "uang saku": "uang",
    "angpao": "uang",
    "angpau": "uang",
    "voucher": "voucher_tiket",
    "vocer": "voucher_tiket",
    "voucer": "voucher_tiket",
    "saldo": "voucher_tiket",
    "e money": "voucher_tiket",
    "emoney": "voucher_tiket",
    "e wallet": "voucher_tiket",
    "gopay": "voucher_tiket",
    "ovo": "voucher_tiket",
    "shopeepay": "voucher_tiket",
    "pulsa": "voucher_tiket",
    "kuota": "voucher_tiket",
    "gift card": "voucher_tiket",
    "kupon": "voucher_tiket",
    "top up": "voucher_tiket",
    "tiket": "fasilitas",
    "pesawat": "fasilitas",
    "penginapan": "fasilitas",
    "wisata": "fasilitas",
    "umroh": "fasilitas",
    "umrah": "fasilitas",
    "hotel": "fasilitas",
    "plakat": "plakat",
    "cenderamata": "plakat",
    "cinderamata": "plakat",
    "suvenir": "plakat",
    "souvenir": "plakat",
    "kenang kenangan": "plakat",
    "karangan bunga": "karangan_bunga",
    "papan bunga": "karangan_bunga",
    "bunga papan": "karangan_bunga",
    "buket": "karangan_bunga",
    "bunga": "karangan_bunga",
    "diskon": "diskon_pinjaman",
    "pinjaman": "diskon_pinjaman",
    # where the object is now
    "simpan": "disimpan_pelapor",
    "saya simpan": "disimpan_pelapor",
    "titip": "dititipkan_uppg",
    "titipkan": "dititipkan_uppg",
    "panti": "bantuan_sosial",
    "dibagikan": "bantuan_sosial",
    "kembalikan": "dikembalikan",
    "balikin": "dikembalikan",
    "dibalikin": "dikembalikan",
}


def plain(text: str) -> str:
    """Lower-case words and numbers only: "Lapor!" -> "lapor"."""
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def looks_like_question(text: str) -> bool:
    """A typed question rather than an answer ("parsel wajib lapor?", "kalo telat gimana").

    Asked only of text that did not fit the question on screen, so a question word anywhere
    in two words or more is enough; a single word ("kondangan") is an answer, not a question.
    """
    lowered = text.casefold().strip()
    words = re.findall(r"[a-z]+", lowered)
    if lowered.endswith("?") or bool(words and words[0] in QUESTION_WORDS):
        return True
    return len(words) >= 2 and any(word in QUESTION_WORDS | ASKING_WORDS for word in words)


def typed_skip(text: str) -> bool:
    """Whether typed text means "nothing to give here" ("-", "gk ada", "bukan PNS")."""
    return " ".join(text.casefold().replace(".", " ").split()) in SKIP_WORDS


def typed_words_code(text: str, options: Mapping[str, str]) -> str | None:
    """The one offered code an everyday word in the text points to ("dari vendor")."""
    padded = f" {plain(text)} "
    meant = {code for word, code in TYPED_WORDS.items() if f" {word} " in padded}
    meant &= set(options)
    return meant.pop() if len(meant) == 1 else None
