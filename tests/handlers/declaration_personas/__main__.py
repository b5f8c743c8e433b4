"""`python -m tests.handlers.declaration_personas [-v] [id ...]`: the personas' figures."""

import asyncio
import sys

from tests.handlers.declaration_personas import report

asyncio.run(report("-v" in sys.argv[1:]))
