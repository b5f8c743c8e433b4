"""Errors the flows may see from the services behind them."""


class ServiceUnavailable(Exception):
    """A backing service (database, store, channel) cannot be reached right now.

    The dispatcher answers with a short "gangguan" message and keeps the session as it was
    before the message, so the user can simply try again.
    """
