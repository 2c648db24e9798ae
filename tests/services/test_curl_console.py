"""Copy as curl: the backend's own request, every secret a quoted shell variable reference."""

from __future__ import annotations

import shlex
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.services.console import build_request
from crmtui.services.curl import quote_arg, to_curl, variable_name

SECRETS = {
    "client_id": "cid-CANARY-1234",
    "client_secret": "csec-CANARY-5678",
    "username": "user-CANARY@example.test",
    "password": "pw-CANARY-'$(reboot)`x`",
}


def profile() -> CMDataManagerProfile:
    return CMDataManagerProfile.model_validate(
        {"name": "p", "vendor": "cmdatamanager", "base_url": "https://cmd.invalid", **SECRETS}
    )


def test_variable_names() -> None:
    assert variable_name("secret_key") == "CRMTUI_SECRET_KEY"
    assert variable_name("rps-key") == "CRMTUI_RPS_KEY"


async def test_curl_names_variables_and_never_holds_a_secret() -> None:
    request = build_request("cmdatamanager", "PUT", "/lead/7?x=a b", body='{"Note": "it\'s $HOME"}')
    script = await to_curl(profile(), request, secrets=SECRETS)
    for value in SECRETS.values():
        assert value not in script
    comment = script.splitlines()[2]
    for key in SECRETS:
        assert variable_name(key) in comment
        assert f'"${variable_name(key)}"' in script
    assert '"$CRMTUI_TOKEN"' in script
    final = shlex.split(script.splitlines()[-1])
    assert final[:5] == ["curl", "-sS", "-X", "PUT", "https://cmd.invalid/api/v1/lead/7?x=a+b"]
    assert final[final.index("--data-raw") + 1] == '{"Note":"it\'s $HOME"}'


def test_a_secret_the_backend_used_directly_is_still_replaced() -> None:
    import httpx

    from crmtui.services.curl import render

    sent = httpx.Request("GET", "https://x.invalid/a?k=cid-CANARY-1234")
    script = render([sent], title="t", secrets=SECRETS)
    assert "cid-CANARY-1234" not in script and '"$CRMTUI_CLIENT_ID"' in script


def test_title_cannot_break_out_of_the_comment() -> None:
    import httpx

    from crmtui.services.curl import render

    script = render([httpx.Request("GET", "https://x.invalid/")], title="a\nrm -rf ~")
    assert all(line.startswith(("#", "curl")) for line in script.splitlines())


@settings(max_examples=30, deadline=None)
@given(
    st.text(
        alphabet=st.characters(
            categories=("L", "M", "N", "P", "S", "Z", "Cc"), blacklist_characters="\0"
        )
    )
)
def test_any_argument_survives_the_shell_unchanged(text: str) -> None:
    echoed = subprocess.run(
        ["bash", "-c", f"printf %s {quote_arg(text)}"], capture_output=True, timeout=10
    )
    assert echoed.stdout.decode("utf-8", "surrogateescape") == text
