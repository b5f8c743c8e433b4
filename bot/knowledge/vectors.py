"""A TF-IDF index over the entries' phrasings and keywords: word and bigram features, cosine.

Learned from the entries' texts only (never from an evaluation split). A text's features are
its normalised tokens and its pairs of neighbouring tokens (word order: "rekan kerja" is not
"kerja rekan"), weighted by TF-IDF over entries (a word every entry uses says little), each
vector L2-normalised. Character n-grams were tried and measured: with the typo fixer and the
stemmer in front they changed no figure, and cost a third of the time.

An entry's similarity to a question is the mean of two cosines: to its centroid (the
normalised sum of its texts' vectors: what the entry is about as a whole) and to its nearest
text (one specific way of asking). The texts sit in an inverted index per entry, so one entry
costs a pass over the question's few features, not over its phrasings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A pair of neighbouring words counts this much against a single word's 1.
BIGRAM_WEIGHT = 2 / 3
# Features found in more than this share of the entries are dropped: at an IDF near zero
# they decide nothing and only lengthen the postings.
MAX_DF_SHARE = 0.5

Vector = dict[str, float]


def features(tokens: Sequence[str]) -> dict[str, float]:
    """The raw (unweighted) feature counts of a text's normalised tokens."""
    out: dict[str, float] = {}
    for token in tokens:
        word = "w:" + token
        out[word] = out.get(word, 0.0) + 1.0
    for first, second in itertools.pairwise(tokens):
        bigram = f"b:{first}_{second}"
        out[bigram] = out.get(bigram, 0.0) + BIGRAM_WEIGHT
    return out


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


@dataclass
class VectorIndex:
    """Per entry: the centroid of its texts' TF-IDF vectors, and the texts in an inverted index."""

    idf: dict[str, float]
    centroids: list[Vector]
    # per entry: feature -> [(text, weight in that text's vector)]
    texts: list[dict[str, list[tuple[int, float]]]]

    @classmethod
    def build(cls, entries: Iterable[Iterable[Sequence[str]]]) -> VectorIndex:
        """From each entry's texts (its phrasings and keywords, as normalised tokens)."""
        raw = [[features(tokens) for tokens in entry if tokens] for entry in entries]
        n = max(len(raw), 1)
        df: dict[str, int] = {}
        for entry in raw:
            for feature in set().union(*entry):
                df[feature] = df.get(feature, 0) + 1
        limit = max(2, int(n * MAX_DF_SHARE))
        idf = {f: math.log((n + 1) / (d + 0.5)) for f, d in df.items() if d <= limit}
        centroids: list[Vector] = []
        texts: list[dict[str, list[tuple[int, float]]]] = []
        for entry in raw:
            own: dict[str, list[tuple[int, float]]] = {}
            centroid: Vector = {}
            for j, counts in enumerate(entry):
                vector = _normalised({f: c * idf[f] for f, c in counts.items() if f in idf})
                for f, v in vector.items():
                    own.setdefault(f, []).append((j, v))
                    centroid[f] = centroid.get(f, 0.0) + v
            texts.append(own)
            centroids.append(_normalised(centroid))
        return cls(idf, centroids, texts)

    def vector(self, tokens: Sequence[str]) -> Vector:
        """A question's TF-IDF vector (features no entry knows are left out)."""
        idf = self.idf
        return _normalised({f: c * idf[f] for f, c in features(tokens).items() if f in idf})

    def similarity(self, query: Vector, entry: int) -> float:
        """The mean of the question's cosines to the entry's centroid and to its nearest text."""
        centroid = self.centroids[entry]
        own = self.texts[entry]
        to_centroid = 0.0
        scores: dict[int, float] = {}
        for f, q in query.items():
            to_centroid += q * centroid.get(f, 0.0)
            for j, v in own.get(f, ()):
                scores[j] = scores.get(j, 0.0) + q * v
        return (to_centroid + max(scores.values(), default=0.0)) / 2
