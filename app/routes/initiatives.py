"""Initiatives: HTML pages and JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.deps import verify_csrf

api = APIRouter(tags=["initiatives"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
