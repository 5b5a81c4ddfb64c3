"""Customer views through the Flask test client: pages vs fragments, forms, locking, scope, headers."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import VALID_CODE, customer_form
from tests.integration.conftest import add_user, csrf_of, sign_in_as
from web.deps import Dependencies

RESULTS = {"HX-Request": "true", "HX-Target": "customer-results"}
FORM = {"HX-Request": "true", "HX-Target": "customer-form"}


@pytest.fixture
def rep(uow: SqlUnitOfWork) -> Actor:
    return add_user(uow, "rep", {"sales_rep"})


@pytest.fixture
def signed_in(client: FlaskClient, deps: Dependencies, rep: Actor) -> FlaskClient:
    sign_in_as(client, deps, rep)
    return client


def create(client: FlaskClient, owner: Actor, token: str = "form-1", headers: dict[str, str] | None = None,
           **fields: str) -> object:
    data = customer_form(owner_id=str(owner.user_id)) | fields | {"form_token": token,
                                                                   "csrf_token": csrf_of(client)}
    return client.post("/customers", data=data, headers=headers or {})


def customer_id(engine: Engine, name: str = "上海华宏科技有限公司") -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM customers WHERE name = :n"), {"n": name}).scalar_one())


class TestList:
    def test_page_has_the_layout_and_the_fragment_only_the_results(self, signed_in: FlaskClient, rep: Actor) -> None:
        create(signed_in, rep)

        page = signed_in.get("/customers?q=华宏")
        fragment = signed_in.get("/customers?q=华宏", headers=RESULTS)

        assert "<html" in page.text and "上海华宏科技有限公司" in page.text
        assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<section id="customer-results"')
        assert "上海华宏科技有限公司" in fragment.text
        assert {"HX-Request", "HX-Target"} <= set(fragment.vary)

    @pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
    def test_boosted_and_history_restore_requests_get_the_page(self, signed_in: FlaskClient,
                                                               extra: dict[str, str]) -> None:
        assert "<html" in signed_in.get("/customers", headers=RESULTS | extra).text

    def test_search_works_without_javascript_and_keeps_filters_in_links(self, signed_in: FlaskClient,
                                                                        rep: Actor) -> None:
        for i in range(55):
            create(signed_in, rep, token=f"t{i}", name=f"Kestrel {i:02d} GmbH", credit_code="")

        page = signed_in.get("/customers?q=Kestrel&stage=lead&sort=name")

        assert page.text.count('">Kestrel ') == 50
        next_link = re.search(r'rel="next" href="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        assert "q=Kestrel" in next_link and "stage=lead" in next_link and "after=" in next_link
        second = signed_in.get(next_link.replace("&amp;", "&"))
        assert second.text.count('">Kestrel ') == 5 and "Kestrel 54 GmbH" in second.text

    @pytest.mark.parametrize("query", ["sort=name%20desc,(select%201)", "owner=1%20OR%201=1", "stage=x'--",
                                       "after=%27%3B--", "q=%27%20OR%201%3D1--"])
    def test_hostile_parameters_are_ignored_not_errors(self, signed_in: FlaskClient, query: str) -> None:
        assert signed_in.get("/customers?" + query).status_code == 200


class TestCreate:
    def test_valid_form_redirects_to_the_new_customer(self, signed_in: FlaskClient, rep: Actor,
                                                      engine: Engine) -> None:
        response = create(signed_in, rep)

        assert response.status_code == 303  # type: ignore[attr-defined]
        assert response.location == f"/customers/{customer_id(engine)}"  # type: ignore[attr-defined]

    def test_htmx_create_navigates_with_hx_location(self, signed_in: FlaskClient, rep: Actor, engine: Engine) -> None:
        response = create(signed_in, rep, headers=FORM)

        assert response.status_code == 204  # type: ignore[attr-defined]
        assert response.headers["HX-Location"] == f"/customers/{customer_id(engine)}"  # type: ignore[attr-defined]

    def test_invalid_form_comes_back_as_a_422_fragment_with_the_values(self, signed_in: FlaskClient,
                                                                       rep: Actor) -> None:
        response = create(signed_in, rep, headers=FORM, credit_code="91350100M000100Y44", email="nope")

        body = response.text  # type: ignore[attr-defined]
        assert response.status_code == 422 and body.startswith('<form id="customer-form"')  # type: ignore[attr-defined]
        assert "GB 32100-2015" in body and 'value="91350100M000100Y44"' in body and 'aria-invalid="true"' in body

    def test_invalid_form_without_javascript_is_a_whole_page(self, signed_in: FlaskClient, rep: Actor) -> None:
        response = create(signed_in, rep, name="")

        assert response.status_code == 422 and "<html" in response.text  # type: ignore[attr-defined]

    def test_double_submit_makes_one_customer(self, signed_in: FlaskClient, rep: Actor, engine: Engine) -> None:
        first, second = create(signed_in, rep), create(signed_in, rep)

        assert first.location == second.location  # type: ignore[attr-defined]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 1

    def test_missing_csrf_token_is_rejected_for_forms_and_htmx(self, signed_in: FlaskClient, rep: Actor,
                                                               engine: Engine) -> None:
        data = customer_form(owner_id=str(rep.user_id))

        plain = signed_in.post("/customers", data=data)
        htmx = signed_in.post("/customers", data=data, headers=FORM)

        assert plain.status_code == htmx.status_code == 400
        assert "X-Houtai-Message" in htmx.headers
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 0

    def test_csrf_header_alone_is_enough_for_htmx(self, signed_in: FlaskClient, rep: Actor) -> None:
        token = csrf_of(signed_in)
        data = customer_form(owner_id=str(rep.user_id)) | {"form_token": "x"}

        response = signed_in.post("/customers", data=data, headers=FORM | {"X-CSRFToken": token})

        assert response.status_code == 204

    def test_extra_fields_cannot_set_version_owner_or_audit(self, signed_in: FlaskClient, rep: Actor,
                                                             engine: Engine) -> None:
        create(signed_in, rep, version="99", created_by="1", archived_at="2020-01-01", department_id="7")

        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT version, created_by, archived_at, department_id FROM customers")).one()
        assert tuple(row) == (1, rep.user_id, None, None)


class TestEdit:
    def test_stale_save_gets_a_409_conflict_and_keeps_the_first_save(self, signed_in: FlaskClient, rep: Actor,
                                                                     engine: Engine) -> None:
        create(signed_in, rep)
        cid = customer_id(engine)
        form = customer_form(owner_id=str(rep.user_id)) | {"version": "1", "csrf_token": csrf_of(signed_in)}
        first = signed_in.post(f"/customers/{cid}", data=form | {"stage": "prospect"})

        second = signed_in.post(f"/customers/{cid}", data=form | {"stage": "lost"}, headers=FORM)

        assert first.status_code == 303 and second.status_code == 409
        assert "Someone else saved this customer" in second.text and 'name="version" value="2"' in second.text
        assert "<q>Prospect</q>" in second.text  # the saved value, by its label
        with engine.connect() as connection:
            assert connection.execute(text("SELECT stage FROM customers")).scalar() == "prospect"

    def test_follow_up_fragment_is_appended_and_errors_retarget_the_form(self, signed_in: FlaskClient, rep: Actor,
                                                                         engine: Engine) -> None:
        create(signed_in, rep)
        cid = customer_id(engine)
        headers = {"HX-Request": "true", "HX-Target": "followup-list"}
        data = {"csrf_token": csrf_of(signed_in), "kind": "wechat", "content": "发了报价 <b>", "next_action_on": ""}

        added = signed_in.post(f"/customers/{cid}/follow-ups", data=data, headers=headers)
        invalid = signed_in.post(f"/customers/{cid}/follow-ups", data=data | {"content": ""}, headers=headers)

        assert added.status_code == 200 and added.text.lstrip().startswith('<li class="followup"')
        assert "发了报价 &lt;b&gt;" in added.text and 'hx-swap-oob="true"' in added.text
        assert invalid.status_code == 422 and invalid.headers["HX-Retarget"] == "#followup-form"
        assert "发了报价" in signed_in.get(f"/customers/{cid}").text


class TestAccess:
    def test_other_reps_customer_is_invisible_on_every_route(self, app: Flask, deps: Dependencies,
                                                             uow: SqlUnitOfWork, rep: Actor, engine: Engine) -> None:
        owner_client, other_client = app.test_client(), app.test_client()
        sign_in_as(owner_client, deps, rep)
        sign_in_as(other_client, deps, add_user(uow, "other", {"sales_rep"}))
        create(owner_client, rep)
        cid, token = customer_id(engine), csrf_of(other_client)
        data = customer_form(owner_id=str(rep.user_id)) | {"version": "1", "csrf_token": token}

        responses = [other_client.get(f"/customers/{cid}"), other_client.get(f"/customers/{cid}/edit"),
                     other_client.post(f"/customers/{cid}", data=data),
                     other_client.post(f"/customers/{cid}/archive", data=data),
                     other_client.post(f"/customers/{cid}/follow-ups", data={"csrf_token": token, "kind": "note",
                                                                             "content": "x"}),
                     other_client.get("/customers?q=华宏", headers=RESULTS)]

        assert [r.status_code for r in responses] == [404, 404, 404, 403, 404, 200]
        assert all("上海华宏科技有限公司" not in r.text for r in responses)  # the list echoes the search term itself

    def test_anonymous_requests_are_sent_to_login(self, app: Flask, client: FlaskClient) -> None:
        public = {"static", "system.healthz", "system.readyz", "system.set_language", "system.home", "auth.login",
                  "auth.setup", "links.activate"}
        token = csrf_of(client, "/login")  # a valid anonymous token: the refusal must come from the login check
        for rule in app.url_map.iter_rules():
            if rule.endpoint in public:
                continue
            path = re.sub(r"<any\('?([\w-]+)'?[^>]*>", r"\1", re.sub(r"<int:\w+>", "1", rule.rule))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, headers={"X-CSRFToken": token})
                assert response.status_code in (302, 303), (method, path, response.status_code)
                assert "/login" in response.location

    def test_health_checks_answer_without_login_and_say_nothing_else(self, client: FlaskClient) -> None:
        assert (client.get("/healthz").text, client.get("/readyz").text) == ("ok", "ready")


class TestHeaders:
    def test_security_headers_on_pages_fragments_and_errors(self, signed_in: FlaskClient) -> None:
        for response in (signed_in.get("/customers"), signed_in.get("/customers", headers=RESULTS),
                         signed_in.get("/customers/999999"), signed_in.get("/nowhere")):
            csp = response.headers["Content-Security-Policy"]
            for directive in ("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"):
                assert directive in csp
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "charset=utf-8" in response.headers["Content-Type"]

    def test_not_found_says_so_with_a_reference(self, signed_in: FlaskClient) -> None:
        response = signed_in.get("/customers/999999")

        assert response.status_code == 404 and re.search(r"<code>[0-9a-f]{12}</code>", response.text)

    def test_session_cookie_is_http_only_and_same_site(self, client: FlaskClient) -> None:
        cookie = client.get("/login").headers["Set-Cookie"]

        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie

    def test_unexpected_errors_show_a_reference_and_no_trace(self, app: Flask, deps: Dependencies,
                                                             rep: Actor) -> None:
        def explode() -> str:
            raise RuntimeError("secret internals")

        app.add_url_rule("/explode", "explode", explode)
        client = app.test_client()
        sign_in_as(client, deps, rep)

        response = client.get("/explode")

        assert response.status_code == 500
        assert re.search(r"<code>[0-9a-f]{12}</code>", response.text)
        assert "secret internals" not in response.text and "Traceback" not in response.text


def test_valid_code_constant_is_really_valid() -> None:
    from domain.customers.credit_code import is_valid_credit_code

    assert is_valid_credit_code(VALID_CODE)
