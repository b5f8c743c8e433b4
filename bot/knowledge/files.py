"""Reading and checking the files in knowledge/: FAQ entries, synonyms, rules, UPPG contact.

`load` reads every file, reports each problem as file:line, and builds the KnowledgeBase only
when there is no error, so a broken file never replaces a working knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import templates
from bot.knowledge.matcher import PHONE_CHARS, CaseLead, Entry, KnowledgeBase, Thresholds
from bot.knowledge.textnorm import Normaliser
from handlers.exemptions import RulesError, RuleSet, parse_rules
from handlers.formatting import rupiah

FAQ_DIR = "faq"
SYNONYMS_FILE = "synonyms.yaml"
RULES_FILE = "exemptions.yaml"
UPPG_FILE = "uppg.yaml"


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
        problems.append(
            Problem(path.name, line, "error", f"tidak dapat dibaca: {exc}".splitlines()[0])
        )
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


def _list_hint(raw: Any) -> str:
    """Why a list of texts was not one, in words an admin can act on."""
    if isinstance(raw, list) and any(isinstance(x, bool) for x in raw):
        return (
            " (YAML membaca yes/no/on/off/true/false sebagai benar/salah: tulis dalam tanda"
            ' kutip, misalnya "no")'
        )
    return ""


ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACTIONS = ("lapor", "cek")
KNOWN_FIELDS = {
    "id",
    "category",
    "questions",
    "keywords",
    "answer",
    "basis",
    "reviewed",
    "change_2026",
    "see_also",
    "cases",
    "actions",
    "active",
    "__line__",
    "__qlines__",
    "__keys__",
}
# A case's line replaces the answer's first line: it must fit a phone line or two.
MAX_CASE_CHARS = 200


def _cases(raw: Any, entry_id: str, bad: Callable[[str], None]) -> tuple[CaseLead, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad(f"{entry_id}: cases harus berupa daftar (- when: [...] / answer: ...)")
        return ()
    out: list[CaseLead] = []
    for n, case in enumerate(raw, 1):
        when = _str_list(case.get("when")) if isinstance(case, dict) else None
        answer = case.get("answer") if isinstance(case, dict) else None
        if not when or not isinstance(answer, str) or not answer.strip():
            bad(
                f"{entry_id}: kasus ke-{n} perlu 'when' (daftar kata) dan 'answer' (teks)"
                + _list_hint(case.get("when") if isinstance(case, dict) else None)
            )
            continue
        extra = set(case) - {"when", "answer", "__line__", "__keys__"}
        if extra:
            bad(f"{entry_id}: kasus ke-{n}: kolom tidak dikenal {', '.join(sorted(extra))}")
        if len(answer.strip()) > MAX_CASE_CHARS or "\n" in answer.strip():
            bad(
                f"{entry_id}: jawaban kasus ke-{n} harus satu baris, "
                f"paling banyak {MAX_CASE_CHARS} karakter"
            )
        out.append(CaseLead(when, answer.strip()))
    return tuple(out)


def _entry(raw: Any, source: str, problems: list[Problem], today: date) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(
            Problem(source, 1, "error", "setiap entri harus berupa pemetaan (id:, questions:, ...)")
        )
        return None
    line = int(raw.get("__line__", 1))
    before = len(problems)

    keys = raw.get("__keys__", {})

    def bad(message: str, key: str | None = None) -> None:
        problems.append(Problem(source, keys.get(key, line), "error", message))

    for key in raw:
        if key not in KNOWN_FIELDS:
            bad(f"kolom tidak dikenal {key!r}", key)
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        bad("id wajib diisi")
        entry_id = "?"
    elif not ID_PATTERN.match(entry_id.strip()):
        bad(
            f"id {entry_id!r} hanya boleh huruf kecil, angka, dan tanda hubung "
            "(misalnya 'hadiah-rekanan'), tanpa huruf besar atau spasi",
            "id",
        )
    questions = _str_list(raw.get("questions"))
    if not questions:
        bad(
            f"{entry_id}: questions harus berupa daftar pertanyaan yang tidak kosong"
            + _list_hint(raw.get("questions")),
            "questions",
        )
    keywords = _str_list(raw.get("keywords"))
    if keywords is None:
        bad(
            f"{entry_id}: keywords harus berupa daftar kata" + _list_hint(raw.get("keywords")),
            "keywords",
        )
    see_also = _str_list(raw.get("see_also"))
    if see_also is None:
        bad(f"{entry_id}: see_also harus berupa daftar id entri", "see_also")
    actions = _str_list(raw.get("actions"))
    if actions is None or any(a not in ACTIONS for a in actions):
        bad(f"{entry_id}: actions hanya boleh berisi {', '.join(ACTIONS)}", "actions")
        actions = ()
    for key in ("category", "answer", "basis"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(f"{entry_id}: {key} wajib diisi", key)
    basis = raw.get("basis")
    if isinstance(basis, str) and "\n" in basis.strip():
        bad(f"{entry_id}: basis harus satu baris", "basis")
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, date):
        bad(
            f"{entry_id}: reviewed harus berupa tanggal (TTTT-BB-HH, misalnya 2026-12-01)",
            "reviewed",
        )
    elif reviewed > today:
        bad(
            f"{entry_id}: tanggal reviewed {reviewed.isoformat()} ada di masa depan "
            f"(hari ini {today.isoformat()}); tulis tanggal jawaban ini terakhir diperiksa",
            "reviewed",
        )
    change = raw.get("change_2026")
    if change is not None and not isinstance(change, str):
        bad(f"{entry_id}: change_2026 harus berupa teks", "change_2026")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        bad(f"{entry_id}: active harus true atau false", "active")
    cases = _cases(raw.get("cases"), str(entry_id), lambda m: bad(m, "cases"))
    if len(problems) > before:
        return None
    assert questions and keywords is not None and see_also is not None and actions is not None
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
        cases=cases,
        actions=actions,
        source=source,
        line=line,
        question_lines=tuple(raw.get("__qlines__", [line] * len(questions))),
    )


# The fields by which a user can actually reach the UPPG (opening hours alone are no contact).
CONTACT_FIELDS = ("office", "phone", "whatsapp", "email")
NO_CONTACT = "kontak UPPG belum diisi (alamat kantor, telepon, WhatsApp atau e-mail)"


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
        return Problem(UPPG_FILE, 1, "error", f"{NO_CONTACT}; wajib diisi di produksi")
    return Problem(
        UPPG_FILE, 1, "warning", f"{NO_CONTACT}; pengguna hanya diminta datang ke kantor"
    )


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


def _faq_entries(directory: Path, problems: list[Problem], today: date) -> list[Entry]:
    """Every entry of faq/*.yaml; a file without entries is an error (answers would vanish)."""
    faq_dir = directory / FAQ_DIR
    faq_files = sorted(faq_dir.glob("*.yaml"))
    for ignored in sorted(faq_dir.glob("*.yml")):
        problems.append(
            Problem(
                f"{FAQ_DIR}/{ignored.name}",
                1,
                "warning",
                f"berkas ini diabaikan: bot hanya membaca *.yaml; ganti namanya menjadi "
                f"{ignored.stem}.yaml",
            )
        )
    if not faq_files:
        problems.append(Problem(f"{FAQ_DIR}/", 0, "error", "tidak ada berkas FAQ (*.yaml)"))
    entries: list[Entry] = []
    first_seen: dict[str, Entry] = {}
    for path in faq_files:
        source = f"{FAQ_DIR}/{path.name}"
        errors_before = sum(1 for p in problems if p.level == "error")
        doc = _read_yaml(path, problems, lines=True)
        if sum(1 for p in problems if p.level == "error") > errors_before:
            continue
        raw_entries = doc.get("entries") if isinstance(doc, dict) else None
        if doc is None or (isinstance(doc, dict) and not raw_entries and "entries" in doc):
            # An emptied file would silently take its answers away from users.
            problems.append(
                Problem(
                    source,
                    1,
                    "error",
                    "berkas ini tidak berisi entri; bila semua jawabannya memang hendak "
                    "dihapus, hapus berkasnya (atau tulis active: false pada tiap entri)",
                )
            )
            continue
        if not isinstance(raw_entries, list):
            problems.append(
                Problem(source, 1, "error", "berkas harus dimulai dengan daftar 'entries:'")
            )
            continue
        for raw in raw_entries:
            entry = _entry(raw, source, problems, today)
            if entry is None:
                continue
            if entry.id in first_seen:
                other = first_seen[entry.id]
                problems.append(
                    Problem(
                        source,
                        entry.line,
                        "error",
                        f"id {entry.id!r} dipakai dua kali "
                        f"(pertama di {other.source}:{other.line})",
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
                        f"{entry.id}: see_also menyebut entri yang tidak ada: {ref!r}",
                    )
                )
            elif not first_seen[ref].active and entry.active:
                problems.append(
                    Problem(entry.source, entry.line, "warning", f"see_also {ref!r} tidak aktif")
                )
    return entries


def _normaliser(directory: Path, problems: list[Problem]) -> Normaliser:
    doc = _read_yaml(directory / SYNONYMS_FILE, problems) or {}
    synonyms = doc.get("synonyms", {}) if isinstance(doc, dict) else None
    stopwords = doc.get("stopwords", []) if isinstance(doc, dict) else None
    keep = doc.get("keep", []) if isinstance(doc, dict) else None
    tags = doc.get("question_tags", []) if isinstance(doc, dict) else None
    domain = doc.get("domain_words", []) if isinstance(doc, dict) else None
    off_topic = doc.get("off_topic_words", []) if isinstance(doc, dict) else None
    weak = doc.get("weak_domain_words", []) if isinstance(doc, dict) else None
    bad_lists = (
        [str(k) for k, v in (synonyms or {}).items() if _str_list(v) is None]
        if isinstance(synonyms, dict)
        else []
    )
    if (
        not isinstance(synonyms, dict)
        or bad_lists
        or _str_list(stopwords) is None
        or (_str_list(keep) is None or _str_list(tags) is None)
        or _str_list(domain) is None
        or _str_list(off_topic) is None
        or _str_list(weak) is None
    ):
        where = f" (periksa: {', '.join(bad_lists[:5])})" if bad_lists else ""
        lists = synonyms if isinstance(synonyms, dict) else {}
        hint = _list_hint(stopwords) or next(
            (_list_hint(lists[k]) for k in bad_lists if _list_hint(lists[k])), ""
        )
        problems.append(
            Problem(
                SYNONYMS_FILE,
                1,
                "error",
                "harus berisi 'synonyms' (kata: [variasi]), 'stopwords', dan boleh juga 'keep', "
                "'question_tags', 'off_topic_words', 'domain_words' dan 'weak_domain_words'"
                + where
                + hint,
            )
        )
        return Normaliser({}, [], [])
    return Normaliser(
        synonyms,
        stopwords or [],
        keep or [],
        tags or [],
        _str_list(domain) or (),
        _str_list(off_topic) or (),
        _str_list(weak) or (),
    )


def load(
    directory: Path,
    *,
    days: templates.DayCounts | None = None,
    thresholds: Thresholds | None = None,
    ambiguity: bool = False,
    today: Callable[[], date] | None = None,
    production: bool = False,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Reads and checks every knowledge file; returns no knowledge base when there are errors.

    `days`: the deadline settings the answers quote (templates.DayCounts; defaults when None)."""
    clock = today or _jakarta_today
    problems: list[Problem] = []
    sig = signature(directory)
    entries = _faq_entries(directory, problems, clock())
    normaliser = _normaliser(directory, problems)

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
        **(days or templates.DayCounts()).values(),
        "uppg_kontak": contact,
        "uppg_nama": name,
    }
    problems.extend(placeholder_problems(entries, rules, variables, clock()))

    if any(p.level == "error" for p in problems):
        return None, problems
    kb = KnowledgeBase(entries, normaliser, rules, variables, thresholds, sig, today=clock)
    problems.extend(threshold_mismatches(kb))
    problems.extend(phone_problems(kb))
    if ambiguity:
        problems.extend(ambiguities(kb))
    return kb, problems


def _jakarta_today() -> date:
    from bot.knowledge.matcher import _today

    return _today()


def _texts(entry: Entry) -> list[tuple[str, str]]:
    """(field, text) of every part of an entry that may hold placeholders."""
    out = [("answer", entry.answer)]
    out += [("cases", case.answer) for case in entry.cases]
    if entry.change_2026:
        out.append(("change_2026", entry.change_2026))
    return out


def placeholder_problems(
    entries: list[Entry], rules: RuleSet | None, variables: dict[str, str], day: date
) -> list[Problem]:
    """Placeholders that cannot be filled today, and braces that are no placeholder."""
    values = {**templates.rule_values(rules, day), **variables}
    found: list[Problem] = []
    for entry in entries:
        for _, text in _texts(entry):
            for name in templates.names(text):
                reason = templates.problem(name, values)
                if reason is not None:
                    found.append(
                        Problem(entry.source, entry.line, "error", f"{entry.id}: {reason}")
                    )
            if "{" in templates.PLACEHOLDER.sub("", text) or "}" in templates.PLACEHOLDER.sub(
                "", text
            ):
                found.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "error",
                        f"{entry.id}: tanda {{ }} hanya untuk placeholder seperti {{batas_uppg}} "
                        "atau {batas.pernikahan}",
                    )
                )
    return found


def threshold_mismatches(kb: KnowledgeBase) -> list[Problem]:
    """Answers that write a rule's amount by hand, or do not state the rule's current limit."""
    if kb.rules is None or not kb.rules.versions:
        return []
    current, _ = templates.versions(kb.rules, kb.today())
    found: list[Problem] = []
    by_id: dict[str, set[int]] = {}
    for version in kb.rules.versions:
        for rule in version.rules:
            for amount in (rule.max_per_giver, rule.max_per_year):
                if amount is not None:
                    by_id.setdefault(rule.id, set()).add(amount)
    for entry in kb.entries.values():
        written = " ".join(text for _, text in _texts(entry))
        for amount in sorted(by_id.get(entry.id, ())):
            if rupiah(amount) in written:
                found.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "warning",
                        f"{entry.id}: {rupiah(amount)} ditulis langsung; tulis placeholder "
                        f"{{batas.{entry.id}}} (atau batas_tahun, batas_lama) agar jawaban "
                        f"selalu sama dengan {RULES_FILE}",
                    )
                )
    if current is None:
        return found
    for rule in current.rules:
        same = kb.entries.get(rule.id)
        if same is None:
            continue
        rendered = kb.render(same.id)
        for amount in (rule.max_per_giver, rule.max_per_year):
            if amount is not None and rupiah(amount) not in rendered:
                found.append(
                    Problem(
                        same.source,
                        same.line,
                        "warning",
                        f"{same.id}: jawaban tidak menyebut {rupiah(amount)}, batas yang "
                        f"berlaku di {RULES_FILE} ({current.id}, aturan {rule.id})",
                    )
                )
    return found


FIRST_LINE_CHARS = 160


def phone_problems(kb: KnowledgeBase) -> list[Problem]:
    """Answers too long for a phone screen, or whose first line does not answer at once."""
    found: list[Problem] = []
    for entry in kb.entries.values():
        # The longest of the general answer and each case's answer.
        variants = [frozenset[str]()] + [
            g for groups, _ in kb.cases.get(entry.id, []) for g in groups
        ]
        rendered = max((kb.render(entry.id, tokens) for tokens in variants), key=len)
        if len(rendered) > PHONE_CHARS:
            found.append(
                Problem(
                    entry.source,
                    entry.line,
                    "warning",
                    f"{entry.id}: jawaban {len(rendered)} karakter; di layar ponsel sebaiknya "
                    f"paling banyak {PHONE_CHARS} (termasuk baris dasar hukum)",
                )
            )
        first = templates.fill(entry.answer, kb.values()).splitlines()[0]
        if len(first) > FIRST_LINE_CHARS:
            found.append(
                Problem(
                    entry.source,
                    entry.line,
                    "warning",
                    f"{entry.id}: baris pertama {len(first)} karakter; baris pertama menjawab "
                    f"langsung (Ya / Tidak / Tergantung ...), paling banyak {FIRST_LINE_CHARS}",
                )
            )
    return found


def ambiguities(kb: KnowledgeBase) -> list[Problem]:
    """Phrasings of one entry that score higher on another entry."""
    found: list[Problem] = []
    for entry in kb.entries.values():
        for question, line in zip(entry.questions, entry.question_lines, strict=False):
            ranked = kb.rank(question, limit=2).ranked
            if ranked and ranked[0].id != entry.id:
                own = next((m.score for m in ranked if m.id == entry.id), None)
                own_text = f"{own:.2f}" if own is not None else "lebih rendah"
                found.append(
                    Problem(
                        entry.source,
                        line,
                        "warning",
                        f"{entry.id}: {question!r} lebih cocok dengan {ranked[0].id} "
                        f"({ranked[0].score:.2f} lawan {own_text}); ubah kalimatnya atau "
                        "gabungkan kedua entri",
                    )
                )
    return found
