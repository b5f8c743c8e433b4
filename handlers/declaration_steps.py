"""The questions of a declaration, in order, as plain data; one store function per step.

The engine (handlers/declaration.py) walks STEPS: it asks the first step that applies and has
no answer yet, reads the reply with the step's parser (or its buttons and their synonyms), and
calls the store function of every field the reply gave. "Kembali", "Lewati", the story's
show-back and "Ubah ..." in the summary all work from this one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers import formatting, parsing, texts, vocab
from handlers.answers import AnswerKey, Answers
from handlers.context import Context
from handlers.declaration_parsers import (
    Parser,
    parse_giver_address,
    parse_giver_institution,
    parse_giver_name,
    parse_giver_position,
    parse_identity,
    parse_long_text,
    parse_money,
    parse_place,
    parse_received_date,
    parse_story,
    parse_text,
)
from handlers.declaration_store import (
    GIVER_DETAILS,
    UNKNOWN_GIVER,
    Store,
    always,
    answers,
    compensation_applies,
    giver_unknown,
    local_today,
    reason_applies,
    receiving,
    store_address,
    store_attachments,
    store_chronology,
    store_compensation,
    store_confidential,
    store_consent,
    store_date_ok,
    store_description,
    store_email,
    store_giver_address,
    store_giver_institution,
    store_giver_name,
    store_giver_position,
    store_giver_relation,
    store_jabatan,
    store_name,
    store_nik,
    store_nip,
    store_object_location,
    store_object_type,
    store_occasion,
    store_phone,
    store_reason,
    store_received_date,
    store_received_place,
    store_report_type,
    store_story,
    store_unit_kerja,
    store_value,
    store_value_ok,
)


@dataclass(frozen=True)
class Step:
    """One question: where its answer goes, how it is asked, read, shown and stored."""

    key: AnswerKey
    label: str
    prompt: str | Callable[[Context], str]
    store: Store
    parser: Parser | None = None  # None: answered with the buttons (and their synonyms)
    options: Callable[[Answers], dict[str, str]] | None = None
    words: vocab.WordTable | None = None  # what people type for each option
    yes_no: bool = False  # options are "ya" / "tidak"
    other: AnswerKey | None = None  # text outside the options: "lainnya", the text kept here
    error: str = ""  # an example, shown after what was wrong
    optional: bool = False  # "Lewati"
    unknown: bool = False  # "Tidak tahu" is an answer (stored as None)
    counted: bool = True  # shown as "Langkah N/M" and in the summary
    when: Callable[[Answers], bool] = always
    quick: tuple[str, ...] = ()  # buttons that type a common answer
    buttons: tuple[str, ...] = ()  # the options shown as buttons (all when empty)
    help: str = ""  # the answer to "X itu apa?" / "maksudnya?" at this question
    topics: tuple[str, ...] = ()  # words that name this field in a question
    long_answer: bool = False  # free text that may run long (a question needs a "?")
    # "ga tau" / "ga ada" at a question with "Lainnya": that option, with this text kept.
    unknown_other: str = ""


def _controller(ctx: Context) -> str:
    """The data controller and how to reach it, on one line ("UPPG Inspektorat, Telepon: ...")."""
    name, contact = ctx.services.uppg() if ctx.services.uppg else ("UPPG Inspektorat", "")
    lines = [line.strip() for line in contact.splitlines()[1:] if line.strip()]
    return f"{name} ({'; '.join(lines)})" if lines else f"{name}, di kantor Inspektorat"


def _consent_prompt(ctx: Context) -> str:
    # The basis is a legal obligation (UU 27/2022; reporting is required by Pasal 12C), not
    # consent: the notice informs and asks to go on, and never suggests that saying no makes
    # the report optional. The step keeps its key "consent" (the moment it was read).
    if ctx.session.data.pop("consent_brief", None):
        # Asked again right after a question about it: the notice is just above.
        return "Lanjutkan melapor, dengan pemberitahuan data pribadi di atas?"
    policy = ctx.services.policy
    return (
        "Sebelum mulai, mohon baca pemberitahuan data pribadi ini (UU 27/2022 tentang "
        "Pelindungan Data Pribadi):\n"
        "• Data: identitas Anda (nama, NIK, NIP, jabatan, unit kerja, alamat, HP, e-mail), "
        "data pemberi, dan rincian pemberian.\n"
        "• Dasar: pemenuhan kewajiban hukum, yaitu kewajiban melaporkan gratifikasi "
        "(UU 20/2001 Pasal 12C), bukan persetujuan.\n"
        "• Tujuan: memproses laporan Anda dan meneruskannya ke KPK.\n"
        "• Yang melihat: Anda, petugas UPPG, dan KPK bila diteruskan.\n"
        f"• Disimpan sampai {policy.retention_years} tahun setelah laporan selesai.\n"
        # What is not encrypted is in the privacy answer ("data saya aman?"): with it the
        # notice passes WhatsApp's 1,024 characters for a message with buttons.
        f"• Yang disimpan terenkripsi: {texts.ENCRYPTED_DATA}.\n"
        "• Hak Anda: melihat, memperbaiki, dan meminta penghapusan data sejauh diizinkan "
        "undang-undang.\n"
        f"• Pengendali data: {_controller(ctx)}.\n\n"
        "Lanjutkan melapor?"
    )


STORY_PROMPT = (
    "Ceritakan singkat pemberiannya dalam satu pesan: dari siapa (nama, jabatan, instansi), "
    "apa, kira-kira berapa nilainya, kapan, di mana, dan alasannya. Bila Anda menolaknya, "
    "tulis juga.\n"
    'Contoh: "Kemarin Pak Andi, direktur PT Maju Jaya (rekanan), memberi parsel kue '
    'kira-kira 1,5 jt di kantor sebagai ucapan terima kasih."\n'
    'Lebih suka ditanya satu per satu? Tekan "Isi per langkah".'
)


def _giver(ctx: Context) -> str:
    name = answers(ctx).get("giver_name")
    return str(name) if name and name != UNKNOWN_GIVER else "pemberi"


def _value_ok_prompt(ctx: Context) -> str:
    value = int(answers(ctx).get("value_rp") or 0)
    return f"{formatting.rupiah(value)} ({parsing.terbilang(value)} rupiah), benar?"


def _date_prompt(ctx: Context) -> str:
    verb = "ditolak" if not receiving(answers(ctx)) else "diterima"
    return (
        f"Kapan pemberian itu {verb}?\n"
        "Contoh: hari ini, kemarin sore, tgl 28, 3 hari lalu, atau 17/11/2026"
    )


def _date_ok_prompt(ctx: Context) -> str:
    a = answers(ctx)
    day = date.fromisoformat(a.get("received_date") or local_today(ctx).isoformat())
    shown = formatting.tanggal(day, weekday=True)
    if ctx.session.data.get("date_guessed"):
        this_year = formatting.tanggal(day.replace(year=day.year + 1))
        return f"Tanggal {this_year} belum lewat. Maksud Anda {shown}, benar?"
    named = ctx.session.data.get("date_named")
    if named:
        # "pas lebaran": the holiday's latest date, for the reporter to confirm or correct.
        return f"{named}: {shown}. Pemberiannya pada tanggal itu, benar?"
    return f"{shown}, benar?"


def _chronology_prompt(ctx: Context) -> str:
    asked = "Ceritakan singkat kronologinya: siapa memberi, kapan, dan bagaimana."
    notes = ctx.session.data.get("notes") or []
    if not notes:
        return asked
    kept = "; ".join(f'"{n}"' for n in notes)
    return f"{asked}\nCatatan Anda tadi ikut saya simpan di sini: {kept}"


def _value_prompt(ctx: Context) -> str:
    foreign = (ctx.session.data.get("story_meta") or {}).get("foreign")
    if foreign:
        return (
            f"Anda menyebut {foreign}. Berapa kira-kira nilainya dalam rupiah?\n"
            "Pakai kurs atau harga hari ini, misalnya 1,6 jt."
        )
    return "Berapa perkiraan nilainya dalam rupiah?"


def _attachments_prompt(ctx: Context) -> str:
    megabytes = ctx.services.policy.max_attachment_bytes / (1024 * 1024)
    # Files sent before the privacy notice was agreed to were not kept: asked for here.
    later = ctx.session.data.get("files_later")
    again = (
        f"Tadi Anda mengirim {later} berkas sebelum pemberitahuan data pribadi; "
        "mohon kirim lagi di sini.\n"
        if later and not ctx.session.data.get("files")
        else ""
    )
    return again + (
        "Kirim foto pemberian atau dokumen pendukung "
        f"(jpg, png, webp, heic, pdf; maks. {megabytes:g} MB per berkas). "
        "Boleh lebih dari satu.\nTidak ada? Tekan Lewati."
    )


SOCIAL_AID_FOOD_ONLY = (
    "Penyaluran sebagai bantuan sosial (ke panti asuhan, panti jompo, atau pihak yang "
    "membutuhkan) hanya untuk makanan atau minuman yang mudah rusak (PerKPK 2/2019 dan "
    "Surat Edaran KPK tentang gratifikasi hari raya). Pemberian lain tetap dilaporkan dan "
    "KPK yang menetapkan statusnya. Bila sudah terlanjur diserahkan, pilih Sudah "
    "terpakai/habis; cerita Anda ikut tersimpan di kronologi. Mohon konfirmasikan juga ke UPPG."
)


def _location_prompt(ctx: Context) -> str:
    asked = "Di mana objek pemberian itu sekarang?"
    if ctx.session.data.pop("aid_refused", None):
        return f"{SOCIAL_AID_FOOD_ONLY}\n\n{asked}"
    return asked


def _locations(a: Answers) -> dict[str, str]:
    if a.get("object_type") == "makanan":
        return vocab.OBJECT_LOCATIONS
    # Passing a gift on as social aid is for perishable food only (social_aid_applies).
    return {k: v for k, v in vocab.OBJECT_LOCATIONS.items() if k != "bantuan_sosial"}


def _fixed(options: dict[str, str]) -> Callable[[Answers], dict[str, str]]:
    return lambda a: options


COMPENSATION_WARNING = (
    "Perhatian: permintaan kompensasi yang sudah disetujui KPK tidak dapat ditarik kembali."
)
STEPS: tuple[Step, ...] = (
    Step(
        "consent",
        "Pemberitahuan data pribadi",
        _consent_prompt,
        store_consent,
        options=_fixed({"ya": "Ya, lanjutkan", "tidak": "Nanti saja"}),
        # Typed answers: "setuju" and "lanjutkan" go on; "nanti aja" stops for now.
        words={
            "ya": ("lanjutkan", "lanjut isi", "sudah baca", "sudah dibaca", "udah baca"),
            "tidak": ("nanti saja", "nanti aja", "lain kali", "batal", "ga jadi", "tidak jadi"),
        },
        yes_no=True,
        counted=False,
        help="Data Anda diproses karena melaporkan gratifikasi adalah kewajiban hukum (Pasal 12C "
        "UU 20/2001); pemberitahuan ini menjelaskan apa yang terjadi dengan data itu. Bila tidak "
        "melapor lewat bot, kewajiban lapor tetap ada: langsung ke UPPG atau ke KPK "
        "(Gratifikasi Online).",
        topics=("persetujuan", "setuju", "data pribadi"),
    ),
    Step(
        "story",
        "Cerita",
        STORY_PROMPT,
        store_story,
        parse_story,
        counted=False,
        long_answer=True,
        help="Cukup ceritakan dengan kata-kata Anda sendiri, seperti bercerita ke teman. "
        "Yang belum tersebut akan saya tanyakan satu per satu.",
        topics=("cerita", "ceritakan"),
    ),
    Step(
        "report_type",
        "Jenis laporan",
        "Apa jenis laporan Anda?\n"
        "• Penerimaan: Anda sudah menerima pemberian.\n"
        "• Penolakan: Anda menolak pemberian.",
        store_report_type,
        options=_fixed(vocab.REPORT_TYPES),
        words=vocab.REPORT_TYPE_WORDS,
        help="Penerimaan: pemberian sudah Anda terima. Penolakan: Anda menolaknya. "
        "Keduanya dapat dilaporkan.",
        topics=("jenis laporan", "penerimaan", "penolakan"),
    ),
    Step(
        "giver_name",
        "Nama pemberi",
        "Siapa yang memberi? Tulis nama, jabatan dan instansinya bila tahu.\n"
        "Contoh: Andi Wijaya, Direktur PT Maju Jaya",
        store_giver_name,
        parse_giver_name,
        error="Contoh: Andi Wijaya, Direktur PT Maju Jaya",
        unknown=True,
        help="Tulis nama orang yang memberi. Bila tidak tahu nama lengkapnya, tulis nama "
        "panggilannya, misalnya Pak Andi. Bila sama sekali tidak tahu siapa pemberinya, tekan "
        '"Tidak tahu".',
        topics=("nama pemberi", "pemberi", "pemberinya"),
    ),
    Step(
        "giver_position",
        "Jabatan pemberi",
        lambda ctx: f"Apa jabatan atau pekerjaan {_giver(ctx)}?",
        store_giver_position,
        parse_giver_position,
        error="Contoh: Direktur, staf pemasaran, kepala sekolah",
        unknown=True,
        help="Jabatan atau pekerjaan pemberi, misalnya Direktur PT atau staf pemasaran. "
        'Bila tidak tahu, tekan "Tidak tahu".',
        topics=("jabatan pemberi", "pekerjaan"),
    ),
    Step(
        "giver_institution",
        "Instansi pemberi",
        lambda ctx: f"Dari instansi atau perusahaan apa {_giver(ctx)}?\nPerorangan? Tekan Lewati.",
        store_giver_institution,
        parse_giver_institution,
        error="Contoh: PT Maju Jaya",
        optional=True,
        unknown=True,
        help='Kantor, perusahaan atau organisasi pemberi. Bila pemberi perorangan, tekan "Lewati".',
        topics=("instansi pemberi", "perusahaan"),
    ),
    Step(
        "giver_address",
        "Alamat pemberi",
        lambda ctx: f"Di mana alamat {_giver(ctx)} (kantor atau rumah)?",
        store_giver_address,
        parse_giver_address,
        error="Contoh: Jl. Sudirman No. 10, Bandung",
        unknown=True,
        help="Alamat pemberi termasuk isi minimal laporan menurut UU 30/2002 Pasal 16. "
        'Alamat kantornya pun cukup. Bila tidak tahu, tekan "Tidak tahu".',
        topics=("alamat pemberi", "alamatnya"),
    ),
    Step(
        "giver_relation",
        "Hubungan pemberi",
        lambda ctx: f"Apa hubungan {_giver(ctx)} dengan Anda atau kantor Anda?",
        store_giver_relation,
        options=_fixed(vocab.GIVER_RELATIONS),
        words=vocab.GIVER_RELATION_WORDS,
        help="Rekanan/vendor: pihak luar yang menjual barang atau jasa ke kantor Anda atau "
        "ikut pengadaan. Rekan kerja: sesama pegawai. Atasan dan bawahan: dalam garis kerja "
        "Anda. Masyarakat: orang yang Anda layani, misalnya pemohon izin atau wali murid. "
        "Pilih yang paling dekat.",
        topics=("hubungan", "hubungannya", "rekanan", "rekan kerja", "vendor", "bawahan"),
    ),
    Step(
        "occasion",
        "Peristiwa",
        "Dalam rangka apa pemberian itu?\n"
        "Tidak ada di tombol? Ketik saja acaranya, misalnya lomba, doorprize, atau pelantikan.",
        store_occasion,
        options=_fixed(vocab.OCCASIONS),
        # The rarer occasions are typed, not shown: ten buttons fit a WhatsApp list.
        buttons=tuple(c for c in vocab.OCCASIONS if c not in vocab.MORE_OCCASIONS[:-1]),
        words=vocab.OCCASION_WORDS,
        other="occasion_other",
        unknown_other="Tidak ada acara khusus / tidak diketahui",
        help="Acara atau keperluan saat pemberian diberikan, misalnya lebaran, pernikahan, "
        "kunjungan dinas. Bila tidak ada di tombol, ketik saja acaranya.",
        topics=("rangka", "peristiwa", "acara", "acaranya"),
    ),
    Step(
        "reason",
        "Alasan pemberian",
        "Apa alasan pemberian itu, menurut pemberi atau menurut Anda?\n"
        "Contoh: ucapan terima kasih karena izinnya sudah terbit",
        store_reason,
        parse_text("reason", 3, 500),
        error="Contoh: ucapan terima kasih karena izinnya sudah terbit",
        unknown=True,
        when=reason_applies,
        help="Alasan pemberian termasuk isi laporan di formulir UPPG. Tulis yang Anda "
        'ketahui; bila tidak tahu, tekan "Tidak tahu".',
        topics=("alasan", "alasannya"),
    ),
    Step(
        "object_type",
        "Jenis objek",
        "Apa jenis pemberiannya?",
        store_object_type,
        options=_fixed(vocab.OBJECT_TYPES),
        words=vocab.OBJECT_TYPE_WORDS,
        other="object_type_other",
        help="Bentuk pemberiannya: uang (termasuk transfer), barang, makanan, voucher atau "
        "tiket, fasilitas seperti hotel, atau diskon dan pinjaman.",
        topics=("jenis", "jenis pemberian", "objek"),
    ),
    Step(
        "description",
        "Uraian objek",
        "Jelaskan pemberiannya secara singkat.",
        store_description,
        parse_long_text("description", 3, 1000),
        error="Contoh: parsel berisi kue kering dan sirup, 1 paket",
        long_answer=True,
        help="Cukup singkat: apa, berapa banyak, mereknya bila ada. Contoh: jam tangan "
        "merek Seiko, 1 buah.",
        topics=("uraian", "detail", "jelaskan", "rinci"),
    ),
    Step(
        "value_rp",
        "Perkiraan nilai",
        _value_prompt,
        store_value,
        parse_money,
        error="Contoh: 1.500.000, 1,5 jt, atau 500rb",
        help="Tulis perkiraan nilai dalam rupiah. Bila tidak tahu pasti, perkirakan harga "
        "pasarnya, misalnya 500rb. Untuk mata uang asing atau emas, hitung dengan kurs "
        "atau harga hari ini.",
        topics=("nilai", "nilainya", "harga", "harganya", "rupiah", "perkiraan"),
    ),
    Step(
        "value_ok",
        "Nilai benar",
        _value_ok_prompt,
        store_value_ok,
        options=_fixed({"ya": "Ya, benar", "tidak": "Bukan, ulangi"}),
        yes_no=True,
        counted=False,
        when=lambda a: "value_rp" in a,
    ),
    Step(
        "received_date",
        "Tanggal",
        _date_prompt,
        store_received_date,
        parse_received_date,
        error="Contoh: kemarin, tgl 28, 17/11/2026, atau 17 November 2026",
        quick=("Hari ini", "Kemarin"),
        help="Tanggal Anda menerima (atau menolak) pemberian; batas waktu lapor dihitung "
        "dari tanggal ini. Bila lupa, tulis tanggal yang paling mendekati.",
        topics=("tanggal", "tanggalnya", "tgl", "kapan", "hari"),
    ),
    Step(
        "date_ok",
        "Tanggal benar",
        _date_ok_prompt,
        store_date_ok,
        options=_fixed({"ya": "Ya, benar", "tidak": "Bukan, ulangi"}),
        yes_no=True,
        counted=False,
        when=lambda a: "received_date" in a,
    ),
    Step(
        "received_place",
        "Tempat",
        "Di mana pemberian itu terjadi?",
        store_received_place,
        parse_place,
        error="Contoh: di kantor Dinas Pendidikan",
        help="Tempat pemberian diserahkan, misalnya di kantor, di rumah, atau di restoran.",
        topics=("tempat", "lokasi", "tempatnya"),
    ),
    Step(
        "chronology",
        "Kronologi",
        _chronology_prompt,
        store_chronology,
        parse_long_text("chronology", 10, 4000),
        error="Contoh: Pak Andi datang ke kantor membawa parsel setelah rapat proyek.",
        long_answer=True,
        help="Urutan kejadiannya secara singkat: siapa datang, kapan, apa yang diberikan, "
        "dan apa yang dikatakan.",
        topics=("kronologi", "kronologinya"),
    ),
    Step(
        "object_location",
        "Posisi objek",
        _location_prompt,
        store_object_location,
        options=_locations,
        words=vocab.OBJECT_LOCATION_WORDS,
        when=receiving,
        help="Posisi objek saat ini: masih Anda simpan, dititipkan ke UPPG, disalurkan "
        "sebagai bantuan sosial (makanan), dikembalikan, atau sudah habis terpakai.",
        topics=("posisi", "sekarang", "disimpan", "titip"),
    ),
    Step(
        "compensation",
        "Kompensasi",
        "Bila KPK menetapkannya milik negara, apakah Anda ingin tetap memiliki objek ini "
        f"dengan membayar nilainya (kompensasi)?\n{COMPENSATION_WARNING}",
        store_compensation,
        options=_fixed({"ya": "Ya", "tidak": "Tidak"}),
        words=vocab.COMPENSATION_WORDS,
        yes_no=True,
        when=compensation_applies,
        help="Kompensasi: bila KPK menetapkan objek menjadi milik negara, Anda dapat tetap "
        "memilikinya dengan menyetor nilainya ke kas negara. "
        f"{COMPENSATION_WARNING}",
        topics=("kompensasi", "tebus", "menebus", "bayar"),
    ),
    Step(
        "name",
        "Nama",
        "Sekarang data diri Anda. Siapa nama lengkap Anda (sesuai KTP)?\n"
        "Boleh sekalian NIK, NIP, jabatan dan unit kerja dalam satu pesan, misalnya:\n"
        '"Budi Santoso, NIK 3201011505900001, NIP 199005152015031001, Analis Keuangan '
        'di Dinas Pendidikan"',
        store_name,
        parse_identity("name"),
        error="Contoh: Budi Santoso",
        help="Tulis nama lengkap sesuai KTP. Gelar boleh ditulis, boleh tidak; nama "
        "panggilan saja belum cukup.",
        topics=("nama", "nama lengkap", "gelar", "nama panggilan"),
    ),
    Step(
        "nik",
        "NIK",
        "Berapa NIK Anda? (16 angka di KTP)",
        store_nik,
        parse_identity("nik"),
        error="Contoh: 3201011505900001",
        help="NIK (Nomor Induk Kependudukan) adalah 16 angka di KTP Anda. Laporan "
        "gratifikasi wajib memuat identitas pelapor; NIK disimpan terenkripsi.",
        topics=("nik", "ktp", "nomor induk kependudukan"),
    ),
    Step(
        "nip",
        "NIP",
        "Berapa NIP Anda? (18 angka)\nPPPK boleh menulis NI PPPK. Honorer atau bukan ASN? "
        "Tekan Lewati.",
        store_nip,
        parse_identity("nip"),
        error="Contoh: 199005152015031001",
        optional=True,
        help="NIP adalah 18 angka nomor induk PNS. PPPK juga ASN dan wajib melapor; tulis "
        'NI PPPK Anda. Honorer atau pegawai non-ASN cukup tekan "Lewati".',
        topics=("nip", "pppk", "ni pppk", "honorer", "nomor induk pegawai"),
    ),
    Step(
        "jabatan",
        "Jabatan",
        "Apa jabatan Anda?",
        store_jabatan,
        parse_identity("jabatan"),
        error="Contoh: Analis Keuangan",
        help="Tulis jabatan Anda seperti di SK, misalnya Staf Bagian Umum atau Kepala Seksi "
        "Perencanaan. Singkatan boleh; tidak harus lengkap.",
        topics=("jabatan", "jabatannya", "posisi saya"),
    ),
    Step(
        "unit_kerja",
        "Unit kerja",
        "Di unit kerja atau perangkat daerah mana Anda bertugas?",
        store_unit_kerja,
        parse_identity("unit_kerja"),
        error="Contoh: Dinas Pendidikan",
        help="Unit kerja adalah kantor atau perangkat daerah tempat Anda bertugas, misalnya "
        "Dinas Pendidikan, Bappeda, atau Kecamatan Cibinong.",
        topics=("unit kerja", "unit", "opd", "perangkat daerah", "instansi saya"),
    ),
    Step(
        "address",
        "Alamat",
        "Di mana alamat tempat tinggal Anda?",
        store_address,
        parse_identity("address"),
        error="Contoh: Jl. Merdeka No. 5, RT 01/RW 02, Kel. Sukamaju",
        help="Alamat tempat tinggal Anda (sesuai KTP atau domisili). Disimpan terenkripsi "
        "dan hanya untuk UPPG dan KPK.",
        topics=("alamat", "domisili", "alamat rumah"),
    ),
    Step(
        "phone",
        "Nomor HP",
        "Berapa nomor HP/WhatsApp Anda?",
        store_phone,
        parse_identity("phone"),
        error="Contoh: 0812 3456 7890",
        help="Nomor HP yang dapat dihubungi UPPG, sebaiknya yang ada WhatsApp-nya. "
        "Disimpan terenkripsi.",
        topics=("hp", "nomor hp", "wa", "whatsapp", "telepon", "nomor"),
    ),
    Step(
        "email",
        "E-mail",
        "Apa alamat e-mail Anda?\nTidak ada? Tekan Lewati.",
        store_email,
        parse_identity("email"),
        error="Contoh: nama@contoh.go.id",
        optional=True,
        help="E-mail tidak wajib; UPPG dapat memakainya untuk mengirim kabar. Tidak punya? "
        "Tekan Lewati.",
        topics=("email", "e mail", "surel"),
    ),
    Step(
        "confidential",
        "Identitas dirahasiakan",
        "Ingin identitas Anda dirahasiakan?\n"
        "UPPG menjaga kerahasiaan pelapor, kecuali untuk proses peradilan "
        "atau atas persetujuan Anda.",
        store_confidential,
        options=_fixed({"ya": "Ya, rahasiakan", "tidak": "Tidak perlu"}),
        words=vocab.CONFIDENTIAL_WORDS,
        yes_no=True,
        help="Bila dirahasiakan, UPPG tidak membuka nama Anda kepada pihak lain, termasuk "
        "di rekap dan ekspor. Laporan tetap atas nama Anda (tidak anonim).",
        topics=(
            "rahasia",
            "dirahasiakan",
            "kerahasiaan",
            "anonim",
            "identitas",
            "ketahuan",
            "bakal tau",
            "bakal tahu",
            "akan tahu",
        ),
    ),
    Step(
        "attachments",
        "Lampiran",
        _attachments_prompt,
        store_attachments,
        error='Silakan kirim foto atau dokumen, lalu tekan "Selesai". Tidak ada? Tekan "Lewati".',
        optional=True,
        help="Foto pemberian atau dokumen pendukung membantu UPPG, tetapi tidak wajib. "
        "Tidak ada foto bukan alasan untuk tidak melapor.",
        topics=("foto", "lampiran", "dokumen", "bukti"),
    ),
)
BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
IDENTITY_STEPS = ("name", "nik", "nip", "jabatan", "unit_kerja", "address", "phone", "email")


def applicable(a: Answers) -> list[Step]:
    return [step for step in STEPS if step.when(a)]


def counted(a: Answers) -> list[Step]:
    return [step for step in applicable(a) if step.counted]


def first_missing(a: Answers) -> Step | None:
    """The first question that applies and has no answer yet (None: go to the summary)."""
    return next((step for step in applicable(a) if step.key not in a), None)


# Relations whose giver is a private person: the institution is not asked (the summary shows
# "Perorangan", changeable there).
PRIVATE_RELATIONS = ("keluarga", "masyarakat")
PRIVATE_GIVER = "Perorangan"
# What the summary says under an answer that was defaulted, not asked.
DEFAULT_NOTES: dict[str, str] = {
    "giver_institution": 'dari instansi atau perusahaan? pilih "Ubah jawaban"',
    "compensation": 'tidak meminta; ingin menebus objeknya? pilih "Ubah jawaban"',
}
# Under the summary while the attachments were defaulted and none was sent: close to the
# buttons, where a phone shows it (a long summary goes out in parts on WhatsApp).
FILES_INVITE = (
    'Ada foto pemberian atau dokumen pendukung? Kirim sekarang, sebelum menekan "Benar, kirim".'
)


def default_answer(step: Step, a: Answers, files_lost: bool) -> tuple[bool, Any]:
    """Whether a question can go unasked with a default the summary shows (and its value).

    Only answers that commit the reporter to nothing and are no personal data: the
    institution of a private giver (relation keluarga or masyarakat, none named), no
    compensation request (an approved one cannot be withdrawn, so "no" is the safe side),
    and the attachments (files are taken at any time, the summary asks for them); never
    the reporter's identity, NIK, phone or e-mail."""
    if step.key == "giver_institution":
        private = a.get("giver_relation") in PRIVATE_RELATIONS and a.get("giver_name")
        return bool(private), None
    if step.key == "compensation":
        return True, False
    if step.key == "attachments":
        # Files sent before the privacy notice were not kept: then the step asks for them.
        return not files_lost, None
    return False, None


