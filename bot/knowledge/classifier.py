"""A naive Bayes classifier over the FAQ entries: how likely each entry is the one a question
is about, learned from the entries' own phrasings and keywords when the index is built.

Multinomial naive Bayes over the same features as the TF-IDF second opinion (normalised
tokens and their neighbouring pairs, bot/knowledge/vectors.py): an entry's texts are one bag of
feature counts, smoothed by `ALPHA`. A question's log-likelihood under each entry, divided by
`TEMPERATURE`, goes through a softmax over every entry, so the probabilities sum to 1 and a
question whose words several entries share gets no high probability for any of them.
Features no entry knows are left out.

Measured on the entries' phrasings held out of the index (`gratibot kb eval
--phrasing-folds 5`), it alone ranks the right entry first less often than the lexical blend
(87.0% against 90.3%), but its errors are other ones: added to the blend (the matcher's
`classifier_bonus`) the right entry is first for 91.6%. Character 3-5-grams within words were
tried as features too: with the typo fixer and the stemmer in front they ranked worse (86.5%
against 87.7% for words and pairs, with pairs weighing as much as words).

Training is counting: a few milliseconds for the knowledge base, so it is rebuilt with the
index at every load and in each phrasing fold (never trained on an evaluation split).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge.vectors import features

# Additive smoothing of the feature counts (0.02-0.1 rank alike; 0.5 ranks 4 points worse).
ALPHA = 0.1
# Naive Bayes is overconfident: its log-likelihoods are divided by this before the softmax.
TEMPERATURE = 2.0


@dataclass
class EntryClassifier:
    """Per feature, the entries that use it; per entry, the cost of each feature of a question."""

    # feature -> [(entry, log((count in the entry + ALPHA) / ALPHA))]
    postings: dict[str, list[tuple[int, float]]]
    # per entry: log(its total count + ALPHA x the number of features)
    norms: list[float]

    @classmethod
    def build(cls, entries: Iterable[Iterable[Sequence[str]]]) -> EntryClassifier:
        """From each entry's texts (its phrasings and keywords, as normalised tokens)."""
        counts: list[dict[str, float]] = []
        for texts in entries:
            bag: dict[str, float] = {}
            for tokens in texts:
                for f, c in features(tokens).items():
                    bag[f] = bag.get(f, 0.0) + c
            counts.append(bag)
        vocabulary = len(set().union(*counts)) if counts else 0
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, bag in enumerate(counts):
            for f, c in bag.items():
                postings.setdefault(f, []).append((i, math.log((c + ALPHA) / ALPHA)))
        norms = [math.log(sum(bag.values()) + ALPHA * vocabulary) for bag in counts]
        return cls(postings, norms)

    def probabilities(self, tokens: Sequence[str]) -> list[float]:
        """Each entry's probability of being the one the question (normalised tokens) is about;
        all equal when no feature of the question is known."""
        n = len(self.norms)
        if not n:
            return []
        known = {f: c for f, c in features(tokens).items() if f in self.postings}
        total = sum(known.values())
        # log P(question | entry), less the part every entry shares (total x log ALPHA).
        scores = [-total * norm for norm in self.norms]
        for f, c in known.items():
            for i, gain in self.postings[f]:
                scores[i] += c * gain
        top = max(scores)
        weights = [math.exp((s - top) / TEMPERATURE) for s in scores]
        whole = sum(weights)
        return [w / whole for w in weights]
