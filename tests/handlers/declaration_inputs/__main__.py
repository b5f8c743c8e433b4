"""`python -m tests.handlers.declaration_inputs [-v]`: refusal rates per field, both sets."""

import asyncio

from tests.handlers.declaration_inputs import report

asyncio.run(report())
