"""Hostile servers, as the CLI meets them: every demo answer rewritten (escapes in every value
and key, deep JSON, lies about totals, broken bodies, refusals), then the commands users run.

Figures: inputs tried, crashes (exit 70, a traceback), escapes reaching the terminal (a raw
control, C1 or bidi character in what was printed), secrets leaked (a profile's secret in it).
"""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

import crmtui.sandbox.transport as sandbox_transport
from crmtui.cli.main import main
from crmtui.services.demo import open_demo
from tests.hardening.hostile import Rewrite, Rewriting, deep_json

ESCAPES = ["\x1b]0;pwned\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x9b31m", "\u202e", "\x85"]
UNSAFE = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]} | {
    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a", "\u202b", "\u202c", "\u202d",
}  # fmt: skip
WRITES = ("POST", "PUT", "PATCH", "DELETE")
AUTH_PATHS = ("authenticate", "token")


def _json_answer(response: httpx.Response, data: Any) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return httpx.Response(response.status_code, content=json.dumps(data).encode(), headers=headers)


def _poison(value: Any, depth: int = 0) -> Any:
    """Every string (and key) of a JSON value with an escape sequence around it."""
    escape = ESCAPES[depth % len(ESCAPES)]
    if isinstance(value, str):
        return f"{escape}{value}{ESCAPES[(depth + 1) % len(ESCAPES)]}"
    if isinstance(value, list):
        return [_poison(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {
            (k if k in _STRUCTURE else _poison(k, depth + 2)): _poison(v, depth + 1)
            for k, v in value.items()
        }
    return value


# Keys a poisoned answer keeps as they are, so the escapes get past the protocol into the data.
_STRUCTURE = {
    "result", "lead", "leads", "Entity", "Properties", "ExternalID", "Field", "id", "Id",
    "Total Records", "Total Pages", "Total Page", "RecordCount", "Leads", "ProspectID",
    "LeadPropertyList", "Attribute", "Value", "error", "data", "status", "token", "Token",
    "access_token", "expires_in", "hasMore", "fields", "field", "systemName", "label",
}  # fmt: skip


def _loaded(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _is_auth(request: httpx.Request) -> bool:
    return any(word in request.url.path.lower() for word in AUTH_PATHS)


def escapes_everywhere(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    data = _loaded(response)
    return None if data is None or _is_auth(request) else _json_answer(response, _poison(data))


def deep(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    headers = {"content-type": "application/json"}
    return httpx.Response(200, content=deep_json(100_000), headers=headers)


def html_500(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    page = b"<html><body><h1>502 \x1b]0;gateway\x07</h1></body></html>"
    return httpx.Response(500, content=page, headers={"content-type": "text/html"})


def bad_utf8(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    return httpx.Response(200, content=b'{"result": "\xff\xfe\x9b31m"}',
                          headers={"content-type": "application/json"})  # fmt: skip


def lying_totals(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    data = _loaded(response)
    if not isinstance(data, dict) or _is_auth(request):
        return None
    lies = {"Total Page": "12345", "Total Pages": "12345", "Total Records": "999999999",
            "RecordCount": 999999999, "hasMore": True}  # fmt: skip
    return _json_answer(response, {**data, **{k: v for k, v in lies.items() if k in data}})


def same_page(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    key = f"{request.method} {request.url.path}"
    first = _SEEN.setdefault(key, response)
    return httpx.Response(first.status_code, content=first.content, headers=first.headers)


_SEEN: dict[str, httpx.Response] = {}


def wrong_types(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    if _is_auth(request):
        return None
    shapes: list[Any] = [[], "x", None, 7, {"result": []}, {"result": "x"}, [{"a": None}]]
    return _json_answer(response, shapes[len(request.url.path) % len(shapes)])


def huge_value(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    data = _loaded(response)
    if data is None or _is_auth(request):
        return None
    text = json.dumps(data).replace('"', '"' + "W" * 100_000, 1)
    return httpx.Response(response.status_code, content=text.encode(),
                          headers={"content-type": "application/json"})  # fmt: skip


def wait_a_day(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    if _is_auth(request):
        return None
    return httpx.Response(429, json={"Message": "slow down"}, headers={"Retry-After": "86400"})


def refuse_writes(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    if request.method not in WRITES or _is_auth(request):
        return None
    return httpx.Response(400, json={"Message": "refused \x1b]0;x\x07", "ExceptionType": "X"})


ANSWERS: dict[str, Rewrite] = {
    "escapes in every value and key": escapes_everywhere,
    "JSON nested 100,000 deep": deep,
    "HTML 500 page": html_500,
    "invalid UTF-8": bad_utf8,
    "lying totals (12,345 pages)": lying_totals,
    "the same page forever": same_page,
    "wrong JSON types": wrong_types,
    "a 100 KB value": huge_value,
    "429, retry in a day": wait_a_day,
    "400 on every write": refuse_writes,
}
NEW_LEAD = {
    "cmdatamanager": ["FirstName=Ada", "LastName=Hostile"],
    "sharpspring": ["emailAddress=ada.hostile@example.test", "firstName=Ada"],
    "leadsquared": ["EmailAddress=ada.hostile@example.test", "FirstName=Ada"],
    "influencersoft": ["lead_email=ada.hostile@example.test", "lead_first_name=Ada"],
}


@dataclass
class HostileReport:
    """What the hostile-server run tried and found."""

    tried: int = 0
    crashes: list[str] = field(default_factory=list)
    escapes: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    exits: Counter[int] = field(default_factory=Counter)


def _commands(vendor: str, lead_id: str) -> list[list[str]]:
    entity = "group" if vendor == "influencersoft" else "lead"
    commands = [["list", entity, "--limit", "20", "--format", f] for f in ("table", "csv", "json",
                                                                          "jsonl")]  # fmt: skip
    commands += [["fields", entity], ["create", "lead", *NEW_LEAD[vendor], "-y"]]
    if vendor != "influencersoft":
        commands += [["get", "lead", lead_id], ["get", "lead", lead_id, "--format", "json"]]
    return commands


def _run(argv: list[str]) -> tuple[int, str, str]:
    saved = sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def _through(
    original: Callable[[Any], httpx.AsyncBaseTransport], rewrite: Rewrite
) -> Callable[[Any], httpx.AsyncBaseTransport]:
    """A replacement for `in_process_transport` whose answers go through `rewrite`."""

    def make(app: Any) -> httpx.AsyncBaseTransport:
        return Rewriting(original(app), rewrite)

    return make


def hostile_run(
    vendors: tuple[str, ...] = ("cmdatamanager", "sharpspring", "leadsquared", "influencersoft"),
    on_progress: Callable[[str], None] | None = None,
) -> HostileReport:
    """Every hostile answer against every command of every vendor's demo (CRMTUI_DATA_DIR)."""
    demo = open_demo(records=30)
    try:
        secrets = [
            value
            for profile in demo.config.profiles.values()
            for value in profile.secret_refs().values()
            if isinstance(value, str) and len(value) >= 6
        ]
        ids = {
            vendor: (demo.stores[f"demo-{vendor}"].list(vendor, "lead", offset=0, limit=1)
                     or [("1", {})])[0][0]
            for vendor in vendors
        }  # fmt: skip
    finally:
        demo.close()
    report = HostileReport()
    original = sandbox_transport.in_process_transport
    for name, rewrite in ANSWERS.items():
        _SEEN.clear()
        sandbox_transport.in_process_transport = _through(original, rewrite)  # type: ignore[assignment]
        try:
            for vendor in vendors:
                for command in _commands(vendor, ids[vendor]):
                    argv = ["--demo", "-p", f"demo-{vendor}", *command]
                    code, out, err = _run(argv)
                    report.tried += 1
                    report.exits[code] += 1
                    what = f"{name}: crmtui {' '.join(command)} ({vendor})"
                    if code == 70 or "Traceback" in err or "unexpected error" in err:
                        report.crashes.append(f"{what}: {err.strip()[-200:]!r}")
                    raw = sorted({f"U+{ord(c):04X}" for c in (out + err).replace("\r\n", "\n")
                                  if c in UNSAFE})  # fmt: skip
                    if raw:
                        report.escapes.append(f"{what}: {raw}")
                    if any(secret in out + err for secret in secrets):
                        report.leaked.append(what)
        finally:
            sandbox_transport.in_process_transport = original
        if on_progress is not None:
            on_progress(name)
    return report


def hostile_table(report: HostileReport) -> str:
    """The hostile-server figures."""
    exits = ", ".join(f"{code}: {n}" for code, n in sorted(report.exits.items()))
    lines = [
        f"hostile servers: {len(ANSWERS)} kinds of answer x the commands users run = "
        f"{report.tried} runs; crashes {len(report.crashes)}, escapes reaching the terminal "
        f"{len(report.escapes)}, secrets leaked {len(report.leaked)} (exit codes {exits})"
    ]
    lines += [f"  CRASH {c}" for c in report.crashes[:10]]
    lines += [f"  ESCAPE {e}" for e in report.escapes[:10]]
    lines += [f"  LEAK {leak}" for leak in report.leaked[:10]]
    return "\n".join(lines)
