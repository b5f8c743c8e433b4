"""Realistic inputs per field, through the dispatcher (memory store, SQLite): issue 12.

tuned.yaml: every case must give its value or its re-ask (the readers were built on these).
heldout.yaml: written before the readers changed and never used to tune them; the refusal
rate on it is measured here and kept under a bound, the cases that still fail are listed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.handlers.declaration_inputs import Corpus, case_id, load, open_corpus, refusal_table

pytestmark = pytest.mark.asyncio(loop_scope="module")

TUNED = load("tuned.yaml")
HELDOUT = load("heldout.yaml")
# The form wave's (3 Dec 2026): the giver's company, prices per item, "tadi" after midnight,
# where the gift is now. Measured once the readers were done: 2 of 17 missed ("tadi" alone
# in a story is no date; "martabak" is no object word); both read since the "check2" wave,
# whose 3 cases at the end were run once after it: 2 of 3 right ("parsel buah2an dr dealer"
# stores no object type; left as it is, not tuned).
HELDOUT_FORM = load("heldout_form.yaml")
# Refused or misread on the held-out set, at most (measured: see the README's form section).
HELDOUT_BOUND = 0.15


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def corpus(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Corpus]:
    found = await open_corpus(Path(tmp_path_factory.mktemp("inputs")))
    yield found
    await found.database.dispose()


async def test_the_sets_are_large_enough_and_name_every_field() -> None:
    assert len(TUNED) + len(HELDOUT) >= 300
    held = HELDOUT + HELDOUT_FORM
    assert len(held) * 10 >= 3 * len(TUNED + held)  # about a third never tuned on
    steps = {case["step"] for case in TUNED}
    for step in ("story", "name", "nik", "nip", "phone", "email", "value_rp", "received_date"):
        assert step in steps


@pytest.mark.parametrize("case", TUNED, ids=[case_id(c) for c in TUNED])
async def test_tuned_input(corpus: Corpus, case: dict[str, Any]) -> None:
    outcome = await corpus.run(case)
    assert outcome.passed, f"{outcome.why}\n" + "\n---\n".join(outcome.replies)


async def test_heldout_refusal_rate(corpus: Corpus) -> None:
    outcomes = [await corpus.run(case) for case in HELDOUT]
    failed = [o for o in outcomes if not o.passed]
    table = "\n".join(refusal_table(outcomes))
    listed = "\n".join(f"{case_id(o.case)}: {o.why}" for o in failed)
    assert len(failed) <= HELDOUT_BOUND * len(outcomes), f"{table}\n{listed}"


async def test_heldout_form_wave_refusal_rate(corpus: Corpus) -> None:
    outcomes = [await corpus.run(case) for case in HELDOUT_FORM]
    failed = [o for o in outcomes if not o.passed]
    listed = "\n".join(f"{case_id(o.case)}: {o.why}" for o in failed)
    assert len(failed) <= HELDOUT_BOUND * len(outcomes), listed
