"""Migration 0014 (SQLite and PostgreSQL): the follow-up thread's messages (the UPPG's
questions, the reporter's answers, an officer's internal note) and the status change that asked
the first question are sealed at rest; rows written before it are sealed in place and still
read."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import select

from bot.store.database import Database
from bot.store.models import AuditLog, Declaration, StatusChange, ThreadMessage
from bot.store.sealed import FERNET_PREFIX
from tests.bot.store.alembic_steps import declaration_row, migrate_to

QUESTION = "Mohon kirim foto kuitansi dan nomor yang bisa dihubungi."
ANSWER = "iya bu, kuitansinya ilang. no wa sy 0813-2222-4444, alamat jl. mawar 7 rt 01 rw 05 depok"
NOTE = "pemberi ternyata rekanan, NIK-nya 3275010101800003 ada di KTP yg dikirim"
DECLARATIONS = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    *(sa.column(c, Declaration.__table__.c[c].type) for c in declaration_row()),
)
RAW = sa.table(
    "thread_messages",
    sa.column("id", sa.Integer),
    sa.column("declaration_id", sa.Integer),
    sa.column("direction", sa.String),
    sa.column("author", sa.String),
    sa.column("text", sa.Text),
    sa.column("internal_note", sa.Text),
)

CHANGES = sa.table(
    "status_changes",
    sa.column("id", sa.Integer),
    sa.column("declaration_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("actor", sa.String),
    sa.column("note", sa.Text),
    sa.column("internal_note", sa.Text),
    sa.column("details", sa.JSON),
)
AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("target", sa.String),
    sa.column("details", sa.JSON),
)
WITHDRAWN = "pelapor minta ditarik, katanya salah kirim. hub beliau di 0857 1111 2222"


async def test_thread_text_written_in_clear_is_sealed_and_still_reads(
    any_database: Database,
) -> None:
    db = any_database
    assert db.cipher is not None
    await migrate_to(db, db.cipher, "0013", down=True)
    async with db.engine.begin() as conn:
        declaration_id = (
            await conn.execute(
                DECLARATIONS.insert().values(**declaration_row()).returning(DECLARATIONS.c.id)
            )
        ).scalar_one()
        common = {"declaration_id": declaration_id, "author": "siti"}
        await conn.execute(
            RAW.insert(),
            [
                common | {"direction": "to_reporter", "text": QUESTION, "internal_note": NOTE},
                common | {"direction": "from_reporter", "text": ANSWER, "internal_note": None},
            ],
        )
        await conn.execute(
            CHANGES.insert().values(
                declaration_id=declaration_id,
                to_status="perlu_dilengkapi",
                actor="siti",
                note=QUESTION,
                internal_note=NOTE,
                details={"reason": WITHDRAWN, "sk_number": "12/KPK/2026"},
            )
        )
        await conn.execute(
            AUDIT.insert(),
            [
                {
                    "actor": "siti",
                    "action": "status_change",
                    "target": "GRT-2026-000001",
                    "details": {"from": "diterima", "message": QUESTION, "internal_note": NOTE},
                },
                {"actor": "siti", "action": "view", "target": "GRT-2026-000001", "details": {}},
            ],
        )
    await migrate_to(db, db.cipher, "head")

    # The verifying query: no message or note is left in clear.
    async with db.engine.connect() as conn:
        stored = (await conn.execute(select(RAW.c.text, RAW.c.internal_note))).all()
        in_clear = await conn.scalar(
            select(sa.func.count()).where(
                sa.or_(
                    RAW.c.text.not_like(f"{FERNET_PREFIX}%"),
                    RAW.c.internal_note.not_like(f"{FERNET_PREFIX}%"),
                )
            )
        )
        changes = (await conn.execute(select(CHANGES.c.note, CHANGES.c.internal_note))).one()
    assert in_clear == 0
    assert all(str(v).startswith(FERNET_PREFIX) for v in changes), changes
    async with db.engine.connect() as conn:
        raw_details = (
            await conn.execute(
                sa.text(
                    "SELECT CAST(details AS TEXT) FROM status_changes UNION ALL "
                    "SELECT CAST(details AS TEXT) FROM audit_log"
                )
            )
        ).scalars()
        raw_details = list(raw_details)
    # The typed texts are sealed; statuses and numbers stay readable.
    assert not any(t in d for d in raw_details for t in ("0857", "kuitansi", "3275010101800003"))
    assert any("12/KPK/2026" in d for d in raw_details)
    assert any('"from": "diterima"' in d.replace('":"', '": "') for d in raw_details)
    assert "0813" not in repr(stored) and "mawar" not in repr(stored)
    assert "3275010101800003" not in repr(stored) and stored[1].internal_note is None
    async with db.sessions() as session:
        read = (await session.execute(select(ThreadMessage).order_by(ThreadMessage.id))).all()
        change = (await session.execute(select(StatusChange))).scalar_one()
        audit = (await session.execute(select(AuditLog).order_by(AuditLog.id))).scalars().all()
    assert [(m.text, m.internal_note) for (m,) in read] == [(QUESTION, NOTE), (ANSWER, None)]
    assert (change.note, change.internal_note) == (QUESTION, NOTE)
    assert change.details == {"reason": WITHDRAWN, "sk_number": "12/KPK/2026"}
    assert [a.details for a in audit] == [
        {"from": "diterima", "message": QUESTION, "internal_note": NOTE},
        {},
    ]

    # Down and up again: nothing is sealed twice.
    await migrate_to(db, db.cipher, "0013", down=True)
    await migrate_to(db, db.cipher, "head")
    async with db.sessions() as session:
        again = (await session.execute(select(ThreadMessage.text).order_by(ThreadMessage.id))).all()
    assert [t for (t,) in again] == [QUESTION, ANSWER]
