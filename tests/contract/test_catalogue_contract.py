"""The DrugCatalogue contract, run on the in-memory fake and on the DynamoDB
adapter (against the emulator): both must behave the same."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.drugs import AtcCode, CatalogueEntry, Route, Ucd, Unit
from chalicelib.services.ports.catalogue import SOURCE_MANUAL, SOURCE_REFERENCE, SyncState
from tests.fakes.catalogue import FakeDrugCatalogue

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _dynamo_catalogue(endpoint: str):
    from chalicelib.adapters.aws import AwsClients
    from chalicelib.adapters.dynamo_catalogue import DynamoDrugCatalogue
    from chalicelib.config import Settings
    from infra.local import provision

    # ``infra/resources.py`` has no catalogue table yet: create one with a unique name.
    name = f"t{uuid.uuid4().hex[:10]}-catalogue"
    provision.client("dynamodb", endpoint).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "ucd", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ucd", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    settings = Settings.from_env({"CONSORES_RUNTIME": "embedded", "CONSORES_AWS_ENDPOINT_URL": endpoint})
    settings = dataclasses.replace(settings, tables={**settings.tables, "catalogue": name})
    return DynamoDrugCatalogue(AwsClients(settings).table("catalogue"))


@pytest.fixture(params=["fake", "dynamodb"])
def catalogue(request):
    if request.param == "fake":
        return FakeDrugCatalogue()
    return _dynamo_catalogue(request.getfixturevalue("emulator").url)


def entry(ucd: str, strength: str = "0.5", label: str = "Amoxicilline 500 mg, gélule", form: str = "gélule") -> CatalogueEntry:
    return CatalogueEntry(
        ucd=Ucd.parse(ucd),
        label=label,
        substance="amoxicillin",
        atc=AtcCode("J01CA04"),
        route=Route.ORAL,
        strength=Decimal(strength),
        strength_unit=Unit.G,
        form=form,
    )


def test_an_entry_written_is_read_back_with_its_source_and_resolution_date(catalogue):
    amox = entry("9000001")
    assert catalogue.put_many([amox], SOURCE_REFERENCE, NOW) == 1
    assert catalogue.get(Ucd("9000001")) == amox
    found = catalogue.record(Ucd("9000001"))
    assert (found.entry, found.source, found.resolved_at) == (amox, SOURCE_REFERENCE, NOW)


def test_an_unknown_ucd_is_none(catalogue):
    assert catalogue.get(Ucd("9999999")) is None
    assert catalogue.record(Ucd("9999999")) is None


def test_the_13_digit_form_reaches_the_same_entry(catalogue):
    amox = entry("9000001")
    catalogue.put_many([amox], SOURCE_REFERENCE, NOW)
    assert catalogue.get(Ucd.parse(Ucd("9000001").ucd13)) == amox


def test_strengths_are_stored_exactly(catalogue):
    tiny = entry("9000002", strength="0.000123456789012345678901234567")
    catalogue.put_many([tiny], SOURCE_REFERENCE, NOW)
    assert catalogue.get(Ucd("9000002")).strength == Decimal("0.000123456789012345678901234567")


def test_an_entry_without_a_form_keeps_an_empty_form(catalogue):
    bare = entry("9000003", form="")
    catalogue.put_many([bare], SOURCE_REFERENCE, NOW)
    assert catalogue.get(Ucd("9000003")).form == ""


def test_writing_twice_is_idempotent_and_a_repeated_ucd_keeps_the_last(catalogue):
    first, second = entry("9000001", "0.5"), entry("9000001", "1")
    assert catalogue.put_many([first, second], SOURCE_REFERENCE, NOW) == 1
    catalogue.put_many([first, second], SOURCE_REFERENCE, NOW)
    assert catalogue.get(Ucd("9000001")) == second
    assert catalogue.count() == 1


def test_a_later_write_replaces_the_entry_and_its_provenance(catalogue):
    catalogue.put_many([entry("9000001", "0.5")], SOURCE_REFERENCE, NOW)
    later = NOW + timedelta(days=1)
    catalogue.put_many([entry("9000001", "1")], SOURCE_MANUAL, later)
    found = catalogue.record(Ucd("9000001"))
    assert (found.entry.strength, found.source, found.resolved_at) == (Decimal("1"), SOURCE_MANUAL, later)


def test_many_entries_are_written_in_batches_and_counted(catalogue):
    entries = [entry(f"{9100000 + i:07d}") for i in range(260)]
    assert catalogue.put_many(entries, SOURCE_REFERENCE, NOW) == 260
    assert catalogue.count() == 260


def test_get_many_returns_only_the_known_entries(catalogue):
    entries = [entry(f"{9200000 + i:07d}") for i in range(120)]
    catalogue.put_many(entries, SOURCE_REFERENCE, NOW)
    wanted = [e.ucd for e in entries] + [Ucd("9299999"), entries[0].ucd]  # more than 100 keys, one unknown, one repeated
    found = catalogue.get_many(wanted)
    assert found == {e.ucd: e for e in entries}
    assert catalogue.get_many([]) == {}


def test_the_sync_state_is_empty_before_any_sync_and_is_not_an_entry(catalogue):
    assert catalogue.sync_state() == SyncState()
    state = SyncState(last_success_at=NOW, last_attempt_at=NOW + timedelta(days=1), last_error="Échec.", last_received=12)
    catalogue.save_sync_state(state)
    catalogue.save_sync_state(state)
    assert catalogue.sync_state() == state
    assert catalogue.count() == 0


def test_a_successful_sync_state_clears_the_error(catalogue):
    catalogue.save_sync_state(SyncState(NOW, NOW, "Échec.", 3))
    catalogue.save_sync_state(SyncState(NOW + timedelta(days=1), NOW + timedelta(days=1), None, 5))
    assert catalogue.sync_state() == SyncState(NOW + timedelta(days=1), NOW + timedelta(days=1), None, 5)
