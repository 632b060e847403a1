"""Which runtime this is: read in one place, the cloud unless the environment says embedded."""

from __future__ import annotations

from chalicelib.config import Settings, runtime_is_embedded


def test_a_process_is_the_cloud_unless_its_environment_says_embedded():
    assert not runtime_is_embedded({})
    assert not runtime_is_embedded({"CONSORES_RUNTIME": "cloud"})
    assert runtime_is_embedded({"CONSORES_RUNTIME": "embedded"})


def test_the_settings_and_the_app_agree_on_the_runtime():
    for env in ({}, {"CONSORES_RUNTIME": "cloud"}, {"CONSORES_RUNTIME": "embedded"}):
        assert Settings.from_env(env).embedded == runtime_is_embedded(env)


def test_the_aws_clients_sign_with_the_settings_keys_when_given_else_with_the_default_chain():
    from dataclasses import replace

    from chalicelib.adapters.aws import AwsClients

    settings = Settings.from_env({"CONSORES_RUNTIME": "embedded", "CONSORES_AWS_ENDPOINT_URL": "http://127.0.0.1:1"})
    given = AwsClients(replace(settings, aws_credentials=("the-key", "the-secret"))).s3._request_signer._credentials
    assert (given.access_key, given.secret_key) == ("the-key", "the-secret")
    default = AwsClients(settings).s3._request_signer._credentials
    assert default.access_key != "the-key"
