"""The questions of a declaration, in order, as plain data; one store function per step.

The engine (handlers/declaration.py) walks STEPS: it asks the first step that applies and has
no answer yet, parses the reply with the step's parser, and calls the step's store function.
"Kembali", "Lewati" and "Ubah ..." in the summary all work from this one table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers import formatting, parsing, vocab
from handlers.context import Context
from handlers.deadlines import kpk_due

Answers = dict[str, Any]
END = "__end__"  # a store function's way to say "the flow is over"


@dataclass(frozen=True)
class Invalid:
    """A reply that could not be used, with the reason for the user."""

    message: str


Parser = Callable[[Context, str], Any]  # the parsed value, Invalid, or None
Store = Callable[[Context, Any], Awaitable[str | None]]  # None, END, or a step key to go to


def answers(ctx: Context) -> Answers:
    a: Answers = ctx.session.data.setdefault("a", {})
    return a


def _always(a: Answers) -> bool:
    return True


def _penerimaan(a: Answers) -> bool:
    return a.get("report_type") != "penolakan"


def _compensation_applies(a: Answers) -> bool:
    """Keeping the object by paying its value: not for cash, food given away, or returns."""
    gone = a.get("object_location") in ("bantuan_sosial", "dikembalikan")
    return _penerimaan(a) and a.get("object_type") != "uang" and not gone


YES_NO = {"ya": "Ya", "tidak": "Tidak"}


@dataclass(frozen=True)
class Step:
    """One question: where its answer goes, how it is asked, read, shown and stored."""

    key: str
    label: str
    prompt: str | Callable[[Context], str]
    store: Store
    parser: Parser | None = None  # None: answered with the buttons only
    options: Callable[[Answers], dict[str, str]] | None = None
    error: str = ""
    optional: bool = False
    counted: bool = True  # shown as "Langkah N/M" and in the summary
    when: Callable[[Answers], bool] = _always
    quick: tuple[str, ...] = ()  # buttons that type a common answer


# --- parsers ---------------------------------------------------------------------------------


def _text(min_len: int, max_len: int) -> Parser:
    def parse(ctx: Context, text: str) -> Any:
        cleaned = " ".join(text.split())
        if cleaned.endswith("?"):
            return Invalid("Sepertinya itu pertanyaan, bukan jawaban.")
        if len(cleaned) < min_len:
            return Invalid("Jawabannya terlalu pendek.")
        if len(cleaned) > max_len:
            return Invalid(f"Jawabannya terlalu panjang (maksimal {max_len} huruf).")
        return cleaned

    return parse


def _nik(ctx: Context, text: str) -> Any:
    problem = parsing.nik_problem(text)
    return Invalid(problem) if problem else parsing.parse_nik(text)


def _nip(ctx: Context, text: str) -> Any:
    problem = parsing.nip_problem(text, ctx.now.date())
    return Invalid(problem) if problem else parsing.parse_nip(text, ctx.now.date())


def _phone(ctx: Context, text: str) -> Any:
    return parsing.parse_phone(text)


def _email(ctx: Context, text: str) -> Any:
    return parsing.parse_email(text)


def _money(ctx: Context, text: str) -> Any:
    money = parsing.parse_money(text)
    if money is not None and money.value == 0:
        return Invalid("Nilainya harus lebih dari nol. Bila tidak tahu pasti, tulis perkiraan.")
    return money


def _date(ctx: Context, text: str) -> Any:
    today = ctx.now.astimezone(ctx.services.policy.timezone).date()
    found = parsing.parse_date(text, today)
    if " ".join(text.casefold().split()) in parsing.VAGUE_DATES:
        return Invalid("Mohon tulis tanggalnya agar batas waktunya tepat.")
    if found is not None and found > today:
        return Invalid("Tanggal itu belum lewat. Tanggal diterima tidak boleh di masa depan.")
    return found


# --- store functions (one per step) ----------------------------------------------------------


async def store_report_type(ctx: Context, value: Any) -> str | None:
    """Stores penerimaan or penolakan and moves on to the consent or the reporter."""
    answers(ctx)["report_type"] = value
    return None


async def store_consent(ctx: Context, value: Any) -> str | None:
    """Remembers consent (or ends the flow politely without it)."""
    if value != "ya":
        return END
    moment = ctx.now.isoformat(timespec="seconds")
    answers(ctx)["consent"] = moment
    ctx.session.memo["consent_at"] = moment
    return None


async def store_use_profile(ctx: Context, value: Any) -> str | None:
    """Copies the saved profile into the form, or lets the reporter type it again."""
    a = answers(ctx)
    a["use_profile"] = value == "ya"
    ports = ctx.services.declarations
    profile = await ports.load_profile(ctx.user_key) if value == "ya" and ports else None
    if profile:
        for key in ("name", "nik", "nip", "jabatan", "unit_kerja", "address", "phone", "email"):
            a[key] = profile.get(key)
    return None


async def store_name(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's name and asks for the NIK."""
    answers(ctx)["name"] = value
    return None


