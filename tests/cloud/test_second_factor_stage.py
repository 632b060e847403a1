"""The second factor in the cloud: optional for the pool (TOTP only), required by the app of the
national and admin profiles in ``prod``, of none in ``dev``."""

from __future__ import annotations

from tests.cloud.cfn import properties
from tests.cloud.test_stack import the_function


def test_prod_requires_a_second_factor_of_national_and_admin_profiles_and_dev_of_none(template, prod_template):
    assert the_function(prod_template)["Environment"]["Variables"]["CONSORES_MFA_REQUIRED_PROFILES"] == "admin,national"
    assert the_function(template)["Environment"]["Variables"]["CONSORES_MFA_REQUIRED_PROFILES"] == ""


def test_the_pool_offers_totp_and_never_sms(template):
    (pool,) = properties(template, "AWS::Cognito::UserPool")
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
