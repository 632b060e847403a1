"""The answers of the routes as pydantic models, one module per tag: what ``/api/openapi.json``
publishes and what the test suite checks every answer against (tests/support/contract.py)."""
