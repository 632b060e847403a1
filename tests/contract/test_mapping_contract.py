"""MappingStore on its fake and on DynamoDB."""

import pytest

from chalicelib.services.ports import LabelMapping
from tests.fakes.stores import FakeMappingStore


@pytest.fixture(params=["fake", "dynamodb"])
def store(request):
    if request.param == "fake":
        return FakeMappingStore()
    return request.getfixturevalue("aws").adapters.mappings


def test_labels_match_whatever_their_case_and_spacing(store):
    store.put_many([LabelMapping("lab1", "species", "E. coli BLSE", "proposed", None, "ESCCOL", ("esbl",))])
    found = store.get_many("lab1", "species", ["e.  coli blse ", "S. aureus"])
    assert list(found) == ["e.  coli blse "] and found["e.  coli blse "].proposed_code == "ESCCOL"
    assert found["e.  coli blse "].hints == ("esbl",)


def test_mappings_are_per_laboratory_and_kind_and_filtered_by_state(store):
    store.put_many(
        [
            LabelMapping("lab1", "species", "E. coli", "confirmed", "ESCCOL"),
            LabelMapping("lab1", "antibiotic", "Amoxicilline", "proposed", None, "AMX"),
            LabelMapping("lab2", "species", "E. coli", "unmapped"),
        ]
    )
    assert [m.label for m in store.list_mappings("lab1")] == ["Amoxicilline", "E. coli"]
    assert [m.kind for m in store.list_mappings("lab1", state="proposed")] == ["antibiotic"]
    assert store.list_mappings("lab2", "species")[0].state == "unmapped"
    assert store.get_many("lab1", "specimen", ["E. coli"]) == {}


def test_a_laboratory_starts_at_version_0_and_each_writer_takes_its_own_next_version(store):
    assert store.version("lab1") == 0
    assert [store.next_version("lab1"), store.next_version("lab1"), store.next_version("lab2")] == [1, 2, 1]
    assert (store.version("lab1"), store.version("lab2")) == (2, 1)


def test_a_changed_mapping_keeps_its_version_and_the_code_it_replaced_and_the_counter_is_not_a_mapping(store):
    store.next_version("lab1")
    store.put_many([LabelMapping("lab1", "species", "E. coli", "confirmed", "STAAUR", None, (), "t", "r@chu.fr", 1, "ESCCOL")])
    [mapping] = store.list_mappings("lab1")
    assert (mapping.version, mapping.previous_code, mapping.updated_by) == (1, "ESCCOL", "r@chu.fr")


def test_every_spelling_asked_for_is_answered(store):
    store.put_many([LabelMapping("lab1", "species", "E. coli", "confirmed", "ESCCOL")])
    found = store.get_many("lab1", "species", ["E. coli", "e.  COLI"])
    assert {label: m.code for label, m in found.items()} == {"E. coli": "ESCCOL", "e.  COLI": "ESCCOL"}


def test_a_new_label_is_written_only_if_nobody_wrote_it_meanwhile(store):
    store.put_many([LabelMapping("lab1", "species", "E. coli", "confirmed", "ESCCOL")])
    store.put_new([LabelMapping("lab1", "species", "e. coli", "proposed", None, "STAAUR"),
                   LabelMapping("lab1", "species", "K. pneumoniae", "proposed", None, "KLEPNE")])  # fmt: skip
    assert {m.label: (m.state, m.code) for m in store.list_mappings("lab1")} == {
        "E. coli": ("confirmed", "ESCCOL"),
        "K. pneumoniae": ("proposed", None),
    }
