"""The status workflow of a declaration, following the legal process.

Transitions are data: TRANSITIONS[report_type][from_status] lists where it may go, and
REQUIRED[to_status] lists the details an officer must give. `change_status` applies one change
in a single transaction: the declaration's fields, a StatusChange row, an audit entry and an
outbox message that notifies the reporter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import (
    AuditLog,
    Declaration,
    StatusChange,
    ThreadMessage,
    outbox_message,
)
from handlers import statuses as st

TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "penerimaan": {
        st.DITERIMA: (st.DIVERIFIKASI, st.PERLU_DILENGKAPI),
        st.PERLU_DILENGKAPI: (st.DIVERIFIKASI,),
        st.DIVERIFIKASI: (st.DITERUSKAN_KPK, st.PERLU_DILENGKAPI),
        # KPK may also ask for completion (20 working days since PerKPK 1/2026).
        st.DITERUSKAN_KPK: (
            st.MILIK_PENERIMA,
            st.MILIK_NEGARA,
            st.TIDAK_DITINDAKLANJUTI,
            st.PERLU_DILENGKAPI,
        ),
        st.MILIK_PENERIMA: (st.SELESAI,),
        st.MILIK_NEGARA: (st.SELESAI,),
        st.TIDAK_DITINDAKLANJUTI: (st.SELESAI,),
        st.SELESAI: (),
    },
    # A refusal is recorded by the UPPG; it goes to KPK only in a recap.
    "penolakan": {
        st.DITERIMA: (st.DICATAT,),
        st.DICATAT: (),
    },
}

# Details an officer must give for each target status.
REQUIRED: dict[str, tuple[str, ...]] = {
    st.PERLU_DILENGKAPI: ("note",),
    st.DITERUSKAN_KPK: ("forwarded_on",),
    st.MILIK_PENERIMA: ("sk_number", "sk_date"),
    st.MILIK_NEGARA: ("sk_number", "sk_date"),
    st.TIDAK_DITINDAKLANJUTI: ("sk_number", "sk_date"),
    st.SELESAI: ("note",),
}

FIELD_LABELS = {
    "note": "catatan",
    "forwarded_on": "tanggal diteruskan",
    "sk_number": "nomor SK",
    "sk_date": "tanggal SK",
}


class InvalidTransition(Exception):
    """A change the process does not allow; the message (Indonesian) says why."""


def allowed_targets(report_type: str, status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(report_type, {}).get(status, ())


def check_transition(
    report_type: str, from_status: str, to_status: str, details: Mapping[str, Any]
) -> None:
    """Raises InvalidTransition with a reason unless the change is allowed and complete."""
    if to_status not in allowed_targets(report_type, from_status):
        raise InvalidTransition(
            f"Status {st.label(from_status)} tidak dapat diubah menjadi {st.label(to_status)}."
        )
    missing = [f for f in REQUIRED.get(to_status, ()) if not details.get(f)]
    if missing:
        names = ", ".join(FIELD_LABELS.get(f, f) for f in missing)
        raise InvalidTransition(f"Lengkapi dulu: {names}.")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def change_status(
    session: AsyncSession,
    declaration_id: int,
    to_status: str,
    *,
    actor: str,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> StatusChange:
    """Moves a declaration to a new status inside the caller's transaction.

    details may hold: note, forwarded_on, kpk_reference, sk_number, sk_date.
    """
    details = dict(details or {})
    now = now or datetime.now(UTC)
    query = select(Declaration).where(Declaration.id == declaration_id).with_for_update()
    declaration = (await session.execute(query)).scalar_one_or_none()
    if declaration is None:
        raise InvalidTransition("Laporan tidak ditemukan.")
    from_status = declaration.status
    check_transition(declaration.report_type, from_status, to_status, details)

    if to_status == st.DITERUSKAN_KPK:
        forwarded = _as_date(details["forwarded_on"])
        declaration.forwarded_at = datetime(
            forwarded.year, forwarded.month, forwarded.day, tzinfo=UTC
        )
        declaration.kpk_reference = details.get("kpk_reference") or declaration.kpk_reference
    if to_status in (st.MILIK_PENERIMA, st.MILIK_NEGARA, st.TIDAK_DITINDAKLANJUTI):
        declaration.decision = to_status
        declaration.sk_number = str(details["sk_number"])
        declaration.sk_date = _as_date(details["sk_date"])
    if to_status in (st.SELESAI, st.DICATAT):
        declaration.closed_at = now
    declaration.status = to_status

    note = details.get("note")
    stored = {k: str(v) for k, v in details.items() if k != "note" and v not in (None, "")}
    change = StatusChange(
        declaration_id=declaration.id,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
        details=stored,
        at=now,
    )
    session.add(change)
    if to_status == st.PERLU_DILENGKAPI and note:
        # The officer's question starts (or continues) the thread with the reporter.
        session.add(
            ThreadMessage(
                declaration_id=declaration.id,
                direction="to_reporter",
                author=actor,
                text=note,
                at=now,
            )
        )
    session.add(
        AuditLog(
            actor=actor,
            action="status_change",
            target=declaration.number,
            details={"from": from_status, "to": to_status},
            at=now,
        )
    )
    await session.flush()
    session.add(
        outbox_message(
            "reporter.status_changed",
            f"status:{change.id}",
            {"declaration_id": declaration.id, "status_change_id": change.id},
            at=now,
        )
    )
    await session.flush()
    return change
