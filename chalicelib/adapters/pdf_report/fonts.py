"""The report's fonts: DejaVu Sans Condensed, embedded (every French character, U+202F included)."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "ConsoResSans"
BOLD = "ConsoResSans-Bold"
_FOLDER = Path(__file__).parent / "fonts"
_lock = threading.Lock()


def register() -> None:
    """Register the fonts once per process (ReportLab's registry is global)."""
    with _lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FOLDER / "DejaVuSansCondensed.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FOLDER / "DejaVuSansCondensed-Bold.ttf")))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        # Charts start every drawing in this font: ReportLab's default (Helvetica) would be listed in
        # the PDF without being embedded. ReportLab serves only the report in this process.
        STATE_DEFAULTS["fontName"] = REGULAR
