"""The rules of a ticket (DOMAIN.md §10.9): its owner, who sees and moves it, what it may carry."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import InvalidInput, TooLarge
from chalicelib.domain.tickets.attachments import attachment_filename, attachment_type, check_attachment_size
from chalicelib.domain.tickets.model import (
    Category,
    Links,
    Ticket,
    TicketStatus,
    body_of,
    category_of,
    links_of,
    status_of,
    subject_of,
)
from chalicelib.domain.tickets.teams import may_set, owning_team, sees, status_after_reply, team_of

CHU = Finess("440000990")
AUTHOR = Principal(Email("c@chu.fr"), memberships={CHU: Status.CONTRIBUTEUR})
REGIONAL = Principal(Email("ars@sante.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
OTHER_REGION = Principal(Email("ars@idf.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("11"))}))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
STRANGER = Principal(Email("x@y.fr"), memberships={CHU: Status.OBSERVATEUR})


def a_ticket(status=TicketStatus.OPEN, team="region:52") -> Ticket:
    return Ticket("t1", Category.IMPORT, "Sujet", status, team, CHU.value, "c@chu.fr", "t", "t")


@pytest.mark.parametrize("category", [Category.CATALOGUE, Category.LABORATORY, Category.REOPENING])
def test_catalogue_laboratory_and_reopening_tickets_belong_to_the_national_team(category):
    assert owning_team(category, RegionCode("52")) == "national"


def test_other_tickets_belong_to_the_team_of_the_establishments_region_or_the_nations_without_one():
    assert owning_team(Category.IMPORT, RegionCode("52")) == "region:52"
    assert owning_team(Category.ACCESS, None) == "national"


def test_a_ticket_is_seen_by_its_author_the_referent_its_regional_team_and_the_national_team_only():
    ticket = a_ticket()
    assert sees(AUTHOR, ticket, is_referent=False)
    assert sees(STRANGER, ticket, is_referent=True)
    assert sees(REGIONAL, ticket, is_referent=False)
    assert sees(NATIONAL, ticket, is_referent=False)
    assert not sees(STRANGER, ticket, is_referent=False)
    assert not sees(OTHER_REGION, ticket, is_referent=False)
    assert not sees(REGIONAL, a_ticket(team="national"), is_referent=False)


def test_the_team_moves_a_ticket_along_the_allowed_transitions_and_the_author_may_only_close_it():
    ticket = a_ticket()
    assert may_set(REGIONAL, ticket, TicketStatus.WAITING_USER)
    assert may_set(NATIONAL, ticket, TicketStatus.RESOLVED)
    assert not may_set(AUTHOR, ticket, TicketStatus.RESOLVED)
    assert may_set(AUTHOR, ticket, TicketStatus.CLOSED)
    assert not may_set(REGIONAL, a_ticket(TicketStatus.CLOSED), TicketStatus.OPEN)
    assert not may_set(REGIONAL, a_ticket(TicketStatus.RESOLVED), TicketStatus.WAITING_USER)
    assert not may_set(OTHER_REGION, ticket, TicketStatus.IN_PROGRESS)


def test_the_teams_first_answer_takes_a_ticket_in_hand_and_the_users_answer_gives_it_back():
    assert status_after_reply(TicketStatus.OPEN, by_team=True) is TicketStatus.IN_PROGRESS
    assert status_after_reply(TicketStatus.WAITING_USER, by_team=False) is TicketStatus.IN_PROGRESS
    assert status_after_reply(TicketStatus.RESOLVED, by_team=False) is TicketStatus.IN_PROGRESS
    assert status_after_reply(TicketStatus.OPEN, by_team=False) is TicketStatus.OPEN
    assert status_after_reply(TicketStatus.WAITING_USER, by_team=True) is TicketStatus.WAITING_USER


def test_a_message_is_kept_as_typed_trimmed_between_one_and_five_thousand_characters():
    assert body_of("  <b>Bonjour</b>\r\nligne 2  ") == "<b>Bonjour</b>\nligne 2"
    assert len(body_of("a" * 5_000)) == 5_000
    with pytest.raises(InvalidInput, match="trop long") as error:
        body_of("a" * 5_001)
    assert error.value.details[0]["field"] == "body"
    with pytest.raises(InvalidInput, match="vide"):
        body_of("   ")


def test_a_subject_is_one_line_of_at_most_two_hundred_characters():
    assert subject_of(" Fichier\n refusé ") == "Fichier refusé"
    with pytest.raises(InvalidInput) as error:
        subject_of("a" * 201)
    assert error.value.details == [{"field": "subject", "length": 201}]


def test_unknown_categories_and_statuses_are_refused_in_french_naming_the_field():
    assert category_of("reouverture") is Category.REOPENING
    assert status_of("en_attente") is TicketStatus.WAITING_USER
    with pytest.raises(InvalidInput, match="Catégorie inconnue") as error:
        category_of("urgent")
    assert error.value.details == [{"field": "category"}]
    with pytest.raises(InvalidInput, match="Statut inconnu"):
        status_of("open")


def test_links_carry_a_parsable_period_and_at_most_a_hundred_ucds_of_seven_or_thirteen_digits():
    assert links_of({"period": "2025t1", "ucds": ["9402419", "3400893826417", "9402419"]}) == Links(
        None, "2025-T1", ("9402419", "3400893826417")
    )
    with pytest.raises(InvalidInput) as error:
        links_of({"period": "2025-T5"})
    assert error.value.details == [{"field": "links.period"}]
    with pytest.raises(InvalidInput, match="UCD invalide"):
        links_of({"ucds": ["12345678"]})
    with pytest.raises(InvalidInput, match="Trop de codes UCD"):
        links_of({"ucds": [f"{n:07d}" for n in range(101)]})
    with pytest.raises(InvalidInput) as error:
        links_of({"upload_id": "../etc"})
    assert error.value.details == [{"field": "links.upload_id"}]


def test_a_team_filter_is_national_or_a_region():
    assert team_of("national") == "national"
    assert team_of("52") == team_of("region:52") == "region:52"
    with pytest.raises(InvalidInput, match="Équipe inconnue"):
        team_of("regionale")


def test_attachments_are_pdf_images_csv_xlsx_or_text_of_ten_megabytes_at_most_their_name_made_safe():
    assert attachment_type("capture.PNG") == "image/png"
    assert attachment_type("export.xlsx").endswith("spreadsheetml.sheet")
    with pytest.raises(InvalidInput, match="PDF, PNG, JPEG, CSV, XLSX, TXT"):
        attachment_type("script.html")
    assert attachment_filename("../../Résumé de l'import.pdf") == "Resume_de_l_import.pdf"
    check_attachment_size(10 * 1_048_576)
    with pytest.raises(TooLarge, match="10 Mo"):
        check_attachment_size(10 * 1_048_576 + 1)
    with pytest.raises(InvalidInput, match="vide"):
        check_attachment_size(0)


def test_a_long_attachment_name_is_shortened_keeping_its_extension():
    from chalicelib.domain.tickets.attachments import attachment_filename, attachment_type

    name = attachment_filename("r" * 120 + ".pdf")
    assert len(name) <= 100 and name.endswith(".pdf")
    assert attachment_type(name) == "application/pdf"
