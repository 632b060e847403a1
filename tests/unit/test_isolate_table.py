"""The isolate table, the work format between the deduplication workflow's states (domain/resistance/table.py),
stored between them as a work object (Parquet, ``DuckDbWorkObjects`` over the in-memory object store)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.adapters.duckdb_work_objects import DuckDbWorkObjects
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.resistance.dedup import BLOOD_RULE, DEFAULT_RULE, deduplicate, deduplicate_blood
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, RawColumns, RawIsolate, Sir, VanGene
from chalicelib.domain.resistance.phenotypes import phenotypes
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.domain.resistance.table import COLUMNS, IsolateTable, Panel, Results
from chalicelib.services.deduplication import ANTIBIOTICS, put_import
from chalicelib.services.ports import WorkObject
from chalicelib.services.resistance_rules import classifier, decide, group_lookup
from tests.fakes.stores import FakeObjectStore

CODES = ("AMX", "CAZ", "CIP", "CRO", "CTX", "FOX", "IPM", "MEM", "OXA", "VAN")
SPECIES = ("ESCCOL", "KLEPNE", "STAAUR", "ENCFAI", "ENCFAE", "PSEAER", "ACIBAU")


def an_isolate(n: int) -> Isolate:
    return Isolate(
        isolate_id=f"u1:{n}", row=n, uf="0412", pseudonym="p" * 64, age=71, sex="F", specimen_date=date(2025, 2, 3),
        specimen="HEMOC", species="ESCCOL", results={"AMX": Sir.R, "CTX": Sir.SFP, "CIP": Sir.S}, esbl=True,
        carbapenemase=Carbapenemase.OXA48, van=VanGene.NONE, hints={"esbl": True},
    )  # fmt: skip


def random_isolates(count: int, seed: int = 7) -> list[Isolate]:
    """Varied isolates: few patients (so that groups form), every flag, hint and result state."""
    draw = random.Random(seed)
    isolates = []
    for n in range(count):
        tested = draw.sample(CODES, draw.randint(0, len(CODES)))
        isolates.append(
            Isolate(
                isolate_id=f"u1:{n + 2}", row=n + 2, uf=draw.choice(["0412", "1204"]), pseudonym=f"P{draw.randint(1, 12)}",
                age=draw.choice([None, 3, 80]), sex=draw.choice([None, "F", "M"]),
                specimen_date=date(2025, 1, 1) + timedelta(days=draw.randint(0, 20)),
                specimen=draw.choice(["HEMOC", "URINE"]), species=draw.choice(SPECIES),
                results={code: draw.choice(list(Sir)) for code in tested}, esbl=draw.choice([None, True, False]),
                carbapenemase=draw.choice([None, *Carbapenemase]), van=draw.choice([None, *VanGene]),
                hints=draw.choice([{}, {"esbl": True}, {"cpe": True}, {"mrsa": True, "vre": True}]),
            )
        )  # fmt: skip
    return isolates


def stored(table: IsolateTable) -> IsolateTable:
    """The table as the next state reads it: written to, and read from, its work object."""
    work = DuckDbWorkObjects(FakeObjectStore(), "raw", "lake")
    put_import(work, "440000990", "u1", table, ["IPP"] * len(table))
    found = work.get("440000990", "u1", WorkObject.TABLE)
    return IsolateTable.from_columns(found.metadata[ANTIBIOTICS], found.columns)


def through_the_table(isolates: list[Isolate]) -> list[Isolate]:
    table = stored(IsolateTable.from_isolates(isolates))
    return table.isolates("u1", [i.pseudonym for i in isolates])


# --- the format ---------------------------------------------------------------------------------


def test_isolates_survive_the_round_trip_between_workflow_states():
    isolates = [an_isolate(n) for n in range(3)]
    assert through_the_table(isolates) == isolates


def test_no_isolates_survive_the_round_trip():
    table = stored(IsolateTable.from_isolates([]))
    assert len(table) == 0 and table.antibiotics == [] and table.isolates("u1", []) == []
    assert classifier(default_reference())(table)["codes"] == [] and decide(table, "u1", [], "2025")["kept"] == []


def test_varied_isolates_survive_the_round_trip():
    isolates = random_isolates(300)
    assert through_the_table(isolates) == isolates


def test_the_work_object_holds_the_tables_columns_and_antibiotics_without_identifiers():
    table = IsolateTable.from_isolates([an_isolate(n) for n in range(3)])
    objects = FakeObjectStore()
    work = DuckDbWorkObjects(objects, "raw", "lake")
    put_import(work, "440000990", "u1", table, ["IPP"] * 3)
    found = work.get("440000990", "u1", WorkObject.TABLE)
    assert found.metadata[ANTIBIOTICS] == '["AMX","CIP","CTX"]'
    assert list(found.columns) == [name for name, _ in COLUMNS]
    assert found.columns["results"] == ["RSI"] * 3 and found.columns["row"] == table.row
    body = work.get_parquet("440000990", "u1", WorkObject.TABLE)
    assert body[:4] == b"PAR1" and b"p" * 64 not in body and b"IPP" not in body  # identifiers travel apart


def test_a_result_string_has_one_character_per_antibiotic():
    panel = Panel(["AMX", "CIP", "CTX", "VAN"])
    assert panel.text({"CTX": Sir.R, "AMX": Sir.SFP}) == "I-R-"


def test_columns_that_are_not_a_table_are_refused():
    columns = dict(zip((name for name, _ in COLUMNS), IsolateTable.from_isolates([an_isolate(2)]).columns(), strict=True))
    with pytest.raises(ValueError, match="species"):
        IsolateTable.from_columns('["AMX","CIP","CTX"]', {name: v for name, v in columns.items() if name != "species"})
    with pytest.raises(ValueError, match="antibiotics"):
        IsolateTable.from_columns('{"format": "consores-isolate-table-2"}', columns)


def test_columns_of_unequal_length_are_refused():
    table = IsolateTable.from_isolates([an_isolate(2)])
    with pytest.raises(ValueError, match="uf"):
        replace(table, uf=[])


def test_text_columns_read_back_share_their_values():
    isolates = random_isolates(50)
    back = stored(IsolateTable.from_isolates(isolates))
    first = {species: back.species.index(species) for species in set(back.species)}
    assert all(back.species[n] is back.species[first[species]] for n, species in enumerate(back.species))
    assert back.species == [i.species for i in isolates]


def test_the_table_of_validated_rows_codes_labels_and_keeps_no_identifier():
    raw = [
        RawIsolate(2, "0412", "P001", 70, "F", date(2025, 1, 5), "Hémoculture", "E. coli BLSE",
                   {"Amoxicilline": Sir.R, "Céfotaxime": Sir.SFP}, esbl=True),
        RawIsolate(3, "0412", "P002", None, None, date(2025, 1, 6), "ECBU", "S. aureus",
                   {"Céfoxitine": Sir.S, "Oxa": Sir.R, "Oxacilline": Sir.S}, van=VanGene.NONE,
                   carbapenemase=Carbapenemase.NEGATIVE),
    ]  # fmt: skip
    table = IsolateTable.from_raw(
        raw,
        specimens={"Hémoculture": "HEMOC", "ECBU": "URINE"},
        species={"E. coli BLSE": "ESCCOL", "S. aureus": "STAAUR"},
        hints={"E. coli BLSE": ("esbl",), "S. aureus": ()},
        antibiotics={"Amoxicilline": "AMX", "Céfotaxime": "CTX", "Céfoxitine": "FOX", "Oxa": "OXA", "Oxacilline": "OXA"},
    )
    assert table.antibiotics == ["AMX", "CTX", "FOX", "OXA"]
    assert table.results == ["RI--", "--SS"]  # two columns coded OXA: the later one wins
    assert (table.specimen, table.species, table.hints) == (["HEMOC", "URINE"], ["ESCCOL", "STAAUR"], ["esbl", ""])
    assert (table.carbapenemase, table.van, table.esbl) == ([None, "négatif"], [None, "non"], [True, None])
    assert "P001" not in repr(table.columns())
    first = table.isolates("u9", ["x", "y"])[0]
    assert (first.isolate_id, first.results, first.hints) == ("u9:2", {"AMX": Sir.R, "CTX": Sir.SFP}, {"esbl": True})


def test_raw_columns_give_back_their_rows_and_merge_in_row_order():
    def raw(row: int) -> RawIsolate:
        return RawIsolate(row, "0412", f"P{row}", None, None, date(2025, 1, 5), "ECBU", "E. coli", {"A": Sir.R})

    clean, others = RawColumns.from_rows([raw(2), raw(5), raw(6)]), RawColumns.from_rows([raw(3), raw(7)])
    assert clean.rows() == [raw(2), raw(5), raw(6)] and len(others) == 2
    assert [isolate.row for isolate in clean.merged(others).rows()] == [2, 3, 5, 6, 7]
    assert clean.merged(RawColumns.from_rows([])) is clean
    with pytest.raises(ValueError):
        RawColumns(*[[1], *([[]] * 11)])


def test_the_table_reads_raw_columns_as_it_reads_rows():
    rows = [RawIsolate(n, "0412", "P", 40, "F", date(2025, 1, 5), "ECBU", "E. coli", {"A": Sir.S}) for n in range(3)]
    coding = {"specimens": {"ECBU": "URINE"}, "species": {"E. coli": "ESCCOL"}, "hints": {}, "antibiotics": {"A": "AMX"}}
    assert IsolateTable.from_raw(RawColumns.from_rows(rows), **coding) == IsolateTable.from_raw(rows, **coding)


def test_one_label_per_code_and_several_give_the_same_strings():
    raw = [
        RawIsolate(n, "0412", "P", None, None, date(2025, 1, 5), "ECBU", "E. coli", results)
        for n, results in enumerate([{"A": Sir.S, "B": Sir.SFP}, {}, {"C": Sir.R}, {"A": Sir.SFP, "B": Sir.R, "C": Sir.S}])
    ]
    coding = {"specimens": {"ECBU": "URINE"}, "species": {"E. coli": "ESCCOL"}, "hints": {}}
    fast = IsolateTable.from_raw(raw, antibiotics={"A": "AMX", "B": "CTX", "C": "CIP"}, **coding)
    slow = IsolateTable.from_raw(raw, antibiotics={"A": "AMX", "B": "CTX", "C": "CIP", "D": "CIP"}, **coding)
    assert fast.results == slow.results == ["S-I", "---", "-R-", "ISR"]


def test_result_strings_of_the_files_columns_give_the_same_table_as_dictionaries():
    """The validator's isolates read their row's string over the file's columns (D untested, C before A in the file)."""
    panel = Panel(["C", "D", "A", "B"])
    rows = ["S--I", "----", "R---", "S-IR", "S--I"]
    coding = {"specimens": {"ECBU": "URINE"}, "species": {"E. coli": "ESCCOL"}, "hints": {}}

    def raw(results):
        day = date(2025, 1, 5)
        return [RawIsolate(n, "0412", "P", None, None, day, "ECBU", "E. coli", found) for n, found in enumerate(results)]

    viewed, plain = raw([Results(text, panel) for text in rows]), raw([dict(Results(text, panel)) for text in rows])
    for antibiotics in ({"A": "AMX", "B": "CTX", "C": "CIP"}, {"A": "AMX", "B": "CIP", "C": "CIP"}):
        coded = IsolateTable.from_raw(viewed, antibiotics=antibiotics, **coding)
        assert coded.results == IsolateTable.from_raw(plain, antibiotics=antibiotics, **coding).results
    assert IsolateTable.from_raw(viewed, antibiotics={"A": "AMX", "B": "CTX", "C": "CIP"}, **coding).results == [
        "-SI", "---", "-R-", "ISR", "-SI",
    ]  # fmt: skip


