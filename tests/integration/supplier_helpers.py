"""A procurement office for supplier tests: users of the procurement roles, signed-in clients, shortcuts."""

from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.supplier_builders import supplier_form
from web.deps import Dependencies


class Office:
    """A buyer (create, edit), a procurement manager (qualify, reveal), finance (read, reveal) and an employee
    (no supplier permission at all)."""

    def __init__(self, app: Flask, deps: Dependencies, engine: Engine) -> None:
        department = add_department(engine, "采购部")
        self.app, self.deps, self.engine = app, deps, engine
        self.buyer = add_user(SqlUnitOfWork(engine), "buyer", {"buyer"}, department)
        self.manager = add_user(SqlUnitOfWork(engine), "manager", {"procurement_manager"}, department)
        self.finance = add_user(SqlUnitOfWork(engine), "fay", {"finance"}, department)
        self.employee = add_user(SqlUnitOfWork(engine), "emma", {"employee"}, department)

    def client(self, actor: Actor, fresh: bool = True) -> FlaskClient:
        client = self.app.test_client()
        sign_in_as(client, self.deps, actor, fresh=fresh)
        return client

    def post(self, client: FlaskClient, url: str, data: dict[str, str] | None = None, **headers: str) -> TestResponse:
        return client.post(url, data=(data or {}) | {"csrf_token": csrf_of(client, "/account")}, headers=headers)

    def register(self, client: FlaskClient, token: str = "f1", **fields: str) -> int:
        response = self.post(client, "/suppliers", supplier_form(**fields) | {"form_token": token})
        assert response.status_code == 303, response.text
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def query(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())

    def audit(self, action: str) -> list[Any]:
        return self.query("SELECT entity_id, before, after, actor_id FROM audit_events WHERE action = :a ORDER BY seq",
                          a=action)

    def add_document(self, supplier_id: int, expires_on: date | None, removed: bool = False) -> int:
        """A metadata-only document row, as the document form would write it."""
        with self.engine.begin() as connection:
            return int(connection.execute(text(
                "INSERT INTO supplier_documents (supplier_id, kind, title, number, expires_on, uploaded_by, "
                "uploaded_at, removed_at) VALUES (:s, 'qualification', 'ISO 9001', '', :e, :u, CURRENT_TIMESTAMP, "
                + ("CURRENT_TIMESTAMP" if removed else "NULL") + ") RETURNING id"),
                {"s": supplier_id, "e": expires_on, "u": self.buyer.user_id}).scalar_one())


def days(today: date, offset: int) -> date:
    return today + timedelta(days=offset)
