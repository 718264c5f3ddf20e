"""schemathesis generates requests from the API's own OpenAPI spec: none may get a server error."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import examples

# Per operation: enough to try every enum value and odd strings, bounded in time (100 in "thorough").
EXAMPLES = examples(10)


@pytest.mark.slow
@pytest.mark.django_db
def test_no_generated_request_gets_a_server_error(web_data, make_user, settings) -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # schemathesis's WSGI client speaks plain HTTP; the production settings would redirect it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    app = WSGIHandler()  # built after the setting changes: middleware reads settings once, when built
    # A raw WSGI handler closes the database connection after each request, as a server should; inside a
    # test's transaction that would close the test's own connection (Django's test client does the same).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        _exercise(app, make_user)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _exercise(app: object, make_user: object) -> None:
    from vrhub.web.api.models import ApiToken

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    _, key = ApiToken.issue(make_user("analyst"), "schemathesis")
    headers = {"Authorization": f"Bearer {key}"}

    tested, started = [], time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case: schemathesis.Case) -> None:
            # Also: every answer matches the schema the spec declares for its status code.
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        run()
        tested.append(operation.label)
    assert len(tested) == 23, tested  # every operation in the spec was exercised
    assert time.monotonic() - started < 60 * max(1, EXAMPLES // 10)
