"""Where an audit entry came from: the client address of the dashboard request that wrote it.

The web app sets `client_address` for each request (bot/web/client_address.py); every AuditLog
row added while it is set gets it as `ip`, whichever module wrote the row, so no audit call has
to pass it along. Entries written outside a request (the worker, the CLI) keep ip empty.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.store.models import AuditLog

client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def _fill_addresses(session: Session, _context: Any, _instances: Any) -> None:
    address = client_address.get()
    if address is None:
        return
    for obj in session.new:
        if isinstance(obj, AuditLog) and obj.ip is None:
            obj.ip = address[:45]


event.listen(Session, "before_flush", _fill_addresses)
