"""IdentityProvider on an Amazon Cognito user pool (moto's in the embedded runtime).

The username is the lower-cased e-mail. The pool sends no e-mail of its own:
confirmation and reset codes are the platform's (see services/accounts.py).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain import accounts, second_factor
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, InvalidInput, Unauthenticated
from chalicelib.services.ports import SecondFactorNeeded, Tokens, UserInfo

_BAD_CREDENTIALS = accounts.LOGIN_REFUSED
#: What Cognito answers to a wrong TOTP code, or to one already used (ExpiredCodeException).
_WRONG_CODE = {"CodeMismatchException", "ExpiredCodeException", "EnableSoftwareTokenMFAException"}
#: A challenge's session unknown, expired or another user's (moto says ResourceNotFound).
_BAD_SESSION = {"NotAuthorizedException", "ResourceNotFoundException", "UserNotFoundException"}


def _wrong_code() -> InvalidInput:
    return InvalidInput(second_factor.WRONG_CODE, details=[{"field": "code"}], code="ERR_MFA_CODE")


def _bad_session() -> Unauthenticated:
    return Unauthenticated(second_factor.SESSION_EXPIRED, code="ERR_MFA_SESSION")


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class CognitoIdentityProvider:
    def __init__(self, cognito_client: Any, user_pool_id: str, client_id: str) -> None:
        self._idp = cognito_client
        self._pool = user_pool_id
        self._client_id = client_id

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        try:
            self._idp.sign_up(
                ClientId=self._client_id,
                Username=email.value,
                Password=password,
                UserAttributes=[
                    {"Name": "email", "Value": email.value},
                    {"Name": "given_name", "Value": first_name},
                    {"Name": "family_name", "Value": last_name},
                ],
            )
        except ClientError as error:
            if _code(error) == "UsernameExistsException":
                raise Conflict("Un compte existe déjà avec cette adresse e-mail.") from error
            if _code(error) in {"InvalidPasswordException", "InvalidParameterException"}:
                raise InvalidInput(
                    "Mot de passe refusé par la politique de sécurité.", details=[{"field": "password"}]
                ) from error
            raise

    def confirm(self, email: Email) -> None:
        try:
            self._idp.admin_confirm_sign_up(UserPoolId=self._pool, Username=email.value)
        except ClientError as error:
            # Already confirmed: Cognito's AdminSetUserPassword (permanent) confirms an unconfirmed user too.
            if _code(error) != "NotAuthorizedException":
                raise
        self._idp.admin_update_user_attributes(
            UserPoolId=self._pool, Username=email.value, UserAttributes=[{"Name": "email_verified", "Value": "true"}]
        )

    def login(self, email: Email, password: str) -> Tokens | SecondFactorNeeded:
        try:
            answer = self._idp.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email.value, "PASSWORD": password},
            )
        except ClientError as error:
            if _code(error) == "UserNotConfirmedException":
                raise Unauthenticated(_BAD_CREDENTIALS, code="ERR_BAD_CREDENTIALS") from error
            if _code(error) in {"NotAuthorizedException", "UserNotFoundException"}:
                raise Unauthenticated(_BAD_CREDENTIALS, code="ERR_BAD_CREDENTIALS") from error
            raise
        if answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            return SecondFactorNeeded(answer["Session"])
        if "AuthenticationResult" not in answer:  # no other challenge is configured on the pool
            raise RuntimeError(f"unexpected challenge {answer.get('ChallengeName')!r}")
        return _tokens(answer["AuthenticationResult"], refresh_fallback=None)

    def answer_second_factor(self, email: Email, session: str, code: str) -> Tokens:
        try:
            answer = self._idp.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=session,
                ChallengeResponses={"USERNAME": email.value, "SOFTWARE_TOKEN_MFA_CODE": code.strip()},
            )
        except ClientError as error:
            if _code(error) in _WRONG_CODE:
                raise _wrong_code() from error
            if _code(error) in _BAD_SESSION or _code(error) == "InvalidParameterException":
                raise _bad_session() from error
            raise
        if "AuthenticationResult" not in answer:
            raise _bad_session()
        return _tokens(answer["AuthenticationResult"], refresh_fallback=None)

    def user_of(self, access_token: str) -> Email:
        try:
            user = self._idp.get_user(AccessToken=access_token)
        except ClientError as error:
            if _code(error) in _BAD_SESSION or _code(error) == "InvalidParameterException":
                raise _bad_session() from error
            raise
        return Email.parse(user["Username"])

    def start_totp(self, access_token: str) -> str:
        try:
            return str(self._idp.associate_software_token(AccessToken=access_token)["SecretCode"])
        except ClientError as error:
            if _code(error) in _BAD_SESSION:
                raise _bad_session() from error
            raise

    def confirm_totp(self, access_token: str, code: str) -> None:
        try:
            answer = self._idp.verify_software_token(
                AccessToken=access_token, UserCode=code.strip(), FriendlyDeviceName=second_factor.DEVICE_NAME
            )
        except ClientError as error:
            if _code(error) in _WRONG_CODE or _code(error) == "InvalidParameterException":
                raise _wrong_code() from error
            if _code(error) in _BAD_SESSION:
                raise _bad_session() from error
            raise
        if answer.get("Status") != "SUCCESS":
            raise _wrong_code()
        self._idp.set_user_mfa_preference(
            AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )

    def sign_out_everywhere(self, access_token: str) -> None:
        self._idp.global_sign_out(AccessToken=access_token)

    def refresh(self, refresh_token: str) -> Tokens:
        try:
            answer = self._idp.initiate_auth(
                ClientId=self._client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
            )
        except ClientError as error:
            if _code(error) in {"NotAuthorizedException", "UserNotFoundException"}:
                raise Unauthenticated("Session expirée : veuillez vous reconnecter.") from error
            raise
        return _tokens(answer["AuthenticationResult"], refresh_fallback=refresh_token)

    def set_password(self, email: Email, password: str) -> None:
        try:
            self._idp.admin_set_user_password(UserPoolId=self._pool, Username=email.value, Password=password, Permanent=True)
        except ClientError as error:
            if _code(error) == "InvalidPasswordException":
                raise InvalidInput(
                    "Mot de passe refusé par la politique de sécurité.", details=[{"field": "new_password"}]
                ) from error
            raise

    def get_user(self, email: Email) -> UserInfo | None:
        try:
            user = self._idp.admin_get_user(UserPoolId=self._pool, Username=email.value)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return None
            raise
        attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        return UserInfo(
            email=email,
            first_name=attributes.get("given_name", ""),
            last_name=attributes.get("family_name", ""),
            confirmed=user.get("UserStatus") == "CONFIRMED",
            totp="SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or []),
        )


def _tokens(result: dict[str, Any], refresh_fallback: str | None) -> Tokens:
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken") or refresh_fallback,
        expires_in=int(result.get("ExpiresIn", 3600)),
    )