# --- Results: a dictionary for what the domain does with it ------------------------------------------


def test_results_answer_like_a_dictionary():
    expected = {"AMX": Sir.R, "CTX": Sir.SFP, "VAN": Sir.S}
    results = Results("R-I-S", Panel(["AMX", "CIP", "CTX", "FOX", "VAN"]))
    assert len(results) == 3 and bool(results)
    assert results["AMX"] is Sir.R and results.get("CTX") is Sir.SFP
    assert results.get("CIP") is None and results.get("XYZ") is None and results.get("CIP", "nt") == "nt"
    assert "VAN" in results and "CIP" not in results and "XYZ" not in results and 3 not in results
    assert list(results) == ["AMX", "CTX", "VAN"]
    assert (
        dict(results.items()) == expected
        and list(results.keys()) == list(expected)
        and list(results.values()) == [*expected.values()]
    )
    assert results == expected and expected == results and dict(results) == expected
    for missing in ("CIP", "XYZ"):
        with pytest.raises(KeyError):
            results[missing]
    assert repr(results) == f"Results({expected!r})"


def test_no_result_at_all_is_an_empty_mapping():
    results = Results("---", Panel(["AMX", "CIP", "CTX"]))
    assert len(results) == 0 and not results and dict(results) == {} and list(results.items()) == []


