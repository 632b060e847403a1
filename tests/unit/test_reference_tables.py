from chalicelib import reference


def test_there_are_eighteen_regions_with_unique_insee_codes():
    rows = reference.read_table("regions")
    assert len(rows) == 18
    assert len({r["code"] for r in rows}) == 18
    assert reference.regions()["52"] == "Pays de la Loire"


def test_establishment_categories_are_those_of_the_benchmark():
    assert set(reference.establishment_categories()) == {"CHU", "CH", "MCO", "CLCC", "SMR", "SLD", "PSY", "HL", "HIA", "EHPAD"}


def test_every_reference_table_has_a_provenance_line():
    from importlib import resources

    provenance = resources.files("chalicelib.reference").joinpath("PROVENANCE.md").read_text(encoding="utf-8")
    for name in ("regions.csv", "establishment_categories.csv"):
        assert f"`{name}`" in provenance
