"""`crmtui -p PROFILE` draws its first frame without the sandbox, httpx's CLI or its own extras.

Nor do other vendors' modules load (their profile models, backends, sandboxes), nor pydantic (the
profile models are crmtui's own; pydantic checks an edit, later), nor SQLite unless the profile
keeps a mirror. `crmtui --demo` builds the opened vendor's sandbox only, without pydantic either.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import Server, sandbox_serve

# Heavy modules a real profile's start-up has no use for: the emulators and their web stack,
# httpx's command-line client (click, pygments), and the demo.
ABSENT = (
    "starlette",
    "uvicorn",
    "click",
    "pygments",
    "crmtui.sandbox",
    "crmtui.services.demo",
    "importlib.metadata",  # the registry's entry points
    "crmtui.ui.commands",  # the palette's, imported when it opens
    "crmtui.ui.screens.edit",  # the edit form's, when it opens
    "crmtui.ui.widgets.console",  # the console's, when it opens
    "crmtui.services.search",  # the find's, on the first search
    "textual.widgets._text_area",  # Textual's text area, when a form or the console needs it
)
# pydantic and what it brings: only checking an edit's values (crmtui.model.validation) needs it.
VALIDATION_LIBRARY = ("pydantic", "pydantic_core", "annotated_types")
# The vendors the file names but the user did not open: nothing of theirs, not even the spec.
OTHER_VENDORS = ("sharpspring", "leadsquared", "influencersoft")

SCRIPT = """\
import asyncio, json, sys
from crmtui.cli.main import build_parser
from crmtui.ui.launch import build_app

args = build_parser(commands=False).parse_args(sys.argv[1:])
app, cleanup = build_app(args)

async def first_frame() -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(400):  # until the first rows are on screen
            main = app.main_screen
            if main is not None and main.records.current is not None:
                break
            await pilot.pause(0.05)
        else:
            raise SystemExit(f"no rows: {app.screen_stack}")
        print(json.dumps(sorted(sys.modules)))
        app.exit()

asyncio.run(first_frame())
cleanup()
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sandboxes on loopback: a real profile file naming every vendor, default CMDataManager."""
    with sandbox_serve(tmp_path_factory.mktemp("served"), records=30) as server:
        server.profiles.chmod(0o600)
        yield server


def loaded_at_first_frame(tmp_path: Path, *args: str) -> set[str]:
    """The modules loaded once the app for `args` has drawn its first rows."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**_base_env(), **env, "CRMTUI_DATA_DIR": str(tmp_path / "crm")},
    )
    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-500:]
    names: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return set(names)


def real_profile(served: Server, tmp_path: Path, **settings: str) -> set[str]:
    """The modules at the first rows of `crmtui -p sandbox-cmdatamanager`, a profile of a file
    that names every vendor; `settings` are added to that profile's table."""
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "profiles.toml"
    text = served.profiles.read_text(encoding="utf-8")
    extra = "".join(f"{key} = {value}\n" for key, value in settings.items())
    text = text.replace(
        "[profiles.sandbox-cmdatamanager]\n", f"[profiles.sandbox-cmdatamanager]\n{extra}"
    )
    config.write_text(text, encoding="utf-8")
    config.chmod(0o600)
    return loaded_at_first_frame(tmp_path, "--config", str(config), "-p", "sandbox-cmdatamanager")


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}


def _under(loaded: set[str], tops: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in loaded for top in tops if name == top or name.startswith(top + ".")
    )


def test_first_frame_of_a_real_profile_skips_heavy_modules(served: Server, tmp_path: Path) -> None:
    loaded = real_profile(served, tmp_path)
    assert "textual.app" in loaded  # the app did start
    assert "crmtui.ui.screens.main" in loaded  # on the profile's main screen
    assert "crmtui.backends.cmdatamanager.profile" in loaded  # the chosen vendor's model
    assert _under(loaded, ABSENT) == []
    assert sorted(set(VALIDATION_LIBRARY) & loaded) == []


def test_other_vendors_of_the_file_stay_unloaded(served: Server, tmp_path: Path) -> None:
    loaded = real_profile(served, tmp_path)
    assert "crmtui.backends.cmdatamanager.backend" in loaded
    others = tuple(f"crmtui.backends.{vendor}" for vendor in OTHER_VENDORS)
    assert _under(loaded, others) == []


def test_sqlite_only_with_a_mirror(served: Server, tmp_path: Path) -> None:
    assert "sqlite3" not in real_profile(served, tmp_path / "plain")
    assert "sqlite3" in real_profile(served, tmp_path / "mirrored", mirror="true")


def test_demo_builds_the_opened_vendors_sandbox_only(tmp_path: Path) -> None:
    loaded = loaded_at_first_frame(tmp_path, "--demo")
    assert "crmtui.sandbox.cmdatamanager.app" in loaded  # the demo's default profile
    others = tuple(f"crmtui.sandbox.{vendor}" for vendor in OTHER_VENDORS)
    assert _under(loaded, others) == []
    # nor their backends (their specs name their sandboxes), nor the installed packages'
    # metadata, for the vendors these add: read when the profiles are first listed
    backends = tuple(f"crmtui.backends.{vendor}.backend" for vendor in OTHER_VENDORS)
    assert _under(loaded, backends) == []
    assert "importlib.metadata" not in loaded
    assert "uvicorn" not in loaded  # in process: no server
    assert sorted(set(VALIDATION_LIBRARY) & loaded) == []


def test_headless_imports_skip_httpx_cli() -> None:
    code = "import sys, crmtui, httpx; print('click' in sys.modules, 'pygments' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
