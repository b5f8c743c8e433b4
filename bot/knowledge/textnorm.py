"""Indonesian text normalisation for matching: how people type -> the words the FAQ uses.

Steps: lower-case and strip accents; split "500rb" into "500 rb"; squeeze repeated letters
("lapooor"); number words to digits; an amount to one token ("500rb" -> "nominal"); for a
question, typos fixed against the words the knowledge base knows ("kondagan" ->
"kondangan"); slang and synonyms from knowledge/synonyms.yaml (whole words, several-word
variants too); stop words out; a light, consistent stemmer.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping

from bot.knowledge.roots import root_words
from bot.knowledge.speller import Speller

_SPLIT_DIGITS = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# "teman2", "buah2an", "oleh2": the "2" writes a reduplicated word, read as it is written out
# ("teman teman", "buah buahan", "oleh oleh": the last is a phrase of the synonyms file).
# "rp2jt" is an amount, not a reduplication.
_REDUPLICATION = re.compile(r"\b(?!rp2)([a-z]{2,})2([a-z]*)\b")

# Courtesy that the punctuation tells apart from content, read before folding drops the
# punctuation: "Bapak/Ibu," greets the admins ("bapak ibu saya" are one's parents), and thanks
# closing or opening a question ("..., terima kasih.", "Makasih pak. Kalau ...") are no "uang
# terima kasih" (a thank-you gift, an FAQ topic).
_THANKS = (
    r"(?:terima\s*kasih|terimakasih|trimakasih|makasih|makasi|mksh|trims|thanks|thank\s+you|"
    r"thx|tq|hatur\s+nuhun|nuhun|matur\s+(?:nuwun|suwun)|suwun)"
)
_COURTESY_WORD = (
    r"(?:banyak|byk|bnyk|sebelumnya|sblmnya|sblm|ya|yaa|pak|bu|kak|min|mas|mbak|mba|bang|"
    r"admin|atas|untuk|utk|jawabannya|jawabanya|infonya|informasinya|perhatiannya|"
    r"bantuannya|penjelasannya|pencerahannya|waktunya|sekali|pisan|nggih|so|much|a|lot)"
)
_COURTESY = (
    re.compile(
        r"\b(?:bapak|bpk|pak)\s*(?:/|dan|&)?\s*(?:ibu|bu)\b(?!\s+(?:saya|sy|aku|kami|ku)\b)"
    ),
    # "Yth. Admin UPPG, ...": the unit addressed, not asked about.
    re.compile(r"^\W*(?:\w+\W+){0,3}?(?:admin|min|mimin|kak|tim)\s+(?:uppg|upg)\s*[,.!:;]"),
    re.compile(rf"[,.!?;]\s*{_THANKS}(?:\s+{_COURTESY_WORD})*[\s.!?🙏]*$"),
    re.compile(
        rf"^\s*(?:(?:ok|oke|okay|baik|siap|sip)\W+)?{_THANKS}(?:\s+{_COURTESY_WORD})*\s*[,.!;]+"
    ),
)

NUMBER_WORDS: dict[str, str] = {
    "nol": "0",
    "satu": "1",
    "dua": "2",
    "tiga": "3",
    "empat": "4",
    "lima": "5",
    "enam": "6",
    "tujuh": "7",
    "delapan": "8",
    "sembilan": "9",
    "sepuluh": "10",
    "sebelas": "11",
    "seratus": "100",
    "seribu": "1 ribu",
    "sejuta": "1 juta",
    "setengah": "0.5",
}

# Affixes of the light stemmer. Prefix rules: (prefix, what replaces it before a vowel).
_PARTICLES = ("lah", "kah", "pun", "nya", "ku", "mu")
# "-in" is the Jakarta colloquial "-kan"/"-i" ("bayarin", "dilaporin"); kept to longer words.
_SUFFIXES = ("kan", "an", "i")
_COLLOQUIAL_SUFFIX = "in"
MIN_COLLOQUIAL = 5
# Regional possessive endings, the "-nya" of Sundanese ("barangna", "nilaina") and Javanese
# ("barange", "nilaine", krama "hadiahipun", "artonipun"). Many real words end the same way
# ("warna", "karena", "sene"), so one is cut only off a word the normaliser does not know,
# and only when its bare form is one it knows (Normaliser._regional). Longest first:
# "nilaine" is "nilai" + "-ne".
_REGIONAL_SUFFIXES = ("nipun", "ipun", "ne", "na", "e")
MIN_REGIONAL = 4
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("nge", ""),
    ("ng", ""),
    ("meny", "s"),
    ("peny", "s"),
    ("meng", ""),
    ("peng", ""),
    ("mem", "p"),
    ("pem", "p"),
    ("men", "t"),
    ("pen", "t"),
    ("ber", ""),
    ("ter", ""),
    ("per", ""),
    ("me", ""),
    ("pe", ""),
    ("di", ""),
)
_VOWELS = set("aeiou")
MIN_STEM = 4


def fold(text: str) -> str:
    """Lower-cases, strips accents and punctuation, squeezes letters typed three times."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _REDUPLICATION.sub(r"\1 \1\2", text)
    text = _THOUSANDS.sub("", text)
    text = _SPLIT_DIGITS.sub(" ", text)
    text = _NON_WORD.sub(" ", text)
    # A word without vowels is an abbreviation ("pppk", "spt"), not a drawn-out word.
    return " ".join(_REPEATS.sub(r"\1", w) if _VOWELS.intersection(w) else w for w in text.split())


