"""End-to-end fixtures: the real app on a live server thread, driven by Debian's Chromium.

Run explicitly: `.venv/bin/pytest e2e -p no:cacheprovider` (testpaths only lists tests/).
"""

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page
from werkzeug.serving import make_server

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from bootstrap import build_dependencies
from domain.identity.login import issue_setup_token
from e2e.support import CHROMIUM, CHROMIUM_ARGS, BrowserProblems, LiveServer
from web.app import create_app


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root: Path = tmp_path_factory.mktemp("e2e")
    keys_dir = root / "keys"
    keys_dir.mkdir(mode=0o700)
    engine = make_engine(f"sqlite:///{root / 'houtai.db'}")  # a file: the server threads share it
    upgrade(engine)
    deps = build_dependencies(engine, keys_dir, immediate_jobs=True)
    config = {"SECRET_KEY": "e2e-" + secrets.token_urlsafe(16), "LOGIN_RATE_LIMIT": "1000 per minute",
              "TESTING": False}
    app = create_app(deps, config)
    token = issue_setup_token(uow=deps.uow(), clock=deps.clock)
    assert token is not None, "a fresh database has no administrator yet"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", engine, token, deps)
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "en-US", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def problems(context: BrowserContext) -> Iterator[BrowserProblems]:
    """Fails the test on any CSP violation or uncaught page error, in every tab of the context."""
    found = BrowserProblems()
    found.watch(context)
    yield found
    found.assert_none(context.pages)


@pytest.fixture
def page(context: BrowserContext, problems: BrowserProblems) -> Page:
    """pytest-playwright's page, with the problem watch installed before it opens."""
    context.set_default_timeout(10_000)  # fail fast: every step here takes well under a second
    return context.new_page()
