"""Reading and checking the files in knowledge/: FAQ entries, synonyms, rules, UPPG contact.

`load` reads every file, reports each problem as file:line, and builds the KnowledgeBase only
when there is no error, so a broken file never replaces a working knowledge base.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.matcher import Entry, KnowledgeBase, Thresholds
from bot.knowledge.textnorm import Normaliser
from handlers.exemptions import RulesError, RuleSet, parse_rules
from handlers.formatting import rupiah

FAQ_DIR = "faq"
SYNONYMS_FILE = "synonyms.yaml"
RULES_FILE = "exemptions.yaml"
UPPG_FILE = "uppg.yaml"
PLACEHOLDERS = ("batas_uppg", "uppg_kontak", "uppg_nama")


@dataclass(frozen=True)
class Problem:
    """A finding of the knowledge check, printed as file:line: level: message."""

    source: str
    line: int
    level: str  # error | warning
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.level}: {self.message}"


# --- reading the files -----------------------------------------------------------------------


# libyaml's parser when the build has it (about twice as fast on the whole knowledge base).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc]
    """Remembers the line of each mapping and of each question, for file:line messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {
        str(getattr(k, "value", "")): k.start_mark.line + 1 for k, _ in node.value
    }
    for key, value in node.value:
        if getattr(key, "value", None) == "questions" and isinstance(value, yaml.SequenceNode):
            mapping["__qlines__"] = [n.start_mark.line + 1 for n in value.value]
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _read_yaml(path: Path, problems: list[Problem], *, lines: bool = False) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_LineLoader if lines else _SafeLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(path.name, line, "error", f"cannot read: {exc}".splitlines()[0]))
        return None


def _str_list(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    # A bare number ("2026", "37001") is a word too.
    if isinstance(raw, list) and all(
        isinstance(x, int | float | str) and not isinstance(x, bool) and str(x).strip() for x in raw
    ):
        return tuple(str(x).strip() for x in raw)
    return None


def _entry(raw: Any, source: str, problems: list[Problem]) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(source, 1, "error", "an entry must be a mapping"))
        return None
    line = int(raw.get("__line__", 1))
    before = len(problems)

    keys = raw.get("__keys__", {})

    def bad(message: str, key: str | None = None) -> None:
        problems.append(Problem(source, keys.get(key, line), "error", message))

    known = {
        "id",
        "category",
        "questions",
        "keywords",
        "answer",
        "basis",
        "reviewed",
        "change_2026",
        "see_also",
        "active",
        "__line__",
        "__qlines__",
        "__keys__",
    }
    for key in raw:
        if key not in known:
            bad(f"unknown field {key!r}", key)
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        bad("id is required")
        entry_id = "?"
    questions = _str_list(raw.get("questions"))
    if not questions:
        bad(f"{entry_id}: questions must be a non-empty list of texts", "questions")
    keywords = _str_list(raw.get("keywords"))
    if keywords is None:
        bad(f"{entry_id}: keywords must be a list of texts", "keywords")
    see_also = _str_list(raw.get("see_also"))
    if see_also is None:
        bad(f"{entry_id}: see_also must be a list of entry ids", "see_also")
    for key in ("category", "answer", "basis"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(f"{entry_id}: {key} is required", key)
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, date):
        bad(f"{entry_id}: reviewed must be a date (YYYY-MM-DD)", "reviewed")
    change = raw.get("change_2026")
    if change is not None and not isinstance(change, str):
        bad(f"{entry_id}: change_2026 must be a text", "change_2026")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        bad(f"{entry_id}: active must be true or false", "active")
    if isinstance(raw.get("answer"), str):
        for _, name, _, _ in string.Formatter().parse(raw["answer"]):
            if name is not None and name not in PLACEHOLDERS:
                known_names = ", ".join(PLACEHOLDERS)
                bad(f"{entry_id}: unknown placeholder {{{name}}} (known: {known_names})", "answer")
    if len(problems) > before:
        return None
    assert questions and keywords is not None and see_also is not None
    assert isinstance(reviewed, date)
    return Entry(
        id=entry_id.strip(),
        category=str(raw["category"]).strip(),
        questions=questions,
        keywords=keywords,
        answer=str(raw["answer"]).strip(),
        basis=str(raw["basis"]).strip(),
        reviewed=reviewed,
        change_2026=change.strip() if isinstance(change, str) else None,
        see_also=see_also,
        active=bool(active),
        source=source,
        line=line,
        question_lines=tuple(raw.get("__qlines__", [line] * len(questions))),
    )


