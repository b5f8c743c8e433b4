"""Exemption rules as data (knowledge/exemptions.yaml) and the pure verdict on one gift.

No I/O here: bot/ reads the file and calls `parse_rules`; the "Cek wajib lapor" flow calls
`evaluate`. A gift is judged by the rule version in force on the day it was received.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from handlers import vocab
from handlers.formatting import rupiah, tanggal

ANY = "any"
VerdictKind = Literal["must_report", "exempt", "consult"]
Need = Literal["year_total", "coi"]

GENERAL_BASIS = "Pasal 12B dan 12C UU 20/2001"
REVERSED_BURDEN = 10_000_000
REVERSED_BURDEN_NOTE = (
    "Nilainya Rp10 juta atau lebih: bila tidak dilaporkan, Anda yang harus membuktikan "
    "bahwa itu bukan suap (Pasal 12B ayat (1) huruf a UU 20/2001)."
)
CONFIRM = "Konfirmasi ke UPPG."


class RulesError(ValueError):
    """The rules file does not have the expected shape; the message says where."""


@dataclass(frozen=True)
class Rule:
    id: str
    letter: str
    title: str
    basis: str
    givers: frozenset[str]
    occasions: frozenset[str]
    objects: frozenset[str]
    excluded_givers: frozenset[str] = frozenset()
    max_per_giver: int | None = None
    max_per_year: int | None = None
    requires_no_coi: bool = False
    # Not money, nor a means of exchange (RuleSet.cash_like): letters n, o and e.
    non_cash: bool = False
    conditions: tuple[str, ...] = ()
    unverified: str | None = None

    @property
    def label(self) -> str:
        return f"huruf {self.letter} ({self.title})"

    def fits_who_and_why(self, facts: Facts) -> bool:
        """Whether the giver and the occasion fall under this rule (the object aside)."""
        if facts.giver_relation in self.excluded_givers:
            return False
        return _covers(self.givers, facts.giver_relation) and _covers(
            self.occasions, facts.occasion
        )


@dataclass(frozen=True)
class RuleVersion:
    id: str
    title: str
    applies_from: date
    rules: tuple[Rule, ...]
    # An unverified point about the whole version (its lettering); the flow shows it once per
    # conversation, with "Konfirmasi ke UPPG".
    note: str | None = None
    # The basis of "wajib lapor" when no exemption applies.
    basis: str = GENERAL_BASIS


@dataclass(frozen=True)
class RuleSet:
    versions: tuple[RuleVersion, ...]
    cash: frozenset[str] = frozenset({"uang"})
    cash_equivalents: frozenset[str] = frozenset()
    cash_equivalent_note: str | None = None
    conflict_givers: frozenset[str] = frozenset()

    @property
    def cash_like(self) -> frozenset[str]:
        """Money and the other means of exchange (vouchers, e-money balance, phone credit)."""
        return self.cash | self.cash_equivalents

    def ordered(self) -> tuple[RuleVersion, ...]:
        return tuple(sorted(self.versions, key=lambda v: v.applies_from))

    def version_on(self, day: date) -> RuleVersion | None:
        """The version in force on a day (the latest that started on or before it)."""
        current = None
        for version in self.ordered():
            if version.applies_from <= day:
                current = version
        return current

    def next_version(self, version: RuleVersion) -> RuleVersion | None:
        """The version that replaced this one, if any."""
        later = [v for v in self.ordered() if v.applies_from > version.applies_from]
        return later[0] if later else None

    def year_window(self, received: date) -> tuple[date, date]:
        """The days whose gifts count towards a yearly limit for a gift received on a day.

        The calendar year of receipt, split where the rules changed (20 Jan 2026): a gift is
        judged by the version in force when it was received, so only gifts under that same
        version count; up to and including the day this gift was received.
        """
        start = date(received.year, 1, 1)
        version = self.version_on(received)
        if version is not None and version.applies_from > start:
            start = version.applies_from
        return start, received

    def period_text(self, version: RuleVersion) -> str:
        """Which gifts a version judges, for the dated basis line: "sejak 20 Jan 2026"."""
        after = self.next_version(version)
        first = self.ordered()[0] is version
        if after is None:
            return f"pemberian sejak {tanggal(version.applies_from, short=True)}"
        until = tanggal(after.applies_from, short=True)
        if first:
            return f"pemberian sebelum {until}"
        last_day = date.fromordinal(after.applies_from.toordinal() - 1)
        return (
            f"pemberian {tanggal(version.applies_from, short=True)}–{tanggal(last_day, short=True)}"
        )


@dataclass(frozen=True)
class Facts:
    """What the user told the check; None where not (yet) known."""

    giver_relation: str
    occasion: str
    object_type: str
    value_rp: int | None
    received: date
    year_total_rp: int | None = None
    conflict_of_interest: bool | None = None
    coi_unsure: bool = False
    # "gatau" at the yearly-total question: the limit cannot be checked, so it is consulted.
    year_total_unknown: bool = False


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    version: RuleVersion | None
    rule: Rule | None
    reason: str
    conditions: tuple[str, ...] = ()
    # Points the reference marks unverified ([R]/[!]) and other warnings, each one line.
    notes: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        if self.rule is not None:
            return self.rule.basis
        if self.version is not None:
            return self.version.basis
        return GENERAL_BASIS

    @property
    def version_note(self) -> str | None:
        """The version's unverified point, when the verdict names one of its letters."""
        if self.rule is None or self.version is None or not self.version.note:
            return None
        return f"{self.version.note} {CONFIRM}"


