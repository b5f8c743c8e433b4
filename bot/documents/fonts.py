"""Fonts for printed documents: DejaVu Sans (shipped) plus the system's Noto fonts as fallbacks,
so a name in Chinese, Arabic, Javanese or Thai prints as written.

A character no installed font has is replaced by a visible marker, never dropped silently,
and `missing` tells the detail page to warn. The fallbacks are Debian packages
(fonts-noto-core, fonts-noto-cjk, fonts-symbola; the Dockerfile and .ci/run install them);
without them the documents still print, with markers.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
MARKER = "[?]"

_NOTO = Path("/usr/share/fonts/truetype/noto")
# Fallbacks in the order they are tried: scripts people in Indonesia write names in first.
FALLBACKS: tuple[tuple[str, Path], ...] = (
    ("NotoCJK", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")),
    ("NotoArabic", _NOTO / "NotoNaskhArabic-Regular.ttf"),
    ("NotoJavanese", _NOTO / "NotoSansJavanese-Regular.ttf"),
    ("NotoBalinese", _NOTO / "NotoSansBalinese-Regular.ttf"),
    ("NotoSundanese", _NOTO / "NotoSansSundanese-Regular.ttf"),
    ("NotoBuginese", _NOTO / "NotoSansBuginese-Regular.ttf"),
    ("NotoBatak", _NOTO / "NotoSansBatak-Regular.ttf"),
    ("NotoHebrew", _NOTO / "NotoSansHebrew-Regular.ttf"),
    ("NotoThai", _NOTO / "NotoSansThai-Regular.ttf"),
    ("NotoDevanagari", _NOTO / "NotoSansDevanagari-Regular.ttf"),
    ("NotoTamil", _NOTO / "NotoSansTamil-Regular.ttf"),
    ("NotoBengali", _NOTO / "NotoSansBengali-Regular.ttf"),
    ("NotoKhmer", _NOTO / "NotoSansKhmer-Regular.ttf"),
    ("NotoMyanmar", _NOTO / "NotoSansMyanmar-Regular.ttf"),
    ("NotoGeorgian", _NOTO / "NotoSansGeorgian-Regular.ttf"),
    ("NotoArmenian", _NOTO / "NotoSansArmenian-Regular.ttf"),
    ("NotoEthiopic", _NOTO / "NotoSansEthiopic-Regular.ttf"),
    ("NotoSymbols", _NOTO / "NotoSansSymbols-Regular.ttf"),
    ("NotoSymbols2", _NOTO / "NotoSansSymbols2-Regular.ttf"),
    ("Symbola", Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")),
)
# Scripts that need shaping (joined letters, marks, right-to-left).
_SHAPED = ("ARABIC", "HEBREW", "JAVANESE", "BALINESE", "SUNDANESE", "BUGINESE", "BATAK",
           "THAI", "DEVANAGARI", "TAMIL", "BENGALI", "KHMER", "MYANMAR")  # fmt: skip
_lock = threading.Lock()


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    """The code points a font file covers (read once per process)."""
    with _lock:
        font = TTFont(str(path), fontNumber=0, lazy=True)
        try:
            return frozenset(font.getBestCmap() or {})
        finally:
            font.close()


def _ignorable(char: str) -> bool:
    # Spaces, controls, joiners and variation selectors need no glyph of their own.
    return (
        char.isspace()
        or unicodedata.category(char) in ("Cc", "Cf", "Zs")
        or 0xFE00 <= ord(char) <= 0xFE0F
    )


@dataclass
class Coverage:
    """Which fallback fonts a document needs, and which characters none of them has."""

    fonts: dict[str, Path]
    missing: set[str]
    shaping: bool

    def printable(self, text: str) -> str:
        """The text with every character no font has replaced by a visible marker."""
        if not self.missing or not any(c in self.missing for c in text):
            return text
        return "".join(MARKER if c in self.missing else c for c in text)


def coverage(texts: Iterable[str | None]) -> Coverage:
    """The fonts these texts need (DejaVu first, then the fallbacks in order)."""
    base = _cmap(REGULAR)
    needed: dict[str, Path] = {}
    missing: set[str] = set()
    shaping = False
    seen: set[str] = set()
    for text in texts:
        for char in text or "":
            if char in seen:
                continue
            seen.add(char)
            point = ord(char)
            if point < 0x250:
                continue
            name = unicodedata.name(char, "")
            shaping = shaping or any(script in name for script in _SHAPED)
            if point in base or _ignorable(char):
                continue
            for font, path in FALLBACKS:
                if path.exists() and point in _cmap(path):
                    needed.setdefault(font, path)
                    break
            else:
                missing.add(char)
    return Coverage(needed, missing, shaping)


def missing_characters(texts: Iterable[str | None]) -> list[str]:
    """The characters no installed font can print (for a warning on the detail page)."""
    return sorted(coverage(texts).missing)