def test_a_result_string_must_fit_its_panel():
    with pytest.raises(ValueError, match="characters"):
        Results("RS", Panel(["AMX"]))


# --- the domain functions over the table's isolates -------------------------------------------------


def test_deduplication_decides_alike_on_dictionaries_and_result_strings():
    isolates = random_isolates(600)
    viewed = through_the_table(isolates)
    assert isinstance(viewed[0].results, Results)
    assert deduplicate(viewed, DEFAULT_RULE, lambda _i: "2025") == deduplicate(isolates, DEFAULT_RULE, lambda _i: "2025")
    blood = lambda i: i.specimen == "HEMOC"  # noqa: E731
    assert deduplicate_blood(viewed, blood, lambda _i: "2025", BLOOD_RULE) == deduplicate_blood(
        isolates, blood, lambda _i: "2025"
    )


@pytest.mark.parametrize("count", [400, 40])  # 40: most patients × species alone in their group
def test_decisions_are_columns_aligned_with_the_isolates(count):
    isolates = random_isolates(count)
    table = stored(IsolateTable.from_isolates(isolates))
    found = decide(table, "u1", [i.pseudonym for i in isolates], "2025")
    main = {d.isolate_id: d for d in deduplicate(isolates, DEFAULT_RULE, lambda _i: "2025")}
    blood = {d.isolate_id: d for d in deduplicate_blood(isolates, lambda i: i.specimen == "HEMOC", lambda _i: "2025")}
    assert found["kept"] == [main[i.isolate_id].kept for i in isolates]
    assert found["duplicate_of"] == [main[i.isolate_id].duplicate_of for i in isolates]
    assert found["blood_kept"] == [blood[i.isolate_id].kept if i.isolate_id in blood else None for i in isolates]
    assert (found["rule"], found["blood_rule"]) == (DEFAULT_RULE.id, BLOOD_RULE.id)


def test_phenotypes_of_the_table_equal_each_isolates_own():
    reference = default_reference()
    group_of = group_lookup(reference)
    isolates = random_isolates(2000, seed=11)
    table = IsolateTable.from_isolates(isolates)
    found = classifier(reference)(stored(table))
    assert found["names"] == list(PHENOTYPES)
    assert len(found["values"]) < len(isolates)  # computed once per combination
    for isolate, code in zip(isolates, found["codes"], strict=True):
        expected = phenotypes(isolate, group_of)
        assert found["values"][code] == [getattr(expected, name) for name in PHENOTYPES], isolate


def test_phenotypes_of_a_table_without_their_antibiotics():
    isolates = [replace(an_isolate(n), results={"AMX": Sir.R}, species=species) for n, species in enumerate(SPECIES)]
    found = classifier(default_reference())(IsolateTable.from_isolates(isolates))
    group_of = group_lookup(default_reference())
    for isolate, code in zip(isolates, found["codes"], strict=True):
        assert found["values"][code] == [getattr(phenotypes(isolate, group_of), name) for name in PHENOTYPES]
