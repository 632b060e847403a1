import pytest

from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput, TooManyRequests, Unauthenticated
from tests.fakes.wiring import fake_world

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def world():
    return fake_world()


def test_signing_up_emails_a_confirmation_code_in_french(world):
    world.services.accounts.sign_up("Claire@CHU.fr", PASSWORD, "Claire", "Martin")
    letter = world.mailer.last_to("claire@chu.fr")
    assert "code de confirmation" in letter.subject
    assert "Bonjour Claire" in letter.body


def test_the_confirmation_code_is_stored_hashed_never_in_clear(world):
    world.services.accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    code = world.code_sent_to("claire@chu.fr")
    stored = world.codes.get(Email("claire@chu.fr"), "confirm")
    assert stored is not None and code not in stored.code_hash


def test_an_account_logs_in_only_once_confirmed(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    with pytest.raises(Unauthenticated, match="pas encore confirmé"):
        accounts.login("claire@chu.fr", PASSWORD)
    accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    assert accounts.login("claire@chu.fr", PASSWORD).id_token


def test_a_wrong_code_is_refused_and_five_wrong_codes_lock_it(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    good = world.code_sent_to("claire@chu.fr")
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput, match="invalide, expiré"):
            accounts.confirm("claire@chu.fr", wrong)
    with pytest.raises(InvalidInput, match="trop souvent essayé"):  # even the right code, once exhausted
        accounts.confirm("claire@chu.fr", good)


def test_a_confirmation_code_expires_after_a_day(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    code = world.code_sent_to("claire@chu.fr")
    world.clock.advance(hours=25)
    with pytest.raises(InvalidInput, match="expiré"):
        accounts.confirm("claire@chu.fr", code)
    assert accounts.purge_expired_codes() == 1


def test_a_weak_password_is_refused_with_what_is_missing(world):
    with pytest.raises(InvalidInput, match="majuscule"):
        world.services.accounts.sign_up("claire@chu.fr", "tout-en-minuscules-1", "Claire", "Martin")


def test_signing_up_with_an_address_that_has_an_account_answers_the_same_and_tells_its_owner(world):
    accounts = world.services.accounts
    first = accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    world.clock.advance(minutes=2)
    assert accounts.sign_up("claire@chu.fr", "Another-Secret-2026", "Eve", "Intruse") == first
    assert "a déjà un compte" in world.mailer.last_to("claire@chu.fr").subject
    accounts.confirm("claire@chu.fr", _first_code(world))  # the owner's password is unchanged
    assert accounts.login("claire@chu.fr", PASSWORD).id_token


def _first_code(world) -> str:
    import re

    [code] = [re.search(r"\b(\d{6})\b", m.body).group(1) for m in world.mailer.sent if "code de confirmation" in m.subject]
    return code


def test_confirm_and_reset_answer_alike_for_unknown_confirmed_and_wrong(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    answers = []
    for call in (
        lambda: accounts.confirm("nobody@nowhere.fr", "123456"),
        lambda: accounts.confirm("claire@chu.fr", "123456"),
        lambda: accounts.reset_password("nobody@nowhere.fr", "123456", "Nouveau-Secret-2026"),
        lambda: accounts.reset_password("claire@chu.fr", "123456", "Nouveau-Secret-2026"),
    ):
        with pytest.raises(InvalidInput) as refused:
            call()
        answers.append((refused.value.code, refused.value.message))
    assert len(set(answers)) == 1


def test_a_code_is_sent_at_most_once_a_minute(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    for _ in range(30):
        accounts.forgot_password("claire@chu.fr")
    assert len([m for m in world.mailer.sent if "réinitialisation" in m.subject]) == 1
    world.clock.advance(minutes=1)
    accounts.forgot_password("claire@chu.fr")
    assert len([m for m in world.mailer.sent if "réinitialisation" in m.subject]) == 2


def test_ten_failed_logins_of_an_account_lock_it_for_a_quarter_of_an_hour_in_french(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    for address in ("claire@chu.fr", "nobody@nowhere.fr"):
        for _ in range(10):
            with pytest.raises(Unauthenticated):
                accounts.login(address, "Wrong-Secret-2026")
        with pytest.raises(TooManyRequests, match="réessayez dans 15 minutes"):
            accounts.login(address, PASSWORD if address == "claire@chu.fr" else "x")
    world.clock.advance(minutes=16)
    assert accounts.login("claire@chu.fr", PASSWORD).id_token


def test_a_forgotten_password_is_reset_with_the_emailed_code(world):
    accounts = world.services.accounts
    accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    accounts.forgot_password("claire@chu.fr")
    assert "réinitialisation" in world.mailer.last_to("claire@chu.fr").subject
    accounts.reset_password("claire@chu.fr", world.code_sent_to("claire@chu.fr"), "Nouveau-Secret-2026")
    assert accounts.login("claire@chu.fr", "Nouveau-Secret-2026").id_token
    with pytest.raises(Unauthenticated):
        accounts.login("claire@chu.fr", PASSWORD)


def test_asking_a_reset_for_an_unknown_address_reveals_nothing(world):
    world.services.accounts.forgot_password("nobody@nowhere.fr")
    assert world.mailer.sent == []
