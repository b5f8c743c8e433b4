"""How a WhatsApp number appears anywhere but in the Graph API call that needs it.

A WhatsApp user id (wa_id) is the user's phone number. In Redis keys and in the user-key
columns (declarations, profiles, drafts, threads, audit, outbox) it is replaced by its
pseudonym, a keyed hash (bot.crypto.Cipher.pseudonym), so the conversation, the reporter's
history and the dedupe records still line up. Where a later message must reach the user (a
status change, a reminder), the chat id is the number encrypted with DATA_ENCRYPTION_KEY; it
is decrypted only at send time. Message ids (wamid) embed the number too, so their dedupe
records use a pseudonym as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.fernet import InvalidToken

from bot.backoffice.notify import DeliveryFailed
from bot.crypto import Cipher

# A number as Meta writes it (digits only) or as an operator types it in settings.
_NUMBER = re.compile(r"\+?\d{5,20}")


@dataclass(frozen=True)
class WhatsAppIds:
    """The pseudonyms and sealed chat ids of one key."""

    cipher: Cipher

    def user(self, wa_id: str) -> str:
        """The user id the flows, the sessions and the database see."""
        return self.cipher.pseudonym(wa_id)

    def message(self, wamid: str) -> str:
        """The dedupe id of a message."""
        return self.cipher.pseudonym(wamid)

    def chat(self, wa_id: str) -> str:
        """The chat id kept with a declaration or draft: the number, encrypted."""
        return self.cipher.encrypt(wa_id) or ""

    def number(self, chat_id: str) -> str:
        """The number to send to: a sealed chat id decrypted, or a number as configured
        (the officers' numbers come from settings). DeliveryFailed (permanent) otherwise."""
        if _NUMBER.fullmatch(chat_id):
            return chat_id
        try:
            number = self.cipher.decrypt(chat_id) or ""
        except InvalidToken:
            raise DeliveryFailed("whatsapp chat id cannot be decrypted", permanent=True) from None
        if not _NUMBER.fullmatch(number):
            raise DeliveryFailed("whatsapp chat id holds no number", permanent=True)
        return number
