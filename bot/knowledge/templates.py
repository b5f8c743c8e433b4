"""Placeholders in answers, so an answer and the "Cek wajib lapor" check never disagree.

An answer writes `{batas.pernikahan}` instead of "Rp1.500.000": the amount comes from the rule
`pernikahan` of knowledge/exemptions.yaml in the version in force today. Names:
- `{batas.RULE}`, `{batas_tahun.RULE}`: max_per_giver and max_per_year of the rule today;
- `{batas_lama.RULE}`, `{batas_tahun_lama.RULE}`: the same in the version before it;
- `{tanggal_berlaku}`: the day today's version applies from ("20 Jan 2026");
- `{batas_uppg}`, `{uppg_kontak}`, `{uppg_nama}`: the UPPG deadline setting and uppg.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from handlers.exemptions import RuleSet, RuleVersion
from handlers.formatting import rupiah, tanggal

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\.([a-z0-9-]+))?\}")
SIMPLE = ("batas_uppg", "uppg_kontak", "uppg_nama", "tanggal_berlaku")
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
