#!/usr/bin/env python3
"""Sign the bench administrator in over HTTP, the way a person does, and print the Cookie header.

    houtai_login.py BASE_URL --creds FILE [--setup-url URL] [--check /customers]

* With --setup-url (a fresh database: `houtai setup-link` printed it): GET the setup form, create
  the administrator, enrol TOTP from the key shown on /login/enroll, confirm with a code.
  Username, password and TOTP key are written to FILE (mode 0600) before the code is confirmed.
* Without it: read FILE, POST /login (username, password, csrf_token, next), then /login/mfa with
  a TOTP code (or /login/enroll if the account never finished enrolment).

Each TOTP step is accepted once per user, so the last step used is kept in FILE and the script
waits for the next 30 s step when needed. Needs pyotp (installed in Houtai's .venv). Loopback only.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import json
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pyotp

COOKIE = "houtai"
USERNAME = "bench.admin"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


class Browser:
    def __init__(self, base: str) -> None:
        host = urllib.parse.urlsplit(base).hostname or ""
        if not ipaddress.ip_address(host).is_loopback:
            sys.exit(f"refusing non-loopback target {host!r}")
        self.base = base.rstrip("/")
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location header, body) without following redirects."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.headers.get("Location", ""), resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", ""), err.read().decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar if c.name == COOKIE)


def _csrf(body: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', body)
    if not found:
        sys.exit("no csrf_token in the form")
    return html.unescape(found.group(1))


def _path(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + ("?" + parts.query if parts.query else "")


def _expect(status: int, location: str, want_status: int, want_path: str, step: str) -> None:
    if status != want_status or (want_path and urllib.parse.urlsplit(location).path != want_path):
        sys.exit(f"{step}: expected {want_status} -> {want_path or '(any)'}, got {status} -> {location or '-'}")


def _save(creds_file: Path, creds: dict[str, object]) -> None:
    tmp = creds_file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(creds, fh, indent=2)
    tmp.replace(creds_file)


def _fresh_code(creds: dict[str, object], creds_file: Path) -> str:
    """A code for a TOTP step this user has not used yet (waits for the next step if needed)."""
    totp = pyotp.TOTP(str(creds["totp_secret"]))
    last = int(creds.get("last_step") or 0)
    while True:
        now = time.time()
        step = int(now // totp.interval)
        if step > last:
            break
        wait = (step + 1) * totp.interval - now + 0.2
        print(f"[login] TOTP step {step} already used; waiting {wait:.1f} s for the next one", file=sys.stderr)
        time.sleep(wait)
    creds["last_step"] = step
    _save(creds_file, creds)
    return totp.at(step * totp.interval)


def _submit_code(b: Browser, path: str, creds: dict[str, object], creds_file: Path) -> tuple[int, str, str]:
    for _ in range(2):
        status, location, body = b.request("GET", path)
        _expect(status, location, 200, "", f"GET {path}")
        if path == "/login/enroll":
            shown = re.search(r'<code id="totp-secret">([^<]+)</code>', body)
            if not shown:
                sys.exit("no <code id=totp-secret> on /login/enroll")
            if creds.get("totp_secret") != shown.group(1):
                creds["totp_secret"], creds["last_step"] = shown.group(1), 0
                _save(creds_file, creds)
        result = b.request("POST", path, {"code": _fresh_code(creds, creds_file), "csrf_token": _csrf(body)})
        if result[0] not in (401, 422):  # wrong/replayed code: try once more on the next step
            return result
        print(f"[login] code refused on {path} ({result[0]}); retrying on the next step", file=sys.stderr)
    sys.exit(f"{path}: code refused twice")


def setup(b: Browser, setup_url: str, creds_file: Path) -> None:
    path = _path(setup_url)
    status, location, body = b.request("GET", path)
    _expect(status, location, 200, "", "GET setup link")
    creds: dict[str, object] = {"username": USERNAME, "password": secrets.token_urlsafe(24), "totp_secret": None}
    _save(creds_file, creds)  # before the account exists: never an admin whose password is lost
    status, location, _ = b.request("POST", path, {
        "username": USERNAME, "display_name": "Bench Admin", "password": str(creds["password"]),
        "password_confirm": str(creds["password"]), "csrf_token": _csrf(body)})
    _expect(status, location, 303, "/login/enroll", "POST setup form")
    status, location, body = _submit_code(b, "/login/enroll", creds, creds_file)
    _expect(status, location, 200, "", "POST enrolment code")
    if "recovery" not in body.lower():
        sys.exit("enrolment confirmed but no recovery codes page")


def login(b: Browser, creds_file: Path) -> None:
    creds = json.loads(creds_file.read_text())
    status, location, body = b.request("GET", "/login")
    _expect(status, location, 200, "", "GET /login")
    status, location, _ = b.request("POST", "/login", {
        "username": str(creds["username"]), "password": str(creds["password"]), "csrf_token": _csrf(body),
        "next": "/customers"})
    if status != 303 or _path(location) not in ("/login/mfa", "/login/enroll"):
        sys.exit(f"POST /login: expected 303 -> /login/mfa, got {status} -> {location or '-'}")
    step_path = _path(location)
    status, location, body = _submit_code(b, step_path, creds, creds_file)
    if step_path == "/login/mfa":
        _expect(status, location, 303, "/customers", "POST /login/mfa")
    else:
        _expect(status, location, 200, "", "POST enrolment code")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_url")
    ap.add_argument("--creds", required=True, help="JSON file with the bench admin's username/password/TOTP key")
    ap.add_argument("--setup-url", help="one-time link from `houtai setup-link` (fresh database)")
    ap.add_argument("--check", default="/customers", help="path that must answer 200 with the new cookie")
    args = ap.parse_args()
    b, creds_file = Browser(args.base_url), Path(args.creds)
    if args.setup_url:
        setup(b, args.setup_url, creds_file)
    else:
        login(b, creds_file)
    cookie = b.cookie_header()
    if not cookie:
        sys.exit("signed in, but no houtai cookie was set")
    status, location, _ = b.request("GET", args.check)
    _expect(status, location, 200, "", f"GET {args.check} with the session cookie")
    print(cookie)
    return 0


if __name__ == "__main__":
    sys.exit(main())
