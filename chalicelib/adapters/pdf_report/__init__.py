"""The standard report printed as PDF with ReportLab (platypus and its own charts: no system
library, pure Python besides Pillow). ReportLab's open-source edition writes no tagged PDF;
the text stays text (selectable), the fonts are embedded, title and language are set."""

from chalicelib.adapters.pdf_report.document import PdfReportPrinter

__all__ = ["PdfReportPrinter"]
