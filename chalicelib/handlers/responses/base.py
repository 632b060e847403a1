"""The base of every answer model: a field the model does not name is refused, so that the test
suite catches an answer carrying more than the contract says."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenAnswer(BaseModel):
    """An object whose keys depend on the data (an indicator's rows, a report's sections): the fields
    named are always there, the others are described by the route's documentation."""

    model_config = ConfigDict(extra="allow")


#: A JSON value whose shape the contract leaves to the route's documentation (docs/api-extensions.md).
Json = Any


class Empty(Answer):
    """``{}``: what is not there yet (an export's counts while it runs)."""