def mask_nik(nik: str) -> str:
    return nik[:4] + "********" + nik[-4:] if len(nik) == 16 else nik


# How each of the giver's details is named in one line about an unknown giver.
_UNKNOWN_PARTS = {
    "giver_name": "nama",
    "giver_position": "jabatan",
    "giver_institution": "instansi",
    "giver_address": "alamat",
    "giver_relation": "hubungan",
}


def shown_lines(keys: list[AnswerKey], a: Answers) -> list[str]:
    """ "• Label: answer" for each key (an unknown giver in one line, see fold_unknown_giver)."""
    return fold_unknown_giver(
        [(key, f"• {BY_KEY[key].label}: {shown(BY_KEY[key], a)}") for key in keys], a
    )


def fold_unknown_giver(lines: list[tuple[AnswerKey, str]], a: Answers) -> list[str]:
    """The lines, with those of a giver the reporter does not know made one ("• Pemberi:
    Tidak diketahui (nama, jabatan, ...)"), not five alike on a phone screen."""
    if not giver_unknown(a):
        return [line for _, line in lines]
    folded = [
        k for k, _ in lines if k == "giver_name" or (k in _UNKNOWN_PARTS and k in a and not a[k])
    ]
    if len(folded) < 2:
        return [line for _, line in lines]
    parts = ", ".join(_UNKNOWN_PARTS[k] for k in folded)
    out = []
    for key, line in lines:
        if key not in folded:
            out.append(line)
        elif key == folded[0]:
            out.append(f"• Pemberi: {UNKNOWN_GIVER} ({parts})")
    return out


def shown(step: Step, a: Answers) -> str:
    """An answer as the summary shows it."""
    value: Any = a.get(step.key)
    if step.key in GIVER_DETAILS and step.key in a and not value and giver_unknown(a):
        return UNKNOWN_GIVER
    if step.key in ("giver_position", "giver_address", "reason") and step.key in a and not value:
        return "Tidak tahu"
    if step.key == "giver_institution" and step.key in a and not value:
        return PRIVATE_GIVER if a.get("giver_relation") in PRIVATE_RELATIONS else "-"
    if value is None or value == "":
        return "-"
    if step.key == "nik":
        return mask_nik(str(value))
    if step.key == "value_rp":
        return formatting.rupiah(int(value))
    if step.key == "received_date":
        return formatting.tanggal(date.fromisoformat(value), weekday=True)
    if step.key == "attachments":
        return f"{len(value)} berkas" if value else "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if step.options is not None:
        label = step.options(a).get(str(value), str(value))
        other = a.get(step.other) if step.other else None
        return f"{label}: {other}" if value == "lainnya" and other else label
    return str(value)