async def store_nik(ctx: Context, value: Any) -> str | None:
    """Stores the NIK and asks for the NIP."""
    answers(ctx)["nik"] = value
    return None


async def store_nip(ctx: Context, value: Any) -> str | None:
    """Stores the NIP (None for non-PNS) and asks for the position."""
    answers(ctx)["nip"] = value
    return None


async def store_jabatan(ctx: Context, value: Any) -> str | None:
    """Stores the position and asks for the work unit."""
    answers(ctx)["jabatan"] = value
    return None


async def store_unit_kerja(ctx: Context, value: Any) -> str | None:
    """Stores the work unit and asks for the address."""
    answers(ctx)["unit_kerja"] = value
    return None


async def store_address(ctx: Context, value: Any) -> str | None:
    """Stores the address and asks for the phone number."""
    answers(ctx)["address"] = value
    return None


async def store_phone(ctx: Context, value: Any) -> str | None:
    """Stores the phone number (+62...) and asks for the e-mail."""
    answers(ctx)["phone"] = value
    return None


async def store_email(ctx: Context, value: Any) -> str | None:
    """Stores the e-mail (optional) and asks about confidentiality."""
    answers(ctx)["email"] = value
    return None


async def store_confidential(ctx: Context, value: Any) -> str | None:
    """Stores the confidentiality wish and asks about the giver."""
    answers(ctx)["confidential"] = value == "ya"
    return None


async def store_giver_name(ctx: Context, value: Any) -> str | None:
    """Stores the giver's name and asks for the institution."""
    answers(ctx)["giver_name"] = value
    return None


async def store_giver_institution(ctx: Context, value: Any) -> str | None:
    """Stores the giver's institution (optional) and asks for the relation."""
    answers(ctx)["giver_institution"] = value
    return None


async def store_giver_relation(ctx: Context, value: Any) -> str | None:
    """Stores the giver's relation and asks for the occasion."""
    answers(ctx)["giver_relation"] = value
    return None


async def store_occasion(ctx: Context, value: Any) -> str | None:
    """Stores the occasion and asks for the object type."""
    answers(ctx)["occasion"] = value
    return None


async def store_object_type(ctx: Context, value: Any) -> str | None:
    """Stores the object type and asks for a description."""
    a = answers(ctx)
    a["object_type"] = value
    if value != "makanan" and a.get("object_location") == "bantuan_sosial":
        a.pop("object_location")  # only food goes to social aid: ask again
    if not _compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_description(ctx: Context, value: Any) -> str | None:
    """Stores the description and asks for the value."""
    answers(ctx)["description"] = value
    return None


async def store_value(ctx: Context, value: Any) -> str | None:
    """Stores the amount; asks to confirm it when it was not typed in full."""
    a = answers(ctx)
    a["value_rp"] = value.value
    if value.exact:
        a["value_ok"] = True
    else:
        a.pop("value_ok", None)
    return None


