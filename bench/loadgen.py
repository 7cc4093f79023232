"""The load driver of bench.load: virtual users in threads, each with its own session, over plain HTTP.

    python -m bench.loadgen --plan PLAN.json --out RECORDS.json

Run by bench.load as a second process (it never imports Django): the plan names the server, the
users (username, password, the weighted actions of their role) and the timing; the driver logs each
user in through the real /login/ form (CSRF token from the page and its cookie), then every user
repeats until the end: pick an action by weight, send it, read the whole response, record
(start offset, group, name, status, milliseconds, error), wait a think time. An edit is the adjust
form fetched (GET), then posted (POST) with the figures it shows changed and a certificate number of
the run's prefix. At the end each user logs out (POST /logout/). Only the standard library is used:
http.client (one connection per user, opened again when the server closes it), html.parser.

The records go to --out as JSON: {"started": epoch, "records": [[t, group, name, status, ms, error], …],
"logins": […], "samples": {name: first error body excerpt}}; bench.load leaves out the warm-up.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import sys
import threading
import time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

USER_AGENT = "kcn-bench-load/1"


class FormParser(HTMLParser):
    """Every <form> of a page: its method, action and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": []}
            self.forms.append(self._form)
        if self._form is None or ("name" not in attrs and tag in ("input", "select", "textarea")):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append([attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")])
        elif tag == "select":
            self._select, self._select_first = attrs["name"], None
            self._form["fields"].append([attrs["name"], None])
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            field = self._form["fields"][-1]
            if self._select_first is None:
                self._select_first = value
                field[1] = value
            if "selected" in attrs:
                field[1] = value
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"].append([attrs["name"], ""])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form["fields"][-1][1] += data


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict | None:
    """The first POST form that has a field named `field`."""
    for form in forms_of(html):
        if form["method"] == "post" and any(name == field for name, _value in form["fields"]):
            return form
    return None


class Session:
    """One user's connection and cookies (a tiny browser: no redirects followed, no caching)."""

    def __init__(self, base_url: str, timeout: float):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _store_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, data: dict | list | None = None) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request, the body read to the end."""
        headers = {"User-Agent": USER_AGENT, "Accept-Language": "vi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the Referer of HTTPS requests only; a browser sends it anyway.
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed meanwhile: open another once.
                self.close()
                if attempt == 2:
                    raise
                continue
            except Exception:
                self.close()
                raise
            self._store_cookies(response)
            if response.will_close:
                self.close()
            return response.status, dict(response.headers.items()), content
        raise AssertionError("unreachable")

    def csrf_post(self, page_path: str, data: dict, *, post_path: str | None = None) -> tuple[int, dict, bytes]:
        """GET a page for its CSRF token, then POST `data` with it (the cookie set on the way)."""
        status, _headers, body = self.request("GET", page_path)
        if status != 200:
            return status, _headers, body
        token = _hidden_token(body.decode("utf-8", "replace"))
        return self.request("POST", post_path or page_path, {**data, "csrfmiddlewaretoken": token})


def _hidden_token(html: str) -> str:
    for form in forms_of(html):
        for name, value in form["fields"]:
            if name == "csrfmiddlewaretoken":
                return value
    return ""


def _excerpt(body: bytes, limit: int = 400) -> str:
    """The visible text of an error page, shortened (for the report's samples)."""
    text = body.decode("utf-8", "replace")
    for marker in ("invalid-feedback", "alert-danger", "<h1"):
        at = text.find(marker)
        if at >= 0:
            text = text[at:]
            break
    return " ".join(text.split())[:limit]


class VirtualUser(threading.Thread):
    def __init__(self, index: int, spec: dict, plan: dict, clock: dict, sink: list, lock: threading.Lock):
        super().__init__(name=f"user-{index:02d}", daemon=True)
        self.index, self.spec, self.plan, self.clock = index, spec, plan, clock
        self.sink, self.lock = sink, lock
        self.random = random.Random(plan["seed"] * 1000 + index)
        self.session = Session(plan["base_url"], plan.get("timeout", 120))
        self.logged_in = False
        self.login_record: dict = {}
        self.edits = 0
        self.samples: dict[str, str] = {}

    # --- login and logout (untimed for the figures; the login's own time is kept aside) ---

    def login(self) -> None:
        started = time.perf_counter()
        try:
            status, _headers, body = self.session.csrf_post(
                "/login/", {"username": self.spec["username"], "password": self.spec["password"], "next": "/"}
            )
            self.logged_in = status == 302 and "sessionid" in self.session.cookies
            error = "" if self.logged_in else f"login answered {status}: {_excerpt(body)}"
        except Exception as exc:  # recorded, not raised: one user's failure is a figure
            status, error = 0, f"{type(exc).__name__}: {exc}"
        self.login_record = {
            "user": self.spec["username"],
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "error": error,
        }

    def logout(self) -> None:
        # The run is over: a failed logout only leaves a session row, which bench.load removes anyway.
        with contextlib.suppress(Exception):
            self.session.csrf_post("/", {}, post_path="/logout/")
        self.session.close()

    # --- the run ---

    def record(self, started: float, group: str, name: str, status: int, ms: float, error: str, body=b""):
        offset = started - self.clock["start"]
        if error and name not in self.samples:
            self.samples[name] = f"{error} | {_excerpt(body)}" if body else error
        with self.lock:
            self.sink.append([round(offset, 3), group, name, status, round(ms, 2), error])

    def timed(self, group: str, name: str, method: str, path: str, expect: list[int], data=None):
        """Send one request, record it; returns (status, headers, body) or None after an exception."""
        started = time.perf_counter()
        try:
            status, headers, body = self.session.request(method, path, data)
        except Exception as exc:  # any failure is a recorded error, not the end of the run
            ms = (time.perf_counter() - started) * 1000
            self.record(started, group, name, 0, ms, f"{type(exc).__name__}: {exc}")
            return None
        ms = (time.perf_counter() - started) * 1000
        error = "" if status in expect else f"HTTP {status} (expected {'/'.join(map(str, expect))}) {path}"
        if not error and status == 302 and "/login/" in headers.get("Location", ""):
            error = f"redirected to the login page: {path}"
        self.record(started, group, name, status, ms, error, body if error else b"")
        return status, headers, body

    def think(self) -> None:
        low, high = self.plan["think"]
        time.sleep(self.random.uniform(low, high))

    def adjust(self, action: dict) -> None:
        """The adjust form (GET), a think, then the form posted with new figures (POST, expect 302)."""
        path = f"/projects/{action['project']}/adjust/"
        got = self.timed("edits", "adjust form (GET)", "GET", path, [200])
        if got is None or got[0] != 200:
            return
        form = form_with(got[2].decode("utf-8", "replace"), "certificate_no")
        if form is None:
            self.record(time.perf_counter(), "edits", "adjust (POST)", 0, 0, f"no adjust form on {path}")
            return
        self.think()
        self.edits += 1
        data = dict(form["fields"])
        data["certificate_no"] = f"{action['certificate_prefix']}{self.edits}"
        data["event_date"] = action["date"]
        data["changes_note"] = "Điều chỉnh vốn (benchmark tải)"
        step = 1 + self.edits % 3
        if (data.get("capital_vnd") or "").isdigit():
            data["capital_vnd"] = str(int(data["capital_vnd"]) + 1_000_000_000 * step)
        try:
            if data.get("capital_usd"):
                data["capital_usd"] = str(Decimal(data["capital_usd"]) + 40_000 * step)
        except InvalidOperation:
            pass
        self.timed("edits", "adjust (POST)", "POST", path, [302], data)

    def run(self) -> None:
        if not self.logged_in:
            return
        actions = self.spec["actions"]
        weights = [action["weight"] for action in actions]
        # Users start spread over the first seconds, as people do.
        time.sleep(self.random.uniform(0, self.plan["think"][1]))
        while time.perf_counter() < self.clock["end"]:
            action = self.random.choices(actions, weights=weights)[0]
            if action.get("kind") == "adjust":
                self.adjust(action)
            else:
                path = self.random.choice(action["paths"])
                self.timed(action["group"], action["name"], "GET", path, action.get("expect", [200]))
            self.think()


def run(plan: dict) -> dict:
    """Log every user in, run them all until the end, log them out; the records and samples."""
    sink, lock = [], threading.Lock()
    clock = {"start": 0.0, "end": 0.0}
    users = [VirtualUser(i, spec, plan, clock, sink, lock) for i, spec in enumerate(plan["users"])]
    login_threads = [threading.Thread(target=user.login) for user in users]
    for thread in login_threads:
        thread.start()
    for thread in login_threads:
        thread.join()
    failed = [user.login_record for user in users if not user.logged_in]
    print(f"loadgen: {len(users) - len(failed)} of {len(users)} users logged in", flush=True)
    clock["start"] = time.perf_counter()
    clock["end"] = clock["start"] + plan["warmup"] + plan["duration"]
    started_epoch = time.time()
    for user in users:
        user.start()
    progress_every, next_report = 30, clock["start"] + 30
    while any(user.is_alive() for user in users):
        time.sleep(0.5)
        if time.perf_counter() >= next_report:
            with lock:
                done, errors = len(sink), sum(1 for row in sink if row[5])
            print(f"loadgen: {next_report - clock['start']:.0f} s, {done} requests, {errors} errors", flush=True)
            next_report += progress_every
    finished = time.perf_counter()
    logout_threads = [threading.Thread(target=user.logout) for user in users]
    for thread in logout_threads:
        thread.start()
    for thread in logout_threads:
        thread.join()
    samples = {}
    for user in users:
        for name, text in user.samples.items():
            samples.setdefault(name, text)
    return {
        "started": started_epoch,
        "elapsed": round(finished - clock["start"], 3),
        "records": sorted(sink),
        "logins": [user.login_record for user in users],
        "samples": samples,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", required=True, help="the plan bench.load wrote (JSON)")
    parser.add_argument("--out", required=True, help="where to write the records (JSON)")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as handle:
        plan = json.load(handle)
    result = run(plan)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    print(f"loadgen: {len(result['records'])} requests recorded in {result['elapsed']:.0f} s", flush=True)
    return 0 if all(login["status"] == 302 for login in result["logins"]) else 1


if __name__ == "__main__":
    sys.exit(main())
