"""Copy as curl: the exact request a backend would send, every secret a shell variable reference.

The request is not rebuilt by hand per vendor: the profile's backend builds it against a
capturing transport, with each secret replaced by a marker; the markers then become `"$VAR"`
references and every argument is shell-quoted. Where a vendor needs a token first
(CMDataManager), the token request comes first and fills `CRMTUI_TOKEN`.
"""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Iterable, Mapping

import httpx

from crmtui.backends.registry import backend_class
from crmtui.http.client import VendorHTTP
from crmtui.http.pacing import Limits
from crmtui.http.redact import MIN_SECRET_LENGTH, Redactor
from crmtui.model.raw import RawRequest
from crmtui.model.sanitize import inert
from crmtui.profiles.model import ProfileBase

TOKEN_VAR = "CRMTUI_TOKEN"
_MARK = "XQX"
_MARKER = re.compile(rf"{_MARK}(CRMTUI_[A-Z0-9_]+){_MARK}")
# Headers curl sets itself or that only describe this client.
_SKIP_HEADERS = frozenset(
    {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"}
)
_TOKEN_FROM_JSON = 'sed -n \'s/.*"token" *: *"\\([^"]*\\)".*/\\1/p\''


def variable_name(key: str) -> str:
    """The shell variable holding profile secret `key`: secret_key -> CRMTUI_SECRET_KEY."""
    return "CRMTUI_" + re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_").upper()


def _marker(var: str) -> str:
    return f"{_MARK}{var}{_MARK}"


async def capture(profile: ProfileBase, request: RawRequest) -> list[httpx.Request]:
    """The HTTP requests the profile's backend would send for `request`, secrets as markers.

    Nothing leaves the process: a mock transport answers every request with a token.
    """
    cls = backend_class(profile.vendor)
    secrets = {key: _marker(variable_name(key)) for key in profile.secret_refs()}
    seen: list[httpx.Request] = []

    def answer(sent: httpx.Request) -> httpx.Response:
        seen.append(sent)
        reset = str(int(time.time()) + 86_400)
        return httpx.Response(
            200, json={"token": _marker(TOKEN_VAR)}, headers={"x-token-reset": reset}
        )

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    http = VendorHTTP(client, vendor=profile.vendor, limits=Limits(), redactor=Redactor())
    backend = cls(profile, secrets, http)
    try:
        await backend.raw(request)
    finally:
        await backend.aclose()
    return seen


def quote_arg(arg: str) -> str:
    """One shell word: literal text single-quoted, markers as "$VAR" references."""
    parts: list[str] = []
    last = 0
    for match in _MARKER.finditer(arg):
        if match.start() > last:
            parts.append(shlex.quote(arg[last : match.start()]))
        parts.append(f'"${match.group(1)}"')
        last = match.end()
    if last < len(arg) or not parts:
        parts.append(shlex.quote(arg[last:]))
    return "".join(parts)


def curl_words(request: httpx.Request) -> list[str]:
    """curl's arguments for one request, unquoted."""
    words = ["curl", "-sS", "-X", request.method, str(request.url)]
    for name, value in request.headers.items():
        if name.lower() not in _SKIP_HEADERS:
            words += ["-H", f"{name}: {value}"]
    content = request.content
    if content:
        words += ["--data-raw", content.decode("utf-8", errors="replace")]
    return words


def _variables(words: Iterable[str]) -> list[str]:
    found: list[str] = []
    for word in words:
        for var in _MARKER.findall(word):
            if var not in found:
                found.append(var)
    return found


def _hide(words: list[str], secrets: Mapping[str, str]) -> list[str]:
    """Any resolved secret value still in `words` becomes its variable's marker."""
    pairs = sorted(secrets.items(), key=lambda kv: len(kv[1]), reverse=True)
    for key, value in pairs:
        if len(value) >= MIN_SECRET_LENGTH:
            words = [w.replace(value, _marker(variable_name(key))) for w in words]
    return words


def render(
    requests: list[httpx.Request], *, title: str, secrets: Mapping[str, str] | None = None
) -> str:
    """A runnable shell snippet: comments naming the variables, the token step, the call.

    `secrets` (key -> resolved value) are replaced too, should a backend have used one directly.
    """
    title = inert(title)
    if not requests:
        return f"# {title}\n# (the backend sent nothing)\n"
    final = _hide(curl_words(requests[-1]), secrets or {})
    needs_token = TOKEN_VAR in _variables(final)
    token_words = curl_words(requests[0]) if needs_token and len(requests) > 1 else []
    token_words = _hide(token_words, secrets or {})
    names = [v for v in _variables([*token_words, *final]) if v != TOKEN_VAR]
    lines = [f"# {title}"]
    if names:
        lines.append("# Export the profile's secrets first (never written here):")
        lines.append("#   " + " ".join(names))
    body: list[str] = []
    if token_words:
        lines.append(f"# {TOKEN_VAR} is fetched by the first command.")
        body.append(
            f"{TOKEN_VAR}=$({' '.join(quote_arg(w) for w in token_words)} | {_TOKEN_FROM_JSON})"
        )
    body.append(" ".join(quote_arg(w) for w in final))
    return "\n".join([*lines, *body]) + "\n"


async def to_curl(
    profile: ProfileBase, request: RawRequest, *, secrets: Mapping[str, str] | None = None
) -> str:
    """`request` as curl, for `profile`, with every secret a shell variable reference.

    Pass the session's resolved `secrets` (backend.secrets) so that none can slip through.
    """
    from crmtui.services.console import describe_request

    requests = await capture(profile, request)
    title = f"crmtui: {describe_request(request)} (profile {profile.name}, {profile.vendor})"
    return render(requests, title=title, secrets=secrets)