async def store_value_ok(ctx: Context, value: Any) -> str | None:
    """Confirms the amount, or asks for it again."""
    a = answers(ctx)
    if value == "ya":
        a["value_ok"] = True
        return None
    a.pop("value_rp", None)
    a.pop("value_ok", None)
    return "value_rp"


async def store_received_date(ctx: Context, value: Any) -> str | None:
    """Stores the date, warns when it is past the legal window, and tracks the draft."""
    received: date = value
    answers(ctx)["received_date"] = received.isoformat()
    policy = ctx.services.policy
    today = ctx.now.astimezone(policy.timezone).date()
    a = answers(ctx)
    if _penerimaan(a) and today > kpk_due(received, policy):
        ctx.say(
            "Catatan: tanggal itu sudah lebih dari 30 hari kerja yang lalu.\n"
            "Laporan tetap bisa dikirim; penjelasannya ada di tanda terima nanti."
        )
    ports = ctx.services.declarations
    if ports is not None:
        await ports.track_draft(
            user_key=ctx.user_key,
            channel=ctx.incoming.channel,
            chat_id=ctx.incoming.chat_id,
            received_date=received,
        )
    return None


async def store_received_place(ctx: Context, value: Any) -> str | None:
    """Stores the place and asks for the chronology."""
    answers(ctx)["received_place"] = value
    return None


async def store_chronology(ctx: Context, value: Any) -> str | None:
    """Stores the chronology and asks where the object is now."""
    answers(ctx)["chronology"] = value
    return None


async def store_object_location(ctx: Context, value: Any) -> str | None:
    """Stores where the object is and asks about compensation (if it can apply)."""
    a = answers(ctx)
    a["object_location"] = value
    if not _compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_compensation(ctx: Context, value: Any) -> str | None:
    """Stores the compensation wish and asks for attachments."""
    answers(ctx)["compensation"] = value == "ya"
    return None


async def store_attachments(ctx: Context, value: Any) -> str | None:
    """Keeps the files collected so far as the answer and goes to the summary."""
    answers(ctx)["attachments"] = list(value or [])
    return None


# --- prompts that depend on earlier answers --------------------------------------------------


def _consent_prompt(ctx: Context) -> str:
    years = ctx.services.policy.retention_years
    return (
        "Sebelum mulai, mohon baca pemberitahuan data pribadi ini:\n"
        "• Data yang diminta: nama, NIK, NIP, jabatan, unit kerja, alamat, nomor HP, "
        "e-mail, dan rincian pemberian.\n"
        "• Tujuannya: memproses laporan gratifikasi Anda dan meneruskannya ke KPK.\n"
        "• Yang dapat melihat: Anda dan petugas UPPG (serta KPK bila diteruskan).\n"
        f"• Lama disimpan: {years} tahun. NIK, alamat dan nomor HP disimpan terenkripsi.\n"
        "(UU 27/2022 tentang Pelindungan Data Pribadi)\n\n"
        "Apakah Anda setuju?"
    )


def _profile_prompt(ctx: Context) -> str:
    name = answers(ctx).get("_profile") or "-"
    return f"Gunakan data pelapor Anda sebelumnya?\nNama: {name}"


def _value_ok_prompt(ctx: Context) -> str:
    value = int(answers(ctx).get("value_rp") or 0)
    return f"{formatting.rupiah(value)} ({parsing.terbilang(value)} rupiah), benar?"


def _date_prompt(ctx: Context) -> str:
    verb = "ditolak" if not _penerimaan(answers(ctx)) else "diterima"
    return (
        f"Kapan pemberian itu {verb}?\n"
        "Contoh: hari ini, kemarin, 3 hari lalu, 17/11/2026, atau 17 November"
    )


def _attachments_prompt(ctx: Context) -> str:
    megabytes = ctx.services.policy.max_attachment_bytes / (1024 * 1024)
    return (
        "Kirim foto pemberian atau dokumen pendukung "
        f"(jpg, png, webp, heic, pdf; maks. {megabytes:g} MB per berkas). "
        "Boleh lebih dari satu.\nTidak ada? Tekan Lewati."
    )


