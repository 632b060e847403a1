"""IdentityProvider on an Amazon Cognito user pool (moto's in the embedded runtime).

The username is the lower-cased e-mail. The pool sends no e-mail of its own:
confirmation and reset codes are the platform's (see services/accounts.py).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain import accounts
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, InvalidInput, Unauthenticated
from chalicelib.services.ports import Tokens, UserInfo

_BAD_CREDENTIALS = accounts.LOGIN_REFUSED


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
        self._idp.admin_confirm_sign_up(UserPoolId=self._pool, Username=email.value)
        self._idp.admin_update_user_attributes(
            UserPoolId=self._pool, Username=email.value, UserAttributes=[{"Name": "email_verified", "Value": "true"}]
        )

    def login(self, email: Email, password: str) -> Tokens:
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
        return _tokens(answer["AuthenticationResult"], refresh_fallback=None)

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
        )


def _tokens(result: dict[str, Any], refresh_fallback: str | None) -> Tokens:
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken") or refresh_fallback,
        expires_in=int(result.get("ExpiresIn", 3600)),
    )
