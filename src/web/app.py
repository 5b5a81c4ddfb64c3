"""The Flask application factory. It receives already-wired ports; it never builds adapters."""

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from werkzeug.middleware.proxy_fix import ProxyFix

from web import i18n, numbering
from web.deps import Dependencies
from web.errors import register_error_handlers
from web.guard import check_access
from web.sessions import ServerSessionInterface

ROOT = Path(__file__).resolve().parents[2]
CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "connect-src": "'self'", "font-src": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
    "base-uri": "'none'", "object-src": "'none'",
}
DEFAULTS: dict[str, Any] = {
    "HTTPS": False,  # served over HTTPS (directly or behind a proxy): Secure, __Host- cookie, HSTS, redirect
    "TRUSTED_PROXIES": 0,  # how many reverse proxies set X-Forwarded-*; 0 trusts none
    "WTF_CSRF_TIME_LIMIT": None,  # the server-side session bounds the token's life instead
    "WTF_CSRF_SSL_STRICT": True,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "LOGIN_RATE_LIMIT": "20 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
}
csrf = CSRFProtect()


def create_app(dependencies: Dependencies, config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app around already-wired ports (see bootstrap.py)."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.extensions["houtai"] = dependencies
    numbering.check_patterns(app.config)  # refuses to start with a pattern that cannot number documents
    app.session_interface = ServerSessionInterface(dependencies)
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _extensions(app)
    _blueprints(app)
    app.before_request(check_access)
    app.after_request(_no_store)
    register_error_handlers(app)
    logging.getLogger("houtai").setLevel(logging.INFO)
    return app


def _extensions(app: Flask) -> None:
    Htmx(app)
    csrf.init_app(app)
    i18n.init_babel(app, str(ROOT / "translations"))
    https = bool(app.config["HTTPS"])
    Talisman(app, content_security_policy=CSP, frame_options="DENY", force_https=https,
             strict_transport_security=https, session_cookie_secure=https,
             referrer_policy="strict-origin-when-cross-origin")


def _blueprints(app: Flask) -> None:
    from web.account.user_sessions import bp as user_sessions_bp
    from web.account.views import bp as account_bp
    from web.admin.access_check import bp as access_check_bp
    from web.admin.actions import bp as user_actions_bp
    from web.admin.departments import bp as departments_bp
    from web.admin.roles import bp as roles_bp
    from web.admin.users import bp as users_bp
    from web.approvals.delegation import bp as delegation_bp
    from web.approvals.labels import register_labels
    from web.approvals.rules import bp as approval_rules_bp
    from web.approvals.views import bp as approvals_bp
    from web.audit.views import bp as audit_bp
    from web.auth.links import bp as links_bp
    from web.auth.views import bp as auth_bp
    from web.budgets.views import bp as budgets_bp
    from web.contracts.amendments import bp as amendments_bp
    from web.contracts.attachments import bp as contract_attachments_bp
    from web.contracts.lifecycle import bp as contract_lifecycle_bp
    from web.contracts.views import bp as contracts_bp
    from web.customer_lists.tags import bp as customer_tags_bp
    from web.customers.contacts import bp as contacts_bp
    from web.customers.merges import bp as merges_bp
    from web.customers.views import bp as customers_bp
    from web.follow_ups.views import bp as follow_ups_bp
    from web.imports.views import bp as imports_bp, supplier_bp as supplier_imports_bp
    from web.invoices.exceptions import bp as invoice_exceptions_bp
    from web.invoices.views import bp as invoices_bp
    from web.jobs.views import bp as jobs_bp
    from web.navigation import register_badges
    from web.orders.routes import bp as orders_bp
    from web.procurement_settings.views import bp as procurement_settings_bp
    from web.receipts.views import bp as receipts_bp
    from web.requisitions.lifecycle import bp as requisition_lifecycle_bp
    from web.requisitions.views import bp as requisitions_bp
    from web.suppliers.contacts import bp as supplier_contacts_bp
    from web.suppliers.documents import bp as supplier_documents_bp
    from web.suppliers.scorecard import bp as supplier_scorecard_bp
    from web.suppliers.status import bp as supplier_status_bp
    from web.suppliers.views import bp as suppliers_bp
    from web.system.views import bp as system_bp
    from web.templating import register_template_helpers
    from web.work.views import bp as work_bp

    for blueprint in (system_bp, auth_bp, links_bp, account_bp, user_sessions_bp, customers_bp, audit_bp,
                      users_bp, user_actions_bp, departments_bp, roles_bp, access_check_bp, jobs_bp,
                      approvals_bp, approval_rules_bp, delegation_bp, contracts_bp, contract_lifecycle_bp,
                      amendments_bp, contract_attachments_bp, work_bp, customer_tags_bp,
                      contacts_bp, merges_bp, follow_ups_bp, imports_bp,
                      budgets_bp, requisitions_bp, requisition_lifecycle_bp,
                      receipts_bp, invoice_exceptions_bp, invoices_bp, procurement_settings_bp,
                      suppliers_bp, supplier_status_bp, supplier_contacts_bp, supplier_documents_bp,
                      supplier_scorecard_bp, orders_bp,
                      supplier_imports_bp):
        app.register_blueprint(blueprint)
    _list_tools(app)
    register_template_helpers(app)
    register_labels(app)
    register_badges(app)
    _throttle(app)


def _list_tools(app: Flask) -> None:
    """Saved views, export and bulk actions of every list registered with the list tools (web/lists/registry.py)."""
    from web.contracts.list_page import CONTRACT_PAGE
    from web.customer_lists.context import CUSTOMER_PAGE
    from web.lists.routes import list_blueprint
    from web.procurement_lists import PROCUREMENT_PAGES

    for page in (CUSTOMER_PAGE, CONTRACT_PAGE, *PROCUREMENT_PAGES):
        app.register_blueprint(list_blueprint(page))


def _throttle(app: Flask) -> None:
    """Rate-limit POSTs to the views marked @throttled, per client IP (one limiter per app)."""
    limiter = Limiter(get_remote_address, app=app, default_limits=[],
                      storage_uri=app.config["RATELIMIT_STORAGE_URI"])
    limit = limiter.limit(lambda: str(app.config["LOGIN_RATE_LIMIT"]), methods=["POST"])
    for endpoint, view in list(app.view_functions.items()):
        if getattr(view, "houtai_throttled", False):
            app.view_functions[endpoint] = limit(view)  # type: ignore[assignment]
    # The decorated views check their limit themselves; no other view has one, so skip the per-request hook.
    app.before_request_funcs[None].remove(limiter._check_request_limit)


def _no_store(response: Response) -> Response:
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Server", None)
    return response