# The fields by which a user can actually reach the UPPG (opening hours alone are no contact).
CONTACT_FIELDS = ("office", "phone", "whatsapp", "email")
NO_CONTACT = "no UPPG contact filled in (office address, phone, WhatsApp or e-mail)"


def has_uppg_contact(doc: Any) -> bool:
    """Whether uppg.yaml gives at least one way to reach the UPPG."""
    return isinstance(doc, dict) and any(str(doc.get(k) or "").strip() for k in CONTACT_FIELDS)


def uppg_contact_problem(directory: Path, *, production: bool) -> Problem | None:
    """An empty UPPG contact: an error in production (every "Kontak UPPG" answer would be
    empty), a warning elsewhere. Never fill it with a made-up number to silence it."""
    path = directory / UPPG_FILE
    problems: list[Problem] = []
    doc = _read_yaml(path, problems) if path.exists() else {}
    if problems:
        return problems[0]
    return None if has_uppg_contact(doc) else _no_contact(production)


def production_refusal(directory: Path) -> str | None:
    """Why a production process must not start (an empty UPPG contact), in one line."""
    problem = uppg_contact_problem(directory, production=True)
    if problem is None or problem.level != "error":
        return None
    return f"cannot start in production: {directory / problem.source}: {problem.message}"


def _no_contact(production: bool) -> Problem:
    if production:
        return Problem(UPPG_FILE, 1, "error", f"{NO_CONTACT}; required in production")
    return Problem(UPPG_FILE, 1, "warning", f"{NO_CONTACT}; users are told to visit")


def uppg_contact(doc: Any) -> tuple[str, str]:
    """The UPPG's name and its contact text; unfilled fields are left out, never invented."""
    doc = doc if isinstance(doc, dict) else {}
    name = str(doc.get("name") or "UPPG Inspektorat").strip()
    labels = {
        "office": "Alamat",
        "phone": "Telepon",
        "whatsapp": "WhatsApp",
        "email": "E-mail",
        "hours": "Jam layanan",
    }
    lines = [f"{label}: {str(doc[k]).strip()}" for k, label in labels.items() if doc.get(k)]
    if not lines:
        return name, f"Silakan hubungi {name} secara langsung di kantor Inspektorat."
    return name, "\n".join([f"{name}:", *lines])


# --- loading and checking --------------------------------------------------------------------


