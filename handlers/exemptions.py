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
from handlers.formatting import rupiah

ANY = "any"
VerdictKind = Literal["must_report", "exempt", "consult"]
Need = Literal["year_total", "coi"]

GENERAL_BASIS = "Pasal 12B dan 12C UU 20/2001; Pasal 2 ayat (1) PerKPK 2/2019"
REVERSED_BURDEN = 10_000_000


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
    conditions: tuple[str, ...] = ()
    unverified: str | None = None

    def matches(self, facts: Facts) -> bool:
        """Whether the giver, occasion and object fall under this rule."""
        if facts.giver_relation in self.excluded_givers:
            return False
        return (
            _covers(self.givers, facts.giver_relation)
            and _covers(self.occasions, facts.occasion)
            and _covers(self.objects, facts.object_type)
        )


@dataclass(frozen=True)
class RuleVersion:
    id: str
    title: str
    applies_from: date
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    versions: tuple[RuleVersion, ...]

    def version_on(self, day: date) -> RuleVersion | None:
        """The version in force on a day (the latest that started on or before it)."""
        current = None
        for version in sorted(self.versions, key=lambda v: v.applies_from):
            if version.applies_from <= day:
                current = version
        return current


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


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    version: RuleVersion | None
    rule: Rule | None
    reason: str
    conditions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        if self.rule is not None:
            return self.rule.basis
        return GENERAL_BASIS


def _covers(allowed: frozenset[str], code: str) -> bool:
    return ANY in allowed or code in allowed


def evaluate(rules: RuleSet, facts: Facts) -> Verdict | Need:
    """Applies the rules in force on the day received; may ask for one more fact first."""
    version = rules.version_on(facts.received)
    if version is None:
        return Verdict(
            "consult", None, None, "Tanggal itu sebelum aturan yang dimuat di bot ini berlaku."
        )
    rule = next((r for r in version.rules if r.matches(facts)), None)
    notes = _notes(facts)
    if rule is None:
        return _no_rule(version, facts, notes)
    label = f"huruf {rule.letter} ({rule.title})"
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
            )
        if facts.conflict_of_interest:
            reason = (
                f"Ada konflik kepentingan, sehingga pengecualian {label} tidak berlaku. "
                "Pemberian seperti ini seharusnya ditolak."
            )
            return Verdict("must_report", version, rule, reason, notes=notes)
    if rule.max_per_year is not None:
        if facts.year_total_rp is None:
            return "year_total"
        total = max(facts.year_total_rp, facts.value_rp or 0)
        if total > rule.max_per_year:
            reason = (
                f"Total dari pemberi yang sama tahun ini melebihi {rupiah(rule.max_per_year)} "
                f"pada pengecualian {label}."
            )
            return Verdict("must_report", version, rule, reason, notes=notes)
    conditions = [*rule.conditions]
    if rule.max_per_giver is not None:
        conditions.append(f"nilainya tidak lebih dari {rupiah(rule.max_per_giver)} per pemberi")
    if rule.max_per_year is not None:
        conditions.append(
            f"total dari pemberi yang sama tidak lebih dari {rupiah(rule.max_per_year)} per tahun"
        )
    if rule.requires_no_coi:
        conditions.append("tidak ada konflik kepentingan")
    extra = (f"{rule.unverified} Konfirmasi ke UPPG.",) if rule.unverified else ()
    return Verdict(
        "exempt",
        version,
        rule,
        f"Termasuk pengecualian {label}.",
        conditions=tuple(conditions),
        notes=extra,
    )


def _no_rule(version: RuleVersion, facts: Facts, notes: tuple[str, ...]) -> Verdict:
    unknown = "lainnya" in (facts.giver_relation, facts.occasion, facts.object_type)
    if unknown:
        return Verdict(
            "consult",
            version,
            None,
            "Pemberian ini tidak cocok dengan pengecualian yang bisa dinilai otomatis.",
        )
    if facts.giver_relation == "rekanan":
        reason = "Pemberian dari rekanan terkait jabatan Anda dan tidak termasuk pengecualian."
    elif facts.object_type == "uang" and facts.giver_relation in {
        "rekan_kerja",
        "atasan",
        "bawahan",
    }:
        reason = "Uang dari rekan kerja tidak termasuk pengecualian antar rekan kerja."
    else:
        reason = "Pemberian ini tidak termasuk pengecualian mana pun."
    return Verdict("must_report", version, None, reason, notes=notes)


def _notes(facts: Facts) -> tuple[str, ...]:
    if facts.value_rp is not None and facts.value_rp >= REVERSED_BURDEN:
        return (
            "Nilainya Rp10 juta atau lebih: bila tidak dilaporkan, Anda yang harus membuktikan "
            "bahwa itu bukan suap (Pasal 12B ayat (1) huruf a UU 20/2001).",
        )
    return ()


# --- parsing the YAML document (already loaded into plain Python values) -------------------

_CODES: dict[str, Mapping[str, str]] = {
    "givers": vocab.GIVER_RELATIONS,
    "excluded_givers": vocab.GIVER_RELATIONS,
    "occasions": vocab.OCCASIONS,
    "objects": vocab.OBJECT_TYPES,
}


def _codes(raw: Any, key: str, where: str) -> frozenset[str]:
    if raw is None and key == "excluded_givers":
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
        versions.append(RuleVersion(vid, _text(raw.get("title"), "title", where), start, rules))
    starts = [v.applies_from for v in versions]
    if len(set(starts)) != len(starts):
        raise RulesError(f"{source}: two versions start on the same day")
    return RuleSet(tuple(versions))


def summary(rules: RuleSet) -> Sequence[str]:
    """One line per version, for `gratibot kb check`."""
    return [
        f"{v.title}: from {v.applies_from.isoformat()}, {len(v.rules)} rules"
        for v in sorted(rules.versions, key=lambda v: v.applies_from)
    ]
