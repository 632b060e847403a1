"""Accounts: sign-up, confirmation, login, password reset, and ``/api/me``."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain import accounts, second_factor
from chalicelib.domain.authorization import Principal
from chalicelib.handlers import schemas, views
from chalicelib.handlers.http import client_address, endpoint
from chalicelib.handlers.responses import accounts as r

bp = Blueprint(__name__)


@endpoint(bp, "/api/auth/signup", "POST", summary="Créer un compte", body=schemas.SignUp, public=True, status=201,
          response=r.SignedUp)  # fmt: skip
def sign_up(body: schemas.SignUp) -> dict[str, Any]:
    email = services().accounts.sign_up(body.email, body.password, body.first_name, body.last_name, client=client_address(bp))
    return {"email": email.value, "status": "confirmation_pending"}


@endpoint(bp, "/api/auth/confirm", "POST", summary="Confirmer un compte avec le code reçu", body=schemas.Confirm, public=True,
          response=r.Confirmed)  # fmt: skip
def confirm(body: schemas.Confirm) -> dict[str, Any]:
    services().accounts.confirm(body.email, body.code, client=client_address(bp))
    return {"status": "confirmed"}


@endpoint(bp, "/api/auth/resend-code", "POST", summary="Renvoyer le code de confirmation", body=schemas.EmailOnly, public=True,
          response=r.CodeResent)  # fmt: skip
def resend_code(body: schemas.EmailOnly) -> dict[str, Any]:
    services().accounts.resend_confirmation(body.email, client=client_address(bp))
    return {"status": "sent_if_pending"}


@endpoint(bp, "/api/auth/password-rule", summary="La règle des mots de passe", public=True, response=r.PasswordRule)
def password_rule() -> dict[str, Any]:
    return accounts.password_rule()


@endpoint(bp, "/api/auth/login", "POST", summary="Se connecter", body=schemas.Login, public=True,
          response=r.Tokens | r.SecondFactorChallenge)  # fmt: skip
def login(body: schemas.Login) -> dict[str, Any]:
    return views.login(services().accounts.login(body.email, body.password, client=client_address(bp)))


@endpoint(
    bp, "/api/auth/second-factor", "POST", summary="Finir la connexion avec le code de l'application d'authentification",
    body=schemas.SecondFactorAnswer, public=True, response=r.Tokens,
)  # fmt: skip
def second_factor_answer(body: schemas.SecondFactorAnswer) -> dict[str, Any]:
    return views.tokens(services().second_factor.answer(body.email, body.session, body.code, client=client_address(bp)))


@endpoint(
    bp, "/api/auth/totp/setup", "POST", summary="Configurer une application d'authentification (secret et URI otpauth)",
    body=schemas.TotpSetup, public=True, response=r.TotpEnrolment,
)  # fmt: skip
def totp_setup(body: schemas.TotpSetup) -> dict[str, Any]:
    return views.enrolment(services().second_factor.start(body.session))


@endpoint(
    bp, "/api/auth/totp/confirm", "POST", summary="Activer la double authentification avec un premier code",
    body=schemas.TotpConfirm, public=True, response=r.TotpEnabled,
)  # fmt: skip
def totp_confirm(body: schemas.TotpConfirm) -> dict[str, Any]:
    services().second_factor.confirm(body.session, body.code, client=client_address(bp))
    return {"status": "totp_enabled", "message": second_factor.ENABLED}


@endpoint(bp, "/api/auth/refresh", "POST", summary="Renouveler la session", body=schemas.Refresh, public=True,
          response=r.Tokens)  # fmt: skip
def refresh(body: schemas.Refresh) -> dict[str, Any]:
    return views.tokens(services().accounts.refresh(body.refresh_token))


@endpoint(bp, "/api/auth/forgot-password", "POST", summary="Mot de passe oublié", body=schemas.EmailOnly, public=True,
          response=r.ResetSent)  # fmt: skip
def forgot_password(body: schemas.EmailOnly) -> dict[str, Any]:
    services().accounts.forgot_password(body.email, client=client_address(bp))
    return {"status": "sent_if_account_exists"}


@endpoint(
    bp, "/api/auth/reset-password", "POST", summary="Choisir un nouveau mot de passe", body=schemas.ResetPassword, public=True,
    response=r.PasswordChanged,
)
def reset_password(body: schemas.ResetPassword) -> dict[str, Any]:
    services().accounts.reset_password(body.email, body.code, body.new_password, client=client_address(bp))
    return {"status": "password_changed"}


@endpoint(bp, "/api/me", summary="Mon compte, mes établissements et profils", response=r.Me)
def me(caller: Principal) -> dict[str, Any]:
    return views.me(services().accounts.me(caller.email))