def _covers(allowed: frozenset[str], code: str) -> bool:
    return ANY in allowed or code in allowed


def _matches(rules: RuleSet, rule: Rule, facts: Facts) -> bool:
    if not rule.fits_who_and_why(facts) or not _covers(rule.objects, facts.object_type):
        return False
    return not (rule.non_cash and facts.object_type in rules.cash_like)


def evaluate(rules: RuleSet, facts: Facts) -> Verdict | Need:
    """Applies the rules in force on the day received; may ask for one more fact first."""
    version = rules.version_on(facts.received)
    if version is None:
        return Verdict(
            "consult", None, None, "Tanggal itu sebelum aturan yang dimuat di bot ini berlaku."
        )
    notes = _notes(facts)
    rule = next((r for r in version.rules if _matches(rules, r, facts)), None)
    if rule is None:
        return _no_rule(rules, version, facts, notes)
    if rule.unverified:
        notes = (*notes, f"{rule.unverified} {CONFIRM}")
    label = rule.label
    if rule.requires_no_coi and facts.giver_relation in rules.conflict_givers:
        return Verdict("must_report", version, rule, _conflict_giver_reason(label), notes=notes)
    if rule.max_per_giver is not None:
        if facts.value_rp is None:
            return Verdict(
                "consult", version, rule, f"Nilainya perlu ditaksir untuk pengecualian {label}."
            )
        if facts.value_rp > rule.max_per_giver:
            reason = (
                f"Nilainya melebihi batas {rupiah(rule.max_per_giver)} per pemberi "
                f"pada pengecualian {label}."
            )
            return Verdict("must_report", version, rule, reason, notes=notes)
    if rule.requires_no_coi:
        if facts.conflict_of_interest is None and not facts.coi_unsure:
            return "coi"
        if facts.coi_unsure:
            return Verdict(
                "consult",
                version,
                rule,
                f"Pengecualian {label} hanya berlaku bila tidak ada konflik kepentingan.",
                notes=notes,
            )
        if facts.conflict_of_interest:
            reason = (
                f"Ada konflik kepentingan, jadi pengecualian {label} tidak berlaku. "
                "Seharusnya ditolak; bila sudah diterima, laporkan."
            )
            return Verdict("must_report", version, rule, reason, notes=notes)
    if rule.max_per_year is not None:
        if facts.year_total_rp is None and facts.year_total_unknown:
            return Verdict(
                "consult",
                version,
                rule,
                f"Total dari pemberi yang sama setahun perlu diketahui untuk pengecualian {label}.",
                notes=notes,
            )
        if facts.year_total_rp is None:
            return "year_total"
        total = year_total(facts)
        if total > rule.max_per_year:
            start, end = rules.year_window(facts.received)
            reason = (
                f"Total dari pemberi yang sama {span_text(start, end)} "
                f"({rupiah(total)}) melebihi {rupiah(rule.max_per_year)} "
                f"pada pengecualian {label}."
            )
            return Verdict("must_report", version, rule, reason, notes=notes)
    # The reversed burden of proof matters only for a gift that has to be reported.
    kept = tuple(n for n in notes if n != REVERSED_BURDEN_NOTE)
    return Verdict(
        "exempt",
        version,
        rule,
        f"Termasuk pengecualian {label}.",
        conditions=_conditions(rule),
        notes=kept,
    )


