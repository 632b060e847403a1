"""The report's layout rules: a sub-heading never ends a page alone, and a long table starts under
its heading (splitting across pages, its header repeated) instead of leaving a page empty."""

from __future__ import annotations

import pypdfium2 as pdfium

from chalicelib.adapters.pdf_report import PdfReportPrinter
from chalicelib.domain.reports import french, model

COVER = model.Cover("Rapport annuel 2025", "CHU", (("Établissement", "CHU"),))
HEADER = ("Espèce", "Antibiotique", "n testés", "% R", "IC 95 %")
ROWS = tuple((f"Espèce {i}", "Céfotaxime", "100", "12,0 %", "[1,0 ; 20,0]") for i in range(120))


def pages(*blocks: model.Block) -> list[str]:
    printed = PdfReportPrinter().print(model.Report("t", "s", "a", COVER, (model.Section("Résistance", blocks),)))
    pdf = pdfium.PdfDocument(printed.content)
    return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def test_a_long_table_starts_under_its_heading_and_repeats_its_header_on_the_next_pages():
    found = pages(
        model.Paragraph("Les isolats cliniques."), model.Heading("Pourcentage de résistance"), model.Table(HEADER, ROWS)
    )
    section = next(i for i, text in enumerate(found) if "1. Résistance" in text and "Sommaire" not in text)
    assert "Pourcentage de résistance" in found[section] and "Espèce 0 " in found[section]
    assert all("Espèce Antibiotique n testés" in text for text in found[section + 1 :])


def test_a_sub_heading_is_never_the_last_line_of_a_page():
    filler = tuple(model.Paragraph(f"Paragraphe {i} " + "texte " * 60) for i in range(9))
    found = pages(
        *filler, model.Heading("Évolution"), model.Lines("Tendance", "%", (2024, 2025), (model.Series("CHU", (1.0, 2.0)),))
    )
    page = next(text for text in found if "Évolution" in text and "Sommaire" not in text)
    assert "Tendance" in page  # its chart came with it


def test_a_number_never_breaks_at_its_thousands_separator():
    """French numbers group thousands with a narrow no-break space (``french.decimal``): a cell or a
    paragraph too narrow for its line wraps between words, never inside "1 234 567,8"."""
    number = french.decimal(1234567.8)
    rows = tuple((f"Ligne {k}", f"{'m' * k} {number} DDJ/1000 JH") for k in range(1, 12))  # the number at every place
    paragraphs = tuple(model.Paragraph(("Consommation de l'année " * k) + f"{number} DDJ.") for k in range(1, 12))
    table = model.Table(("Indicateur", "Valeur"), rows, widths=(7, 3))
    printed = PdfReportPrinter().print(model.Report("t", "s", "a", COVER, (model.Section("Consommation", (table, *paragraphs)),)))
    pdf = pdfium.PdfDocument(printed.content)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    lines = [" ".join(line.replace("\xa0", " ").replace("\u202f", " ").split()) for line in text.splitlines()]
    assert sum(line.count("1 234 567,8") for line in lines) == len(rows) + len(paragraphs)


def test_a_section_that_fills_its_last_page_to_the_bottom_leaves_no_blank_page_before_the_next():
    rows = tuple((f"Ligne {i}", str(i)) for i in range(43))
    for notes in range(1, 6):  # a table then its caption ending within a few points of the page's bottom
        blocks = (*(model.Paragraph("Une note.", "note") for _ in range(notes)), model.Table(("Phénotype", "n"), rows[notes:],
                  caption="Légende"))  # fmt: skip
        sections = (model.Section("Alertes", blocks), model.Section("Annexe", (model.Paragraph("Fin."),)))
        printed = PdfReportPrinter().print(model.Report("t", "s", "a", COVER, sections, footer="pied"))
        pdf = pdfium.PdfDocument(printed.content)
        texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
        assert not [i + 1 for i, text in enumerate(texts) if text.startswith("pied Page")], (notes, texts)