def signature(directory: Path) -> tuple[Any, ...]:
    """What changes when any knowledge file changes (names, sizes, modification times)."""
    paths = sorted(directory.glob(f"{FAQ_DIR}/*.yaml")) + [
        directory / name for name in (SYNONYMS_FILE, RULES_FILE, UPPG_FILE)
    ]
    out: list[tuple[str, int, int]] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def load(
    directory: Path,
    *,
    uppg_deadline_workdays: int = 10,
    thresholds: Thresholds | None = None,
    ambiguity: bool = False,
    production: bool = False,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Reads and checks every knowledge file; returns no knowledge base when there are errors."""
    problems: list[Problem] = []
    sig = signature(directory)
    faq_files = sorted((directory / FAQ_DIR).glob("*.yaml"))
    if not faq_files:
        problems.append(Problem(f"{FAQ_DIR}/", 0, "error", "no FAQ files (*.yaml) found"))
    entries: list[Entry] = []
    first_seen: dict[str, Entry] = {}
    for path in faq_files:
        source = f"{FAQ_DIR}/{path.name}"
        doc = _read_yaml(path, problems, lines=True)
        if doc is None:
            continue
        raw_entries = doc.get("entries") if isinstance(doc, dict) else None
        if not isinstance(raw_entries, list):
            problems.append(Problem(source, 1, "error", "expected a top-level 'entries' list"))
            continue
        for raw in raw_entries:
            entry = _entry(raw, source, problems)
            if entry is None:
                continue
            if entry.id in first_seen:
                other = first_seen[entry.id]
                problems.append(
                    Problem(
                        source,
                        entry.line,
                        "error",
                        f"duplicate id {entry.id!r} (first at {other.source}:{other.line})",
                    )
                )
                continue
            first_seen[entry.id] = entry
            entries.append(entry)
    for entry in entries:
        for ref in entry.see_also:
            if ref not in first_seen:
                problems.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "error",
                        f"{entry.id}: see_also names unknown entry {ref!r}",
                    )
                )
            elif not first_seen[ref].active and entry.active:
                problems.append(
                    Problem(entry.source, entry.line, "warning", f"see_also {ref!r} is inactive")
                )

    synonyms_doc = _read_yaml(directory / SYNONYMS_FILE, problems) or {}
    synonyms = synonyms_doc.get("synonyms", {}) if isinstance(synonyms_doc, dict) else None
    stopwords = synonyms_doc.get("stopwords", []) if isinstance(synonyms_doc, dict) else None
    keep = synonyms_doc.get("keep", []) if isinstance(synonyms_doc, dict) else None
    valid_synonyms = isinstance(synonyms, dict) and all(
        isinstance(k, str) and _str_list(v) is not None for k, v in synonyms.items()
    )
    if not valid_synonyms or _str_list(stopwords) is None or _str_list(keep) is None:
        problems.append(
            Problem(
                SYNONYMS_FILE,
                1,
                "error",
                "expected 'synonyms' (word: [variants]), 'stopwords' and optional 'keep' lists",
            )
        )
        synonyms, stopwords, keep = {}, [], []
    normaliser = Normaliser(synonyms or {}, stopwords or [], keep or [])

    rules: RuleSet | None = None
    rules_doc = _read_yaml(directory / RULES_FILE, problems)
    if rules_doc is not None:
        try:
            rules = parse_rules(rules_doc, RULES_FILE)
        except RulesError as exc:
            problems.append(Problem(RULES_FILE, 1, "error", str(exc)))

    uppg_path = directory / UPPG_FILE
    uppg_doc = _read_yaml(uppg_path, problems) if uppg_path.exists() else {}
    name, contact = uppg_contact(uppg_doc)
    if uppg_doc is not None and not has_uppg_contact(uppg_doc):
        problems.append(_no_contact(production))
    variables = {
        "batas_uppg": str(uppg_deadline_workdays),
        "uppg_kontak": contact,
        "uppg_nama": name,
    }

    if any(p.level == "error" for p in problems):
        return None, problems
    kb = KnowledgeBase(entries, normaliser, rules, variables, thresholds, sig)
    problems.extend(threshold_mismatches(kb))
    if ambiguity:
        problems.extend(ambiguities(kb))
    return kb, problems


def threshold_mismatches(kb: KnowledgeBase) -> list[Problem]:
    """FAQ answers that do not state the current thresholds of the rule with the same id."""
    if kb.rules is None or not kb.rules.versions:
        return []
    latest = max(kb.rules.versions, key=lambda v: v.applies_from)
    found: list[Problem] = []
    for rule in latest.rules:
        entry = kb.entries.get(rule.id)
        if entry is None:
            continue
        for amount in (rule.max_per_giver, rule.max_per_year):
            if amount is not None and rupiah(amount) not in entry.answer:
                found.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "warning",
                        f"{entry.id}: the answer does not mention {rupiah(amount)}, "
                        f"the current limit in {RULES_FILE} ({latest.id}, rule {rule.id})",
                    )
                )
    return found


def ambiguities(kb: KnowledgeBase) -> list[Problem]:
    """Phrasings of one entry that score higher on another entry."""
    found: list[Problem] = []
    for entry in kb.entries.values():
        for question, line in zip(entry.questions, entry.question_lines, strict=False):
            ranked, _ = kb.rank(question, limit=2)
            if ranked and ranked[0].id != entry.id:
                own = next((m.score for m in ranked if m.id == entry.id), None)
                own_text = f"{own:.2f}" if own is not None else "lower"
                found.append(
                    Problem(
                        entry.source,
                        line,
                        "warning",
                        f"{entry.id}: {question!r} scores higher on {ranked[0].id} "
                        f"({ranked[0].score:.2f} vs {own_text})",
                    )
                )
    return found
