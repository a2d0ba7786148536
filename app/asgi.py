"""The ASGI application for servers: ``uvicorn app.asgi:app``."""

from app.main import create_app, ready_for_traffic

app = ready_for_traffic(create_app())
