"""What every JSON shape of the API shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    """A request body: unknown fields are refused, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Shape(BaseModel):
    """A response: read from a row or a query's view by attribute (``model_validate``)."""

    model_config = ConfigDict(from_attributes=True)