def _locations(a: Answers) -> dict[str, str]:
    if a.get("object_type") == "makanan":
        return vocab.OBJECT_LOCATIONS
    # Passing a gift on as social aid is for perishable food only.
    return {k: v for k, v in vocab.OBJECT_LOCATIONS.items() if k != "bantuan_sosial"}


def _fixed(options: dict[str, str]) -> Callable[[Answers], dict[str, str]]:
    return lambda a: options


STEPS: tuple[Step, ...] = (
    Step(
        "report_type",
        "Jenis laporan",
        "Apa jenis laporan Anda?\n"
        "• Penerimaan: Anda sudah menerima pemberian.\n"
        "• Penolakan: Anda menolak pemberian.",
        store_report_type,
        options=_fixed(vocab.REPORT_TYPES),
    ),
    Step(
        "consent",
        "Persetujuan",
        _consent_prompt,
        store_consent,
        options=_fixed({"ya": "Ya, saya setuju", "tidak": "Tidak setuju"}),
        counted=False,
    ),
    Step(
        "use_profile",
        "Data sebelumnya",
        _profile_prompt,
        store_use_profile,
        options=_fixed({"ya": "Ya, gunakan", "tidak": "Tidak, isi ulang"}),
        counted=False,
        when=lambda a: bool(a.get("_profile")),
    ),
    Step(
        "name",
        "Nama",
        "Siapa nama lengkap Anda (sesuai KTP)?",
        store_name,
        _text(3, 200),
        error="Contoh: Budi Santoso",
    ),
    Step(
        "nik",
        "NIK",
        "Berapa NIK Anda? (16 angka di KTP)",
        store_nik,
        _nik,
        error="Contoh: 3201011505900001",
    ),
    Step(
        "nip",
        "NIP",
        "Berapa NIP Anda? (18 angka)\nBukan PNS? Tekan Lewati.",
        store_nip,
        _nip,
        error="Contoh: 199005152015031001",
        optional=True,
    ),
    Step(
        "jabatan",
        "Jabatan",
        "Apa jabatan Anda?",
        store_jabatan,
        _text(2, 200),
        error="Contoh: Analis Keuangan",
    ),
    Step(
        "unit_kerja",
        "Unit kerja",
        "Di unit kerja atau perangkat daerah mana Anda bertugas?",
        store_unit_kerja,
        _text(2, 200),
        error="Contoh: Dinas Pendidikan",
    ),
    Step(
        "address",
        "Alamat",
        "Di mana alamat lengkap Anda?",
        store_address,
        _text(8, 300),
        error="Contoh: Jl. Merdeka No. 5, RT 01/RW 02, Kel. Sukamaju",
    ),
    Step(
        "phone",
        "Nomor HP",
        "Berapa nomor HP/WhatsApp Anda?",
        store_phone,
        _phone,
        error="Nomor HP tidak dikenali. Contoh: 0812 3456 7890",
    ),
    Step(
        "email",
        "E-mail",
        "Apa alamat e-mail Anda?\nTidak ada? Tekan Lewati.",
        store_email,
        _email,
        error="Alamat e-mail tidak dikenali. Contoh: nama@contoh.go.id",
        optional=True,
    ),
    Step(
        "confidential",
        "Identitas dirahasiakan",
        "Ingin identitas Anda dirahasiakan?\n"
        "UPPG menjaga kerahasiaan pelapor, kecuali untuk proses peradilan "
        "atau atas persetujuan Anda.",
        store_confidential,
        options=_fixed({"ya": "Ya, rahasiakan", "tidak": "Tidak perlu"}),
    ),
    Step(
        "giver_name",
        "Nama pemberi",
        "Siapa nama pemberinya?",
        store_giver_name,
        _text(2, 200),
        error="Contoh: Andi Wijaya",
    ),
    Step(
        "giver_institution",
        "Instansi pemberi",
        "Dari instansi atau perusahaan apa pemberinya?\nPerorangan? Tekan Lewati.",
        store_giver_institution,
        _text(2, 200),
        error="Contoh: PT Maju Jaya",
        optional=True,
    ),
    Step(
        "giver_relation",
        "Hubungan pemberi",
        "Apa hubungan pemberi dengan Anda atau jabatan Anda?",
        store_giver_relation,
        options=_fixed(vocab.GIVER_RELATIONS),
    ),
    Step(
        "occasion",
        "Peristiwa",
        "Dalam rangka apa pemberian itu?",
        store_occasion,
        options=_fixed(vocab.OCCASIONS),
    ),
    Step(
        "object_type",
        "Jenis objek",
        "Apa jenis pemberiannya?",
        store_object_type,
        options=_fixed(vocab.OBJECT_TYPES),
    ),
    Step(
        "description",
        "Uraian objek",
        "Jelaskan pemberiannya secara singkat.",
        store_description,
        _text(3, 1000),
        error="Contoh: parsel berisi kue kering dan sirup, 1 paket",
    ),
    Step(
        "value_rp",
        "Perkiraan nilai",
        "Berapa perkiraan nilainya dalam rupiah?",
        store_value,
        _money,
        error="Contoh: 1.500.000, 1,5 jt, atau 500rb",
    ),
    Step(
        "value_ok",
        "Nilai benar",
        _value_ok_prompt,
        store_value_ok,
        options=_fixed({"ya": "Ya, benar", "tidak": "Bukan, ulangi"}),
        counted=False,
    ),
    Step(
        "received_date",
        "Tanggal",
        _date_prompt,
        store_received_date,
        _date,
        error="Contoh: kemarin, 17/11/2026, atau 17 November 2026",
        quick=("Hari ini", "Kemarin"),
    ),
    Step(
        "received_place",
        "Tempat",
        "Di mana pemberian itu terjadi?",
        store_received_place,
        _text(2, 300),
        error="Contoh: di kantor Dinas Pendidikan",
    ),
    Step(
        "chronology",
        "Kronologi",
        "Ceritakan singkat kronologinya: siapa memberi, kapan, dan bagaimana.",
        store_chronology,
        _text(10, 2000),
        error="Contoh: Pak Andi datang ke kantor membawa parsel setelah rapat proyek.",
    ),
    Step(
        "object_location",
        "Posisi objek",
        "Di mana objek pemberian itu sekarang?",
        store_object_location,
        options=_locations,
        when=_penerimaan,
    ),
    Step(
        "compensation",
        "Kompensasi",
        "Bila KPK menetapkannya milik negara, apakah Anda ingin tetap memiliki objek ini "
        "dengan membayar nilainya (kompensasi)?",
        store_compensation,
        options=_fixed({"ya": "Ya", "tidak": "Tidak"}),
        when=_compensation_applies,
    ),
    Step(
        "attachments",
        "Lampiran",
        _attachments_prompt,
        store_attachments,
        error="Silakan kirim foto atau dokumen, lalu tekan Selesai. Tidak ada? Tekan Lewati.",
        optional=True,
    ),
)
BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}


def applicable(a: Answers) -> list[Step]:
    return [step for step in STEPS if step.when(a)]


def counted(a: Answers) -> list[Step]:
    return [step for step in applicable(a) if step.counted]


def first_missing(a: Answers) -> Step | None:
    """The first question that applies and has no answer yet (None: go to the summary)."""
    return next((step for step in applicable(a) if step.key not in a), None)


def mask_nik(nik: str) -> str:
    return nik[:4] + "********" + nik[-4:] if len(nik) == 16 else nik


def shown(step: Step, a: Answers) -> str:
    """An answer as the summary shows it."""
    value = a.get(step.key)
    if value is None or value == "":
        return "-"
    if step.key == "nik":
        return mask_nik(str(value))
    if step.key == "value_rp":
        return formatting.rupiah(int(value))
    if step.key == "received_date":
        return formatting.tanggal(date.fromisoformat(value))
    if step.key == "attachments":
        return f"{len(value)} berkas" if value else "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if step.options is not None:
        return step.options(a).get(str(value), str(value))
    return str(value)
