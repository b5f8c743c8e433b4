"""Many declarations for trying the dashboard as a busy UPPG, for tests and benchmarks.

    python -m bench.seed --count 5000 --var-dir var/demo    # then: VAR_DIR=var/demo gratibot serve

Realistic on purpose: a year and a bit of reports, most of them closed, a few hundred open at
every stage, some late, refusals, confidential reporters, names in several scripts, reporter
answers not yet read, and two officers ("siti", "budi", password "kata-sandi-uppg-1").
"""

from __future__ import annotations

import argparse
import asyncio
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.crypto import Cipher, cipher_from_settings
from bot.holidays_id import work_calendar
from bot.passwords import hash_password
from bot.store.database import Database
from bot.store.models import Declaration, StatusChange, ThreadMessage, User
from handlers import statuses as st

PASSWORD = "kata-sandi-uppg-1"
UNITS = (
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Sekretariat Daerah",
    "Inspektorat",
    "RSUD dr. Soekardjo",
    "Kecamatan Cihideung",
)
NAMES = (
    "Siti Nurhaliza",
    "Agus Salim",
    "Ni Luh Putu Ayu Saraswati",
    "I Gede Ngurah Wirawan",
    "Muhammad Rizky Ramadhan",
    "Dewi Lestari",
    "Tuan 李明",
    "Fatimah عائشة",
    "Yohanes Sitompul",
    "Ratna Sari Dewi Kusumawardhani Purbaningrum",
)
GIVERS = (
    ("Budi Santoso", "CV Maju Jaya"),
    ("Haji Rahmat", "PT Sumber Rezeki Abadi Sentosa"),
    ("Ibu Wati", "Orang tua murid"),
    ("Panitia Seminar", "Universitas Siliwangi"),
    ("Pak Lurah", "Desa Sukamaju"),
)
OBJECTS = (
    ("barang", "Parsel berisi kue, sirup dan kurma"),
    ("uang", "Amplop berisi uang tunai"),
    ("makanan", "Nasi kotak dan buah 🍊"),
    ("voucher_tiket", "Voucher belanja Rp500.000"),
    ("fasilitas", "Tiket pesawat Jakarta-Bali pulang pergi"),
    ("plakat", "Plakat kayu jati"),
)
OCCASIONS = ("hari_raya", "pernikahan", "kegiatan_resmi", "terima_kasih", "ulang_tahun", "musibah")


def _submitted(rng: random.Random, today: date, days_back: int) -> datetime:
    day = today - timedelta(days=rng.randint(0, days_back))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    clock = time(rng.randint(0, 10), rng.randint(0, 59))  # 07.00-17.59 WIB in UTC
    return datetime.combine(day, clock, UTC)


def _lifecycle(rng: random.Random, refusal: bool, age_days: int) -> str:
    if refusal:
        return st.DICATAT if age_days > 7 or rng.random() < 0.5 else st.DITERIMA
    if age_days < 10:
        return rng.choice([st.DITERIMA, st.DITERIMA, st.DIVERIFIKASI, st.PERLU_DILENGKAPI])
    if age_days < 45:
        return rng.choice(
            [st.DIVERIFIKASI, st.PERLU_DILENGKAPI, st.DITERUSKAN_KPK, st.DITERUSKAN_KPK]
        )
    if age_days < 90:
        return rng.choice([st.DITERUSKAN_KPK, st.MILIK_NEGARA, st.MILIK_PENERIMA, st.SELESAI])
    return rng.choice([st.SELESAI, st.SELESAI, st.SELESAI, st.MILIK_PENERIMA, st.DITERUSKAN_KPK])


