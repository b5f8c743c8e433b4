"""`python -m tests.handlers.declaration_personas [-v] [FILE.yaml]`: the personas' figures."""

import asyncio
import sys

from tests.handlers.declaration_personas import report

files = [a for a in sys.argv[1:] if a.endswith(".yaml")]
asyncio.run(report("-v" in sys.argv[1:], *files[:1]))
