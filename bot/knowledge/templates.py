"""Placeholders in answers, so an answer and the "Cek wajib lapor" check never disagree.

An answer writes `{batas.pernikahan}` instead of "Rp1.500.000": the amount comes from the rule
`pernikahan` of knowledge/exemptions.yaml in the version in force today. Names:
- `{batas.RULE}`, `{batas_tahun.RULE}`: max_per_giver and max_per_year of the rule today;
- `{batas_lama.RULE}`, `{batas_tahun_lama.RULE}`: the same in the version before it;
- `{tanggal_berlaku}`: the day today's version applies from ("20 Jan 2026");
- `{uppg_kontak}`, `{uppg_nama}`: from uppg.yaml;
- the deadline settings (DayCounts below), so an answer says what the receipt and the check
  compute: `{batas_uppg}` (reporter -> UPPG), `{batas_kpk}` (reporter -> KPK, Pasal 12C),
  `{hari_kpk_uu}` (the statute's "30 hari kerja" of Pasal 12C, with the setting beside it
  when that differs: for sentences about the article's protection), `{hari_putusan_uu}` (the
  same for KPK's decision, Pasal 12C ayat (3)), `{batas_teruskan}` (UPPG -> KPK),
  `{batas_lengkap}` (completing a report), `{batas_putusan}` (KPK's decision), `{sisa_gol}`
  (days left below which the reporter also goes to KPK) and `{cara_hitung}` (whether cuti
  bersama and the first day count).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from handlers.deadlines import DIRECT_TO_KPK_WORKDAYS, STATUTE_WORKDAYS
from handlers.exemptions import RuleSet, RuleVersion
from handlers.formatting import rupiah, tanggal

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\.([a-z0-9-]+))?\}")
DAY_NAMES = (
    "batas_uppg",
    "batas_kpk",
    "hari_kpk_uu",
    "batas_teruskan",
    "batas_lengkap",
    "batas_putusan",
    "hari_putusan_uu",
    "sisa_gol",
    "cara_hitung",
)
SIMPLE = (*DAY_NAMES, "uppg_kontak", "uppg_nama", "tanggal_berlaku")


@dataclass(frozen=True)
class DayCounts:
    """The deadline settings an answer quotes (defaults as in bot/config.py)."""

    uppg: int = 10
    kpk: int = 30
    uppg_to_kpk: int = 10
    completion: int = 20
    kpk_decision: int = 30
    cuti_bersama_is_workday: bool = True
    count_start_day: bool = True

    @classmethod
    def of(cls, settings: Settings) -> DayCounts:
        return cls(
            uppg=settings.uppg_deadline_workdays,
            kpk=settings.kpk_deadline_workdays,
            uppg_to_kpk=settings.uppg_to_kpk_workdays,
            completion=settings.completion_workdays,
            kpk_decision=settings.kpk_decision_workdays,
            cuti_bersama_is_workday=settings.cuti_bersama_is_workday,
            count_start_day=settings.count_start_day,
        )

    def values(self) -> dict[str, str]:
        """The placeholders' texts: day counts as digits, the counting rule as a phrase."""
        cuti = "dihitung" if self.cuti_bersama_is_workday else "tidak dihitung"
        first = "menjadi" if self.count_start_day else "bukan"
        counting = f"cuti bersama {cuti} sebagai hari kerja, hari diterima {first} hari pertama"
        # Pasal 12C protects a report made within 30 working days whatever the setting says.
        statute = f"{STATUTE_WORKDAYS} hari kerja"
        if self.kpk != STATUTE_WORKDAYS:
            statute += f" (batas UPPG: {self.kpk} hari kerja)"
        decision = f"{STATUTE_WORKDAYS} hari kerja"
        if self.kpk_decision != STATUTE_WORKDAYS:
            decision += f" (dipantau UPPG: {self.kpk_decision} hari kerja)"
        return {
            "batas_uppg": str(self.uppg),
            "batas_kpk": str(self.kpk),
            "hari_kpk_uu": statute,
            "batas_teruskan": str(self.uppg_to_kpk),
            "batas_lengkap": str(self.completion),
            "batas_putusan": str(self.kpk_decision),
            "hari_putusan_uu": decision,
            "sisa_gol": str(DIRECT_TO_KPK_WORKDAYS),
            "cara_hitung": counting,
        }


# prefix -> (which version, which field of the rule)
RULE_FIELDS: dict[str, tuple[str, str]] = {
    "batas": ("current", "max_per_giver"),
    "batas_tahun": ("current", "max_per_year"),
    "batas_lama": ("previous", "max_per_giver"),
    "batas_tahun_lama": ("previous", "max_per_year"),
}


def names(text: str) -> list[str]:
    """Every placeholder in a text, as written inside the braces ("batas.pernikahan")."""
    return [m.group(0)[1:-1] for m in PLACEHOLDER.finditer(text)]


def versions(rules: RuleSet | None, day: date) -> tuple[RuleVersion | None, RuleVersion | None]:
    """The version in force on a day and the one before it."""
    if rules is None:
        return None, None
    current = rules.version_on(day)
    earlier = [v for v in rules.versions if current and v.applies_from < current.applies_from]
    previous = max(earlier, key=lambda v: v.applies_from) if earlier else None
    return current, previous


def rule_values(rules: RuleSet | None, day: date) -> dict[str, str]:
    """The rule placeholders' texts on a day (amounts as "Rp1.500.000")."""
    current, previous = versions(rules, day)
    values: dict[str, str] = {}
    if current is not None:
        values["tanggal_berlaku"] = tanggal(current.applies_from, short=True)
    chosen = {"current": current, "previous": previous}
    for prefix, (which, attribute) in RULE_FIELDS.items():
        version = chosen[which]
        if version is None:
            continue
        for rule in version.rules:
            amount = getattr(rule, attribute)
            if amount is not None:
                values[f"{prefix}.{rule.id}"] = rupiah(amount)
    return values


def problem(name: str, values: Mapping[str, str]) -> str | None:
    """Why a placeholder cannot be filled (in Indonesian, for `kb check`), or None."""
    if name in values:
        return None
    prefix, _, rule = name.partition(".")
    if not rule:
        known = ", ".join(f"{{{n}}}" for n in SIMPLE)
        if prefix in RULE_FIELDS:
            return f"{{{name}}} perlu nama aturan, misalnya {{{prefix}.pernikahan}}"
        return (
            f"placeholder {{{name}}} tidak dikenal (yang dikenal: {known}, {{batas.ATURAN}}, ...)"
        )
    if prefix not in RULE_FIELDS:
        return (
            f"placeholder {{{name}}} tidak dikenal (awalan yang dikenal: {', '.join(RULE_FIELDS)})"
        )
    which, attribute = RULE_FIELDS[prefix]
    version = "versi sebelumnya" if which == "previous" else "versi yang berlaku sekarang"
    return (
        f"{{{name}}}: aturan {rule!r} tanpa {attribute} di exemptions.yaml ({version}); "
        "periksa nama aturannya"
    )


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders filled; one that cannot be filled is left as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(0)[1:-1], m.group(0)), text)