def year_total(facts: Facts) -> int:
    """The total over the period, this gift included (never less than the gift itself)."""
    return max(facts.year_total_rp or 0, facts.value_rp or 0)


def span_text(start: date, end: date, *, short: bool = True) -> str:
    """ "sejak 20 Jan 2026 sampai 3 Mar 2026", or "pada 20 Jan 2026" for a single day."""
    if start == end:
        return f"pada {tanggal(end, short=short)}"
    return f"sejak {tanggal(start, short=short)} sampai {tanggal(end, short=short)}"


def _conditions(rule: Rule) -> tuple[str, ...]:
    conditions = [*rule.conditions]
    if rule.max_per_giver is not None:
        conditions.append(f"nilainya tidak lebih dari {rupiah(rule.max_per_giver)} per pemberi")
    if rule.max_per_year is not None:
        conditions.append(
            f"total dari pemberi yang sama tidak lebih dari {rupiah(rule.max_per_year)} per tahun"
        )
    if rule.requires_no_coi:
        conditions.append("tidak ada konflik kepentingan")
    return tuple(conditions)


def _conflict_giver_reason(label: str | None) -> str:
    what = f"pengecualian {label} tidak berlaku" if label else "tidak ada pengecualian"
    return (
        "Rekanan/vendor punya kepentingan dengan jabatan Anda (konflik kepentingan), "
        f"jadi {what}. Seharusnya ditolak; bila sudah diterima, laporkan."
    )


def _no_rule(rules: RuleSet, version: RuleVersion, facts: Facts, notes: tuple[str, ...]) -> Verdict:
    # A giver with a conflict of interest by position is decided first: "Lainnya" elsewhere
    # in the answers does not make a vendor's gift a matter to consult on.
    if facts.giver_relation in rules.conflict_givers:
        return Verdict("must_report", version, None, _conflict_giver_reason(None), notes=notes)
    if facts.object_type in rules.cash_like:
        near = next((r for r in version.rules if r.non_cash and r.fits_who_and_why(facts)), None)
        if near is not None:
            reason = (
                f"Uang tidak termasuk pengecualian {near.label}, yang hanya untuk "
                "pemberian bukan uang."
            )
            if facts.object_type in rules.cash_equivalents:
                reason = (
                    "Voucher, saldo e-money, dan pulsa dihitung seperti uang (alat tukar "
                    f"lainnya), jadi pengecualian {near.label} tidak berlaku."
                )
                if rules.cash_equivalent_note:
                    notes = (*notes, rules.cash_equivalent_note)
            return Verdict("must_report", version, near, reason, notes=notes)
    if "lainnya" in (facts.giver_relation, facts.occasion, facts.object_type):
        return Verdict(
            "consult",
            version,
            None,
            "Pemberian ini tidak cocok dengan pengecualian yang bisa dinilai otomatis.",
            notes=notes,
        )
    return Verdict(
        "must_report",
        version,
        None,
        "Pemberian ini tidak termasuk pengecualian mana pun.",
        notes=notes,
    )


def _notes(facts: Facts) -> tuple[str, ...]:
    if facts.value_rp is not None and facts.value_rp >= REVERSED_BURDEN:
        return (REVERSED_BURDEN_NOTE,)
    return ()


# --- parsing the YAML document (already loaded into plain Python values) -------------------

_CODES: dict[str, Mapping[str, str]] = {
    "givers": vocab.GIVER_RELATIONS,
    "excluded_givers": vocab.GIVER_RELATIONS,
    "conflict_givers": vocab.GIVER_RELATIONS,
    "cash": vocab.OBJECT_TYPES,
    "cash_equivalents": vocab.OBJECT_TYPES,
    "occasions": vocab.OCCASIONS,
    "objects": vocab.OBJECT_TYPES,
}


OPTIONAL_CODES = {"excluded_givers", "conflict_givers", "cash_equivalents"}


