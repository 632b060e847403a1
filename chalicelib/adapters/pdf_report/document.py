"""The report's layout: A4 portrait, a cover, a table of contents, the sections, and on every page
but the cover a footer with "Page n / N"; the PDF's title, author, subject and language set and
its outline (bookmarks) following the sections."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import NextPageTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from chalicelib.adapters.pdf_report import charts
from chalicelib.adapters.pdf_report.fonts import BOLD, REGULAR, register
from chalicelib.domain.reports import model
from chalicelib.domain.reports.french import NNBSP
from chalicelib.services.ports.standard_report import PrintedReport

MARGIN = 2 * cm
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#4b5563")
ACCENT = colors.HexColor("#1d4ed8")
HEADER_FILL = colors.HexColor("#dbeafe")
ZEBRA = colors.HexColor("#f3f4f6")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK, spaceAfter=6)
    return {
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        "notice": ParagraphStyle("notice", parent=body, backColor=colors.HexColor("#fef3c7"), borderPadding=5,
                                 borderColor=colors.HexColor("#d97706"), borderWidth=0.5, spaceBefore=4, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=10,
                             keepWithNext=1),
        # No keepWithNext: it would keep a whole table with its heading (see _story for how they stay together).
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_number": ParagraphStyle("cell_number", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "cell_head_number": ParagraphStyle("cell_head_number", parent=body, fontName=BOLD, fontSize=8, leading=10,
                                           spaceAfter=0, alignment=TA_RIGHT),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8, leading=10, textColor=MUTED, spaceBefore=2),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=BOLD, fontSize=28, leading=34, textColor=ACCENT),
        "cover_subtitle": ParagraphStyle("cover_subtitle", parent=body, fontName=BOLD, fontSize=18, leading=23,
                                         spaceBefore=6, spaceAfter=24),
        "toc0": ParagraphStyle("toc0", parent=body, fontName=BOLD, fontSize=10.5, leading=15, leftIndent=0),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=9.5, leading=12, leftIndent=0.8 * cm),
    }  # fmt: skip


def _escape(text: str) -> str:
    """The text as a ReportLab paragraph reads it: markup escaped, and every narrow no-break space (French
    thousands, before a unit sign) a no-break space: ReportLab breaks lines at U+202F, never at U+00A0,
    so "1 234 567,8" stays on one line."""
    return _unbroken(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unbroken(text: str) -> str:
    return text.replace(NNBSP, "\u00a0")


class _Heading(Paragraph):  # type: ignore[misc]
    """A section or sub-section title: an entry of the table of contents and of the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(_escape(text), style)
        self.toc = (level, _unbroken(text), key)


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, report: model.Report) -> None:
        super().__init__(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
            title=report.title, author=report.author, subject=report.subject, creator="ConsoRes",
            lang=report.language, keywords=["ConsoRes", "antibiotiques", "résistance", "rapport"],
        )  # fmt: skip
        frame = Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="body")
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._cover_page),
            PageTemplate("page", [frame], onPage=self._page),
        ])  # fmt: skip
        self.footer = report.footer

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's hook)
        if isinstance(flowable, _Heading):
            level, text, key = flowable.toc
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)
            self.notify("TOCEntry", (level, text, self.page, key))

    def _cover_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, A4[1] - 1.2 * cm, A4[0], 1.2 * cm, stroke=0, fill=1)
        canvas.restoreState()

    def _page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#d1d5db"))
        canvas.line(MARGIN, MARGIN - 0.4 * cm, A4[0] - MARGIN, MARGIN - 0.4 * cm)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN - 0.8 * cm, self.footer)
        canvas.restoreState()


def _numbered_canvas(counter: list[int]) -> type[Canvas]:
    """A canvas that writes "Page n / N" once it knows N (every page but the cover)."""

    class Numbered(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, "initialFontName": REGULAR})  # never a non-embedded Helvetica
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's method)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(REGULAR, 7.5)
                    self.setFillColor(MUTED)
                    self.drawRightString(A4[0] - MARGIN, MARGIN - 0.8 * cm, f"Page {self._pageNumber} / {total}")
                super().showPage()
            counter.append(total)
            super().save()

    return Numbered


