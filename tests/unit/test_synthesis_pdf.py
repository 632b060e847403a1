"""The regional and national syntheses printed as PDF (DOMAIN.md §10.8): their figures are the API's for
the same scope and year, French-formatted (1 234,5); closed data only (asked as the scope's regional or
national profile); establishments compared, regions side by side for the nation; A4, numbered pages.
Every page is rendered to PNG under test-output/synthesis-pages/ for a person to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from chalicelib.adapters.pdf_report import PdfReportPrinter
from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, RegionCode
from chalicelib.domain.indicators import Scope
from chalicelib.domain.reports import french
from chalicelib.domain.reports import labels as fr
from chalicelib.domain.reports.resistance import ANTIBIOTICS_PER_SPECIES, most_tested
from tests.support import lake_fixture
from tests.unit.test_report_pdf import _plain, pct_r_line

PAGES_DIR = Path(__file__).resolve().parents[2] / "test-output" / "synthesis-pages"
A4_POINTS = (595.27, 841.89)
REGIONAL = Principal(Email("ars@pdl.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
NATIONAL = Principal(Email("dgs@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
WHEN = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def world():
    from tests.support.report_world import report_world

    return report_world(lake_fixture.build())


def _print(world, scope: str):
    printed = PdfReportPrinter().print(world.services.syntheses.content(Scope.parse(scope), 2024, 1, WHEN))
    pdf = pdfium.PdfDocument(printed.content)
    return printed, pdf, _plain(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))


@pytest.fixture(scope="module")
def regional(world):
    return _print(world, "region:52")


@pytest.fixture(scope="module")
def national(world):
    return _print(world, "national")


def api(world, caller: Principal, scope: str, indicator: str, by: str | None = None, **options: str) -> list[dict]:
    return world.services.indicators.compute(caller, indicator, scope, "2024", by, options)["rows"]


def test_the_regional_synthesis_key_figures_and_families_are_the_apis_for_the_region(world, regional):
    _, _, text = regional
    total = api(world, REGIONAL, "region:52", "ddj_1000jh")[0]
    assert f"{_plain(french.decimal(total['value']))} DDJ/1000 JH {_plain(french.count(total['denominator']))}" in text
    assert _plain(f"{french.count(total['numerator'])} DDJ pour {french.count(total['denominator'])} journées") in text
    for row in api(world, REGIONAL, "region:52", "ddj_1000jh", "family"):
        assert _plain(f"{fr.family(row['family'])} {french.decimal(row['value'])} {french.count(row['numerator'])}") in text
    eblse = api(world, REGIONAL, "region:52", "density_1000jh", phenotype="eblse", specimen="all")[0]
    shown = f"{french.decimal(eblse['value'], 2)} /1000 JH {french.interval(eblse['ci_low'], eblse['ci_high'], 2)}"
    assert _plain(f"{shown} {french.count(eblse['numerator'])}") in text


def test_the_synthesis_resistance_table_is_the_apis_with_n_and_intervals(world, national):
    _, _, text = national
    rows = [r for r in api(world, NATIONAL, "national", "pct_r") if r["species"] in ("ESCCOL", "STAAUR")]
    kept = most_tested(rows, ANTIBIOTICS_PER_SPECIES)
    assert kept and all(pct_r_line(row) in text for row in kept)


def test_the_regional_synthesis_compares_only_its_regions_establishments_on_closed_data(world, regional):
    _, _, text = regional
    compared = text.split("3. Établissements comparés", 2)[2].split("4. Résistance", 1)[0]
    rows = api(world, REGIONAL, "region:52", "ddj_1000jh", "establishment")
    assert {r["establishment"] for r in rows} == {"440000990", "490000999", "440000008", "490000007"}
    for row in rows:
        assert _plain(f"{row['establishment']} {french.decimal(row['value'])} {french.count(row['denominator'])}") in compared
    assert "750000002" not in text and "Île-de-France" not in text


def test_the_national_synthesis_sets_the_regions_side_by_side_with_the_apis_values(world, national):
    _, _, text = national
    regions = text.split("4. Les régions côte à côte", 2)[2].split("5. Résistance", 1)[0]
    for code in ("52", "11"):
        ddj = api(world, NATIONAL, f"region:{code}", "ddj_1000jh")[0]
        assert _plain(f"{fr.region(code)}") in regions and _plain(french.decimal(ddj["value"])) in regions


def test_a_synthesis_is_a4_numbered_with_a_table_of_contents_and_french_metadata(regional):
    printed, pdf, text = regional
    assert printed.pages == len(pdf) <= 16
    for index in range(len(pdf)):
        assert pdf[index].get_size() == pytest.approx(A4_POINTS, abs=0.5)
    assert f"Page 2 / {len(pdf)}" in _plain(pdf[1].get_textpage().get_text_range())
    assert "Sommaire 1. Chiffres clés" in text and "Annexe : méthodes" in text
    assert pdf.get_metadata_dict()["Title"] == "Synthèse régionale 2024 — Pays de la Loire"
    assert b"/Lang (fr-FR)" in printed.content


def test_every_page_of_both_syntheses_renders_to_png_for_a_person_to_look_at(regional, national):
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob("*.png"):
        old.unlink()
    for name, (_, pdf, _) in (("regionale", regional), ("nationale", national)):
        for index in range(len(pdf)):
            image = pdf[index].render(scale=1.5).to_pil()
            assert image.convert("L").getextrema()[0] < 128  # something dark is drawn: never a blank page
            image.save(PAGES_DIR / f"{name}-{index + 1:02d}.png")
