"""The data key for migrations that convert rows (encrypt, pseudonymise).

`Database.migrate` hands its cipher to Alembic (config attribute "cipher"); a migration run
without one (a database opened from a bare URL) reads DATA_ENCRYPTION_KEY from the
environment's settings, and only when a row needs converting, so a fresh database never
needs a key to be created.
"""

from __future__ import annotations

from functools import cached_property

from alembic import context

from bot.crypto import Cipher


class MigrationKey:
    """The cipher of the running migration, built on first use."""

    @cached_property
    def cipher(self) -> Cipher:
        cipher = context.config.attributes.get("cipher")
        if isinstance(cipher, Cipher):
            return cipher
        from bot.config import Settings
        from bot.crypto import cipher_from_settings

        return cipher_from_settings(Settings())