def _codes(raw: Any, key: str, where: str) -> frozenset[str]:
    if raw is None and key in OPTIONAL_CODES:
        return frozenset()
    if not isinstance(raw, list) or not raw:
        raise RulesError(f"{where}: {key} must be a non-empty list")
    known = _CODES[key]
    for code in raw:
        if code != ANY and code not in known:
            raise RulesError(f"{where}: unknown code {code!r} in {key} (known: {sorted(known)})")
    return frozenset(str(c) for c in raw)


def _amount(raw: Any, key: str, where: str) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
        raise RulesError(f"{where}: {key} must be a positive whole number of rupiah")
    return raw


def _text(raw: Any, key: str, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise RulesError(f"{where}: {key} is required")
    return raw.strip()


def _rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: a rule must be a mapping")
    conditions = raw.get("conditions") or []
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise RulesError(f"{where}: conditions must be a list of texts")
    unverified = raw.get("unverified")
    return Rule(
        id=_text(raw.get("id"), "id", where),
        letter=_text(str(raw.get("letter") or ""), "letter", where),
        title=_text(raw.get("title"), "title", where),
        basis=_text(raw.get("basis"), "basis", where),
        givers=_codes(raw.get("givers"), "givers", where),
        occasions=_codes(raw.get("occasions"), "occasions", where),
        objects=_codes(raw.get("objects"), "objects", where),
        excluded_givers=_codes(raw.get("excluded_givers"), "excluded_givers", where),
        max_per_giver=_amount(raw.get("max_per_giver"), "max_per_giver", where),
        max_per_year=_amount(raw.get("max_per_year"), "max_per_year", where),
        requires_no_coi=bool(raw.get("requires_no_coi", False)),
        non_cash=bool(raw.get("non_cash", False)),
        conditions=tuple(conditions),
        unverified=str(unverified) if unverified else None,
    )


def parse_rules(doc: Any, source: str = "exemptions.yaml") -> RuleSet:
    """Builds the rule set from the loaded YAML document; raises RulesError on a bad shape."""
    if not isinstance(doc, dict) or not isinstance(doc.get("versions"), list):
        raise RulesError(f"{source}: expected a top-level 'versions' list")
    versions: list[RuleVersion] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["versions"]):
        where = f"{source}: versions[{i}]"
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: a version must be a mapping")
        vid = _text(raw.get("id"), "id", where)
        if vid in seen:
            raise RulesError(f"{where}: duplicate version id {vid!r}")
        seen.add(vid)
        start = raw.get("applies_from")
        if not isinstance(start, date):
            raise RulesError(f"{where}: applies_from must be a date (YYYY-MM-DD)")
        rules_raw = raw.get("rules")
        if not isinstance(rules_raw, list) or not rules_raw:
            raise RulesError(f"{where}: rules must be a non-empty list")
        rules = tuple(_rule(r, f"{where}.rules[{j}]") for j, r in enumerate(rules_raw))
        ids = [r.id for r in rules]
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            raise RulesError(f"{where}: duplicate rule ids {dupes}")
        note = raw.get("note")
        basis = raw.get("basis")
        versions.append(
            RuleVersion(
                vid,
                _text(raw.get("title"), "title", where),
                start,
                rules,
                note=" ".join(str(note).split()) if note else None,
                basis=_text(basis, "basis", where) if basis is not None else GENERAL_BASIS,
            )
        )
    starts = [v.applies_from for v in versions]
    if len(set(starts)) != len(starts):
        raise RulesError(f"{source}: two versions start on the same day")
    cash_note = doc.get("cash_equivalent_note")
    if cash_note is not None and not isinstance(cash_note, str):
        raise RulesError(f"{source}: cash_equivalent_note must be a text")
    return RuleSet(
        tuple(versions),
        cash=_codes(doc.get("cash", ["uang"]), "cash", source),
        cash_equivalents=_codes(doc.get("cash_equivalents"), "cash_equivalents", source),
        cash_equivalent_note=" ".join(cash_note.split()) if cash_note else None,
        conflict_givers=_codes(doc.get("conflict_givers"), "conflict_givers", source),
    )


def summary(rules: RuleSet) -> Sequence[str]:
    """One line per version, for `gratibot kb check`."""
    return [
        f"{v.title}: from {v.applies_from.isoformat()}, {len(v.rules)} rules"
        for v in sorted(rules.versions, key=lambda v: v.applies_from)
    ]