class PdfReportPrinter:
    """``ReportPrinter`` with ReportLab (see ``services/ports/reports.py``)."""

    def __init__(self) -> None:
        register()
        self._styles = _styles()

    def print(self, report: model.Report) -> PrintedReport:
        buffer = io.BytesIO()
        document = _Document(buffer, report)
        counter: list[int] = []
        document.multiBuild(self._story(report), canvasmaker=_numbered_canvas(counter))
        return PrintedReport(buffer.getvalue(), counter[-1])

    # The story ---------------------------------------------------------------------------
    def _story(self, report: model.Report) -> list[Flowable]:
        s = self._styles
        cover = report.cover
        story: list[Flowable] = [
            Spacer(1, 4 * cm),
            Paragraph(_escape(cover.title), s["cover_title"]),
            Paragraph(_escape(cover.subtitle), s["cover_subtitle"]),
            self._table(model.Table(("", ""), cover.facts, numeric_from=2, widths=(1.4, 3.6)), header=False),
            Spacer(1, 1.2 * cm),
            Paragraph(_escape(cover.note), s["body"]),
        ]
        story += [NextPageTemplate("page"), PageBreak(), Paragraph("Sommaire", s["h1"])]
        toc = TableOfContents(dotsMinLevel=0)
        toc.levelStyles = [s["toc0"], s["toc1"]]
        toc.tableStyle = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        story.append(toc)
        for number, section in enumerate(report.sections, start=1):
            if section.new_page:
                # A block's space after it, pushed past a page it filled, would leave the next page blank.
                while isinstance(story[-1], Spacer) and not isinstance(story[-1], CondPageBreak):
                    story.pop()
            story.append(PageBreak() if section.new_page else Spacer(1, 0.6 * cm))
            story.append(_Heading(f"{number}. {section.title}", s["h1"], 0, f"s{number}"))
            sub = 0
            pending: _Heading | None = None
            for block in section.blocks:
                if isinstance(block, model.Heading):
                    sub += 1
                    pending = _Heading(block.text, s["h2"], 1, f"s{number}.{sub}")
                    continue
                flowables = self._block(block)
                if pending is not None:  # a sub-heading never ends a page: it starts one with its first block
                    if isinstance(flowables[0], Table):  # a table splits by rows: room for a few is enough
                        flowables = [CondPageBreak(4 * cm), pending, *flowables]
                    else:
                        flowables = [KeepTogether([pending, flowables[0]]), *flowables[1:]]
                    pending = None
                story.extend(flowables)
            if pending is not None:
                story.append(pending)
        return story

    def _block(self, block: model.Block) -> list[Flowable]:
        s = self._styles
        if isinstance(block, model.Paragraph):
            return [Paragraph(_escape(block.text), s.get(block.style, s["body"]))]
        if isinstance(block, model.KeyFigures):
            rows = tuple((f.label, f.value, f.position, f.trend) for f in block.items)
            columns = ("Indicateur", "Valeur", "Position dans la catégorie", "Évolution")
            return [self._table(model.Table(columns, rows, numeric_from=4, widths=(2.2, 1.5, 2.6, 2.6))), Spacer(1, 8)]
        if isinstance(block, model.Table):
            flowables: list[Flowable] = [self._table(block)]
            if block.caption:
                flowables.append(Paragraph(_escape(block.caption), s["caption"]))
            return [*flowables, Spacer(1, 8)]
        if isinstance(block, model.Bars):
            return [charts.bars(block), Spacer(1, 8)]
        if isinstance(block, model.Lines):
            drawing = charts.lines(block)
            if drawing is None:
                return [Paragraph(_escape(f"{block.title} : aucune valeur sur la période."), s["note"])]
            return [drawing, Spacer(1, 8)]
        if isinstance(block, model.Positions):
            return [charts.positions(block), Spacer(1, 8)]
        raise TypeError(f"unknown report block {type(block).__name__}")

    def _table(self, table: model.Table, header: bool = True) -> Table:
        s = self._styles
        width = A4[0] - 2 * MARGIN
        weights = table.widths or tuple(1.0 for _ in table.columns)
        widths = [width * w / sum(weights) for w in weights]
        data: list[list[Paragraph]] = []
        numeric = [i >= table.numeric_from and i not in table.text_columns for i in range(len(table.columns))]
        if header:
            data.append([Paragraph(_escape(c), s["cell_head_number" if numeric[i] else "cell_head"])
                         for i, c in enumerate(table.columns)])  # fmt: skip
        for row in table.rows:
            data.append([Paragraph(_escape(cell), s["cell_number" if numeric[i] else "cell"]) for i, cell in enumerate(row)])
        style = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#e5e7eb")),
        ]
        if header:
            style += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
        first = 1 if header else 0
        for index in range(first, len(data)):
            if (index - first) % 2 == 1:
                style.append(("BACKGROUND", (0, index), (-1, index), ZEBRA))
        return Table(data, colWidths=widths, repeatRows=1 if header else 0, style=TableStyle(style), hAlign="LEFT")
