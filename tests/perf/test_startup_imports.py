"""`crmtui -p PROFILE` draws its first frame without the sandbox, httpx's CLI or its own extras."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROFILE = """\
default_profile = "work"

[profiles.work]
vendor = "cmdatamanager"
base_url = "http://127.0.0.1:9/cmdatamanager"
client_id = "id"
client_secret = "secret"
username = "u@example.test"
password = "pw"
"""

# Heavy modules a real profile's start-up has no use for: the emulators and their web stack,
# httpx's command-line client (click, pygments), and the demo.
ABSENT = (
    "starlette",
    "uvicorn",
    "click",
    "pygments",
    "crmtui.sandbox",
    "crmtui.services.demo",
)

SCRIPT = """\
import asyncio, json, sys
from crmtui.cli.main import build_parser
from crmtui.ui.launch import build_app

args = build_parser(commands=False).parse_args(["--config", sys.argv[1], "-p", "work"])
app, cleanup = build_app(args)

async def first_frame() -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(json.dumps(sorted(sys.modules)))
        app.exit()

asyncio.run(first_frame())
cleanup()
"""


def loaded_at_first_frame(tmp_path: Path) -> set[str]:
    """The modules loaded once the app for a real profile has drawn its first frame."""
    config = tmp_path / "profiles.toml"
    config.write_text(PROFILE, encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**_base_env(), **env, "CRMTUI_DATA_DIR": str(tmp_path / "crm")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return set(names)


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}


def test_first_frame_of_a_real_profile_skips_heavy_modules(tmp_path: Path) -> None:
    loaded = loaded_at_first_frame(tmp_path)
    assert "textual.app" in loaded  # the app did start
    heavy = sorted(
        name for name in loaded for top in ABSENT if name == top or name.startswith(top + ".")
    )
    assert heavy == []


def test_headless_imports_skip_httpx_cli() -> None:
    code = "import sys, crmtui, httpx; print('click' in sys.modules, 'pygments' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
