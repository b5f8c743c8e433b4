"""Runs every benchmark module in bench/ and writes their Markdown to bench/results/.

A benchmark module defines `run() -> str`: it prints its figures as it goes and returns a
Markdown section (a heading and a table). Add a module and it is picked up here.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import bench

RESULTS = Path(__file__).parent / "results"


def main(names: list[str]) -> int:
    sections: list[str] = []
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        name = module_info.name
        if name.startswith("_") or (names and name not in names):
            continue
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if not callable(run):
            continue
        print(f"== bench.{name}", flush=True)
        sections.append(str(run()))
    if not sections:
        print("no benchmark ran", file=sys.stderr)
        return 1
    stamp = datetime.now(UTC)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header = (
        f"# gratibot benchmarks\n\n{stamp:%Y-%m-%d %H:%M} UTC, Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load} (a shared machine inflates the tails)\n"
    )
    RESULTS.mkdir(exist_ok=True)
    text = "\n".join([header, *sections])
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(f"written to {RESULTS / 'latest.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
