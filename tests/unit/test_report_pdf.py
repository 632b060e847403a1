"""The establishment report printed as PDF (DOMAIN.md §10.8): its figures are the API's, French-formatted;
A4, at most 16 pages numbered "Page n / N", fonts embedded, title and language set, text selectable.
Every page is rendered to PNG under test-output/report-pages/ for a person to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from chalicelib.adapters.pdf_report import PdfReportPrinter
from chalicelib.domain.codes import Finess
from chalicelib.domain.reports import french
from chalicelib.domain.reports import labels as fr
from chalicelib.domain.reports.resistance import ANTIBIOTICS_PER_SPECIES, most_tested
from tests.support import lake_fixture
from tests.support.lake_world import A
from tests.unit.test_indicator_intervals import REFERENT_A

PAGES_DIR = Path(__file__).resolve().parents[2] / "test-output" / "report-pages"
A4_POINTS = (595.27, 841.89)


@pytest.fixture(scope="module")
def world():
    from tests.support.report_world import report_world

    return report_world(lake_fixture.build())


@pytest.fixture(scope="module")
def printed(world):
    document = world.services.standard_reports.content(Finess(A), 2024, 1, datetime(2025, 3, 1, tzinfo=UTC))
    return PdfReportPrinter().print(document)


@pytest.fixture(scope="module")
def pdf(printed):
    return pdfium.PdfDocument(printed.content)


def _plain(text: str) -> str:
    """Extracted text with every kind of space as one (the PDF's narrow no-break spaces included)."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def text(pdf):
    return _plain(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))


def api(world, indicator: str, by: str | None = None, **options: str) -> list[dict]:
    return world.services.indicators.compute(REFERENT_A, indicator, f"establishment:{A}", "2024", by, options)["rows"]


def test_the_reports_consumption_is_the_apis_overall_by_family_sector_and_route(world, text):
    assert f"{_plain(french.decimal(api(world, 'ddj_1000jh')[0]['value']))} DDJ pour 1000 journées" in text
    for by, label in (("family", fr.family), ("sector", fr.sector), ("route", fr.route)):
        rows = api(world, "ddj_1000jh", by)
        assert rows
        for row in rows:
            assert _plain(f"{label(row[by])} {french.decimal(row['value'])} {french.count(row['numerator'])}") in text


def pct_r_line(row: dict) -> str:
    """A % R row of the API as the report's table reads it: species, antibiotic, n, % R (* when flagged), interval."""
    cells = (fr.species(row["species"]), fr.antibiotic(row["antibiotic"]), french.count(row["n"]),
             french.percent(row["value"]) + (" *" if row.get("flag") else ""), french.interval(row["ci_low"], row["ci_high"]))
    return _plain(" ".join(cells))  # fmt: skip


def test_the_reports_resistance_is_the_apis_with_n_and_intervals(world, text):
    rows = [r for r in api(world, "pct_r") if r["species"] in ("ESCCOL", "STAAUR")]
    kept = most_tested(rows, ANTIBIOTICS_PER_SPECIES)
    assert kept and all(pct_r_line(row) in text for row in kept)


def test_the_reports_strategy_panel_and_densities_are_the_apis(world, text):
    for row in api(world, "strategy_panel"):
        if row["unit"] == "/1000 JH":
            shown = f"{french.decimal(row['value'], 2)} /1000 JH {french.interval(row['ci_low'], row['ci_high'], 2)}"
        else:
            shown = french.percent(row["value"]) if row["unit"] == "%" else french.decimal(row["value"])
        assert _plain(f"{row['label']} {shown}") in text
    blood = api(world, "density_1000jh", phenotype="eblse", specimen="blood")[0]
    assert _plain(f"{french.count(blood['numerator'])} {french.decimal(blood['value'], 2)}") in text


def test_the_report_places_the_establishment_where_five_others_allow_and_says_where_they_do_not(world, text):
    benchmark = world.services.indicators.benchmark(REFERENT_A, "ddj_1000jh", A, "2024", {}, "sector")
    assert benchmark["percentiles"] and f"(médiane {_plain(french.decimal(benchmark['percentiles']['p50']))})" in text
    chart = text.split("DDJ/1000 JH de l'établissement parmi les établissements", 1)[1].split("Trait : P10 à P90")[0]
    shown = [fr.sector(r["sector"]) for r in benchmark["rows"] if r["percentiles"]]
    hidden = [fr.sector(r["sector"]) for r in benchmark["rows"] if not r["percentiles"]]
    assert shown and all(label in chart for label in ["Ensemble", *shown])
    assert not hidden or f"Comparaison non montrée pour : {', '.join(hidden)}." in text


def test_the_report_is_a4_with_at_most_16_numbered_pages_and_a_table_of_contents(printed, pdf, text):
    assert printed.pages == len(pdf) <= 16
    for index in range(len(pdf)):
        assert pdf[index].get_size() == pytest.approx(A4_POINTS, abs=0.5)
    for number in range(2, len(pdf) + 1):
        assert f"Page {number} / {len(pdf)}" in _plain(pdf[number - 1].get_textpage().get_text_range())
    assert "Sommaire 1. Chiffres clés" in text and "7. Annexe : méthodes" in text


def test_the_pdf_embeds_its_font_and_sets_title_author_subject_and_french_language(printed, pdf):
    metadata = pdf.get_metadata_dict()
    assert metadata["Title"] == "Rapport annuel 2024 — CH 440000990"
    assert metadata["Author"].startswith("ConsoRes") and "2024" in metadata["Subject"]
    assert b"/Lang (fr-FR)" in printed.content
    assert b"/FontFile2" in printed.content and b"DejaVuSansCondensed" in printed.content
    assert b"/Helvetica" not in printed.content  # every text in the embedded font


def test_every_page_renders_to_png_for_a_person_to_look_at(pdf):
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob("page-*.png"):
        old.unlink()
    for index in range(len(pdf)):
        image = pdf[index].render(scale=1.5).to_pil()
        assert image.size == (round(A4_POINTS[0] * 1.5), round(A4_POINTS[1] * 1.5))
        assert image.convert("L").getextrema()[0] < 128  # something dark is drawn: never a blank page
        image.save(PAGES_DIR / f"page-{index + 1:02d}.png")
    assert len(list(PAGES_DIR.glob("page-*.png"))) == len(pdf)
