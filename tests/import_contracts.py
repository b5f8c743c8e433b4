"""An import-linter contract type: modules may import only the standard library and a list.

import-linter's own contracts forbid what is listed; the flows need the opposite (handlers/
may import the standard library, `handlers.*` and `bot.messages`, nothing else), so that a new
dependency is refused until someone decides it belongs there. Registered in pyproject.toml
under [tool.importlinter] as the `allowlist` contract type.
"""

from __future__ import annotations

import sys
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class AllowListContract(Contract):
    """Every module in source_modules (and in allowed_modules) imports only the standard
    library, its own package or allowed_modules (with their descendants)."""

    type_name = "allowlist"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_modules = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        sources = [str(m.name) for m in self.source_modules]  # type: ignore[attr-defined]
        allowed = [str(m.name) for m in self.allowed_modules]  # type: ignore[attr-defined]
        permitted = sources + allowed

        def inside(module: str, roots: list[str]) -> bool:
            return any(module == r or module.startswith(r + ".") for r in roots)

        checked = sorted(
            m for m in graph.modules if inside(m, permitted) and not graph.is_module_squashed(m)
        )
        refused: list[tuple[str, str, int]] = []
        for importer in checked:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                top = imported.split(".")[0]
                if top in sys.stdlib_module_names or top == "__future__":
                    continue
                if inside(imported, permitted):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                line = details[0]["line_number"] if details else 0
                refused.append((importer, imported, line))
        return ContractCheck(kept=not refused, metadata={"refused": refused})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, line in check.metadata["refused"]:
            output.print_error(f"{importer} imports {imported} (l.{line}), which is not allowed")
            output.new_line()
