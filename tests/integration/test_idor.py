"""IDOR: a user who may use customers in general asks for someone else's customer by id.

Every route with a <customer_id> (found in the URL map, so new record routes are covered
without editing this file), as page and as htmx partial, GET and POST → 404 with nothing of the
record in the body. Lists and searches never show it either.
"""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.customers import services
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

SECRET_NAME = "Canary Holdings 金丝雀有限公司"
CREDIT_CODE = "91350100M000100Y43"
OTHER_VALUES = {"field": "phone", "tag_id": "1", "contact_id": "1"}


class FixedClock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW


def _record_routes(app: Flask) -> list[tuple[str, str]]:
    return sorted((rule.rule, method) for rule in app.url_map.iter_rules() if "customer_id" in rule.arguments
                  for method in (rule.methods or set()) - {"HEAD", "OPTIONS"})


@pytest.fixture
def owner_and_stranger(engine: Engine, deps: Dependencies) -> tuple[Actor, Actor, list[int]]:
    east, west = add_department(engine, "East"), add_department(engine, "West")
    owner = add_user(SqlUnitOfWork(engine), "owner", {"sales_rep"}, east)
    stranger = add_user(SqlUnitOfWork(engine), "stranger", {"sales_manager"}, west)
    ids = []
    for n in range(3):
        raw = {"name": f"{SECRET_NAME} {n}", "industry": "technology", "region": "shanghai", "stage": "lead",
               "owner_id": str(owner.user_id), "credit_code": CREDIT_CODE if n == 0 else ""}
        customer = services.register_customer(raw, "", actor=owner, uow=SqlUnitOfWork(engine), clock=FixedClock())
        ids.append(customer.id or 0)
    return owner, stranger, ids


def _url(rule: str, customer_id: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(customer_id) if name == "customer_id" else OTHER_VALUES[name]

    return re.sub(r"<(?:\w+:)?(\w+)>", fill, rule)


def _assert_hidden(response: object, where: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert status == 404, where
    assert "Canary" not in body and "金丝雀" not in body and CREDIT_CODE not in body, where


def test_every_record_route_hides_other_peoples_customers(
    app: Flask, client: FlaskClient, deps: Dependencies, owner_and_stranger: tuple[Actor, Actor, list[int]]
) -> None:
    _owner, stranger, ids = owner_and_stranger
    sign_in_as(client, deps, stranger)
    token = csrf_of(client, "/customers")
    routes = _record_routes(app)
    assert len(routes) >= 5  # detail, edit, update, archive, follow-ups at least
    for customer_id in ids:
        for rule, method in routes:
            url = _url(rule, customer_id)
            for headers in ({}, {"HX-Request": "true", "HX-Target": "main"}):
                where = f"{method} {url} {headers}"
                if method == "GET":
                    _assert_hidden(client.get(url, headers=headers), where)
                else:
                    form = {"csrf_token": token, "version": "1", "name": "Hijacked", "industry": "technology",
                            "region": "shanghai", "stage": "lead", "owner_id": str(stranger.user_id),
                            "kind": "call", "content": "hello"}
                    _assert_hidden(client.post(url, data=form, headers=headers), where)


def test_neighbouring_ids_and_searches_reveal_nothing(
    client: FlaskClient, deps: Dependencies, owner_and_stranger: tuple[Actor, Actor, list[int]]
) -> None:
    _owner, stranger, ids = owner_and_stranger
    sign_in_as(client, deps, stranger)
    for customer_id in range(max(ids) - 10, max(ids) + 10):
        _assert_hidden(client.get(f"/customers/{customer_id}"), f"GET /customers/{customer_id}")
    for term in ("Canary", "金丝雀", CREDIT_CODE):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "customer-results"}):
            body = client.get("/customers", query_string={"q": term}, headers=headers).get_data(as_text=True)
            assert SECRET_NAME not in body, term  # the term itself is echoed in the search box