def courtesy_out(text: str) -> str:
    """The text without the courtesy that only punctuation marks ("Bapak/Ibu,", a closing
    "terima kasih"); the rest of the courtesy is in the synonyms file's stop words."""
    text = text.casefold()
    for pattern in _COURTESY:
        text = pattern.sub(" , ", text)
    return text


def stem(word: str) -> str:
    """Strips one particle, one suffix and up to two prefixes, keeping at least 4 letters; a
    root word (roots.py) is kept as it is, with or without a particle ("mertuanya")."""
    roots = root_words()
    if len(word) <= MIN_STEM or not word.isalpha() or word in roots:
        return word
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            word = word[: -len(particle)]
            break
    if word in roots:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith(_COLLOQUIAL_SUFFIX) and len(word) - 2 >= MIN_COLLOQUIAL:
            word = word[:-2]
    for _ in range(2):
        for prefix, nasal in _PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            if prefix == "ng" and rest[:1] not in _VOWELS:
                continue  # colloquial "ng-" only before a vowel ("ngajar", "ngurus")
            if nasal and rest[:1] in _VOWELS:
                rest = nasal + rest
            if len(rest) >= MIN_STEM:
                word = rest
                break
        else:
            break
    return word


class Normaliser:
    """Turns text into the tokens the matcher compares; built from the synonyms file.

    Order: fold; number words; several-word variants and several-word stop phrases ("gift
    card", "mau tanya") on the text as typed; one-word variants; several-word variants again
    (for "tmn kantor" -> "teman kantor" -> "rekan kerja"); stop words out; the stemmer. What a
    several-word variant becomes is never mapped again ("terima kasih" stays, though "kasih"
    alone is a variant of "beri").
    """

    def __init__(
        self,
        synonyms: Mapping[str, Iterable[str]],
        stopwords: Iterable[str],
        keep: Iterable[str] = (),
        tags: Iterable[str] = (),
        domain: Iterable[str] = (),
        off_topic: Iterable[str] = (),
        weak_domain: Iterable[str] = (),
    ) -> None:
        table: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            target = fold(canonical)
            for variant in variants:
                folded = fold(variant)
                if folded and folded != target:
                    table[folded] = target
        folded_stops = {fold(w) for w in stopwords} - {""}
        self.stopwords = frozenset(w for w in folded_stops if " " not in w)
        # A several-word stop phrase is replaced by nothing.
        phrase_table = {k: v for k, v in table.items() if " " in k}
        # A several-word canonical form typed as such is kept whole too.
        for canonical in synonyms:
            target = fold(canonical)
            if " " in target:
                phrase_table.setdefault(target, target)
        phrase_table.update(dict.fromkeys((w for w in folded_stops if " " in w), ""))
        self.table = table
        self.single = {k: v for k, v in table.items() if " " not in k}
        self.phrase_table = phrase_table
        phrases = sorted(phrase_table, key=len, reverse=True)
        self.phrases = (
            re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")
            if phrases
            else None
        )
        # Canonical forms are chosen by the admin: never stem them ("rekanan" is not "rekan").
        protected = {w for c in synonyms for w in fold(c).split()}
        self.keep = frozenset(protected | {fold(w) for w in keep})
        # Words that end a yes/no question ("wajib lapor gak?"): dropped at the end only.
        self.tags = frozenset(fold(w) for w in tags)
        # Words of other errands, and words that mark a question as one about the domain
        # (the matcher's off-topic guard).
        self.domain = tuple(str(w) for w in domain)
        self.off_topic = tuple(str(w) for w in off_topic)
        # Domain words that mark the domain only beside another domain word ("lapor"):
        # alone they do not lift the guard ("lapor sakit ke atasan").
        self.weak_domain = tuple(str(w) for w in weak_domain)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._queries: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {}
        # Every word this normaliser maps or drops is known, and so are the guard's words (an
        # errand's "tunjangan" is not a typo of "tunangan"); `learn` adds the entries' words.
        guard = [fold(w) for w in (*self.domain, *self.off_topic, *self.weak_domain)]
        self._own_words = [
            w
            for text in [*table, *table.values(), *folded_stops, *self.keep, *guard]
            for w in text.split()
        ]
        self.speller = Speller(real=root_words())
        self.speller.add(self._own_words)

    def _regional(self, word: str) -> str | None:
        """The bare word of a regional possessive ("barangna", "hadiahe", "nilaine",
        "hadiahipun" -> "barang", "hadiah", "nilai", "hadiah"), or None. Only a word that is
        neither known (the synonyms file, the entries' words) nor a root word is cut, and
        only to a known word: "warna", "karena", "mereka" stay, and "sene" would leave a
        bare word too short to trust."""
        if word in self.speller.known or word in self.speller.real or not word.isalpha():
            return None
        for suffix in _REGIONAL_SUFFIXES:
            bare = word[: -len(suffix)]
            if word.endswith(suffix) and len(bare) >= MIN_REGIONAL and bare in self.speller.known:
                return bare
        return None

    def _single(self, word: str) -> str:
        """A word's one-word mapping, a regional possessive's bare word's included (so that
        "carane lapor" meets the phrase "cara lapor"); several words are glued by "_"."""
        bare = self._regional(word) or word
        return self.single.get(bare, bare).replace(" ", "_")

    def _numbers(self, words: list[str]) -> list[str]:
        out: list[str] = []
        for word in words:
            if word in NUMBER_WORDS:
                out.extend(NUMBER_WORDS[word].split())
            elif word in ("puluh", "ratus") and out and out[-1].isdigit():
                out[-1] = str(int(out[-1]) * (10 if word == "puluh" else 100))
            else:
                out.append(word)
        return out

    def _phrases(self, text: str) -> str:
        if self.phrases is None:
            return text
        # "_" cannot come from folded user text: it glues a replacement's words together.
        return self.phrases.sub(lambda m: self.phrase_table[m.group(1)].replace(" ", "_"), text)

    def _word(self, word: str) -> str:
        word = self.single.get(word, word)
        if word in self.keep or word.isdigit():
            return word
        # "ngasihnya", "duitnya": a known word with a particle is that word, before stemming
        # gets a chance to misread it ("ngasih" is not "asih").
        for particle in _PARTICLES:
            bare = word[: -len(particle)]
            if word.endswith(particle) and (bare in self.single or bare in self.keep):
                return self.single.get(bare, bare)
        stemmed = stem(word)
        return self.single.get(stemmed, stemmed)

    def clear_cache(self) -> None:
        self._cache.clear()
        self._queries.clear()
        self.speller.clear_cache()

    def unlearned(self) -> Normaliser:
        """A copy that knows none of the words `learn` added, with empty caches: for an index
        built from part of the entries' phrasings (the phrasing folds), whose held-out words
        must stay unknown, and whose learning must not count twice in this normaliser."""
        twin = copy.copy(self)
        twin.speller = Speller(real=root_words())
        twin.speller.add(self._own_words)
        twin._cache = {}
        twin._queries = {}
        return twin

    def learn(self, texts: Iterable[str]) -> None:
        """Adds the words of the entries' phrasings and keywords to what typos are fixed to."""
        self.speller.add(w for text in texts for w in fold(text).split())
        # What a word normalises to depends on the words known ("barangna" once "barang" is).
        self._cache.clear()
        self._queries.clear()

    def query(self, text: str) -> tuple[tuple[str, ...], dict[str, float]]:
        """A typed question's tokens, misspelt words fixed first, and the tokens that come
        from a fixed word, with the similarity of the fix (they weigh less: a guess)."""
        cached = self._queries.get(text)
        if cached is not None:
            return cached
        words = self._numbers(fold(courtesy_out(text)).split())
        guessed: dict[str, float] = {}
        for i, word in enumerate(words):
            # A regional possessive is no typo ("hadiahe" is read "hadiah", not guessed).
            correction = None if self._regional(word) else self.speller.correct(word)
            if correction is not None:
                words[i], similarity = correction
                for token in self._tokens([words[i]]):
                    guessed[token] = min(similarity, guessed.get(token, 1.0))
        tokens = self._tokens(words)
        result = (tokens, {k: v for k, v in guessed.items() if k in tokens})
        if len(self._queries) > 50_000:
            self._queries.clear()
        self._queries[text] = result
        return result

    def tokens(self, text: str) -> tuple[str, ...]:
        """The meaningful tokens of a text, in order (cached: questions repeat)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._tokens(self._numbers(fold(courtesy_out(text)).split()))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[text] = result
        return result

    def _tokens(self, words: list[str]) -> tuple[str, ...]:
        folded = self._phrases(" ".join(words))
        folded = " ".join(w if "_" in w else self._single(w) for w in folded.split())
        folded = self._phrases(folded)
        out: list[str] = []
        for word in folded.split():
            if "_" in word:
                out.extend(w for w in word.split("_") if w and w not in self.stopwords)
                continue
            if word in self.stopwords:
                continue
            token = self._word(word)
            if token and token not in self.stopwords:
                out.extend(token.split())
        while len(out) > 2 and out[-1] in self.tags:
            out.pop()
        return tuple(_amounts(out))


# An amount typed in a question or a phrasing, whatever its figure: "500rb", "Rp 1.500.000",
# "dua juta" are one token, so that an arbitrary figure ("500" of a story) points at no entry
# whose phrasings happen to name it (the matcher weighs it low, Thresholds.amount_weight).
AMOUNT = "nominal"
_UNITS = frozenset({"ribu", "juta", "miliar", "rupiah"})


def _is_number(token: str) -> bool:
    return token.replace(".", "", 1).isdigit()


def _amounts(tokens: list[str]) -> list[str]:
    """The tokens with each amount ("500 ribu", "rp 500000", "1 0.5 juta") as `AMOUNT`."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        if _is_number(token):
            after = next((t for t in tokens[i + 1 :] if not _is_number(t)), "")
            if after in _UNITS or (out and out[-1] in ("rp", AMOUNT)):
                if out and out[-1] == "rp":
                    out[-1] = AMOUNT
                elif not out or out[-1] != AMOUNT:
                    out.append(AMOUNT)
                continue
        if token in _UNITS and out and out[-1] == AMOUNT:
            continue
        out.append(token)
    return out