def declaration_values(
    i: int, rng: random.Random, cipher: Cipher, today: date, days_back: int
) -> tuple[dict[str, Any], str]:
    """The columns of the i-th declaration and the status it reached."""
    calendar = work_calendar()
    refusal = rng.random() < 0.15
    submitted = _submitted(rng, today, days_back)
    age = (today - submitted.date()).days
    late = rng.random() < 0.06
    # A late report came in more than 30 working days after the gift.
    received = submitted.date() - timedelta(days=rng.randint(50, 90) if late else rng.randint(0, 9))
    status = _lifecycle(rng, refusal, age)
    name = NAMES[i % len(NAMES)]
    giver, institution = GIVERS[i % len(GIVERS)]
    kind, description = OBJECTS[i % len(OBJECTS)]
    born = f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    nip = f"{born}20{rng.randint(10, 23)}0{rng.randint(1, 2)}1{rng.randint(0, 999):03d}"
    forwarded = status not in (st.DITERIMA, st.DIVERIFIKASI, st.PERLU_DILENGKAPI, st.DICATAT)
    decided = status in (st.MILIK_NEGARA, st.MILIK_PENERIMA, st.SELESAI)
    values: dict[str, Any] = {
        "number": f"GRT-{submitted.year}-{i:06d}",
        "idempotency_key": f"seed-{i}",
        "user_key": f"telegram:{500000 + i}",
        "channel": "telegram" if i % 3 else "whatsapp",
        "chat_id": str(500000 + i),
        "report_type": "penolakan" if refusal else "penerimaan",
        "status": status,
        "reporter_name": name,
        "reporter_nip": nip,
        "nip_index": cipher.index(nip),
        "reporter_jabatan": "Analis Kebijakan Ahli Muda",
        "reporter_unit": UNITS[i % len(UNITS)],
        "reporter_email": f"pegawai{i}@contoh.go.id",
        "reporter_nik_enc": cipher.encrypt(f"3278{i:012d}"),
        "reporter_address_enc": cipher.encrypt("Jl. Otto Iskandardinata No. 12, Tasikmalaya"),
        "reporter_phone_enc": cipher.encrypt(f"0812{i:08d}"),
        "confidential": rng.random() < 0.08,
        "giver_name": giver,
        "giver_institution": institution,
        "giver_relation": "rekanan" if i % 2 else "masyarakat",
        "occasion": OCCASIONS[i % len(OCCASIONS)],
        "object_type": kind,
        "description": description,
        "value_rp": rng.choice([150_000, 350_000, 750_000, 1_250_000, 2_500_000, 15_000_000]),
        "received_date": received,
        "received_place": "Kantor",
        "chronology": "Pemberi datang ke kantor dan menitipkan pemberian kepada pelapor.",
        "object_location": None if refusal else "dititipkan_uppg",
        "wants_compensation": None if refusal else rng.random() < 0.2,
        "details": {},
        "submitted_at": submitted,
        "uppg_deadline": None if refusal else calendar.add_workdays(received, 10),
        "kpk_deadline": None if refusal else calendar.add_workdays(received, 30),
        "late": late and not refusal,
        "forwarded_at": submitted + timedelta(days=rng.randint(2, 16)) if forwarded else None,
        "kpk_reference": (
            f"{rng.randint(1000, 9999)}/LAP-GRAT/{submitted.year}" if forwarded else None
        ),
        "decision": (
            (st.MILIK_NEGARA if status in (st.MILIK_NEGARA, st.SELESAI) else st.MILIK_PENERIMA)
            if decided
            else None
        ),
        "sk_number": f"SK-{rng.randint(100, 999)}/KPK/{submitted.year}" if decided else None,
        "sk_date": (submitted + timedelta(days=40)).date() if decided else None,
    }
    return values, status


async def seed(
    db: Database,
    cipher: Cipher,
    count: int,
    *,
    today: date | None = None,
    days_back: int = 420,
    seed_value: int = 17,
    officers: bool = True,
) -> None:
    """Adds `count` declarations (and the two officers) to a migrated database."""
    rng = random.Random(seed_value)
    today = today or datetime.now(UTC).date()
    async with db.transaction() as session:
        if officers:
            for username in ("siti", "budi"):
                session.add(
                    User(
                        username=username,
                        password_hash=hash_password(PASSWORD),
                        role="officer",
                        active=True,
                    )
                )
    batch: list[Declaration] = []
    extras: list[tuple[Declaration, str]] = []
    for i in range(1, count + 1):
        values, status = declaration_values(i, rng, cipher, today, days_back)
        declaration = Declaration(**values)
        batch.append(declaration)
        extras.append((declaration, status))
        if len(batch) == 500 or i == count:
            async with db.transaction() as session:
                session.add_all(batch)
                await session.flush()
                for d, reached in extras:
                    session.add(
                        StatusChange(
                            declaration_id=d.id,
                            from_status=None,
                            to_status=st.DITERIMA,
                            actor="bot",
                            details={},
                            at=d.submitted_at,
                        )
                    )
                    if reached == st.PERLU_DILENGKAPI:
                        asked = d.submitted_at + timedelta(days=1)
                        session.add(
                            StatusChange(
                                declaration_id=d.id,
                                from_status=st.DITERIMA,
                                to_status=st.PERLU_DILENGKAPI,
                                actor="siti",
                                details={"note": "Mohon kirim foto barang."},
                                at=asked,
                            )
                        )
                        session.add(
                            ThreadMessage(
                                declaration_id=d.id,
                                direction="to_reporter",
                                author="siti",
                                text="Mohon kirim foto barang.",
                                at=asked,
                            )
                        )
                        if rng.random() < 0.5:
                            session.add(
                                ThreadMessage(
                                    declaration_id=d.id,
                                    direction="from_reporter",
                                    author=d.user_key,
                                    text="Baik, fotonya saya kirim sore ini.",
                                    at=asked + timedelta(hours=3),
                                )
                            )
            batch, extras = [], []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--var-dir", type=Path, default=Path("var/demo"))
    args = parser.parse_args()

    async def go() -> None:
        settings = Settings(_env_file=None, var_dir=args.var_dir)  # type: ignore[call-arg]
        db = Database.from_settings(settings)
        await db.migrate()
        await seed(db, cipher_from_settings(settings), args.count)
        await db.dispose()

    asyncio.run(go())
    print(f"{args.count} declarations in {args.var_dir}; officers siti/budi, password {PASSWORD}")


if __name__ == "__main__":
    main()
