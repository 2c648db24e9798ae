"""A vendor shipped as its own package, found through the `crmtui.vendors` entry-point group.

The toy package (tests/toy_vendor/crmtui_toy) is installed the way pip would leave it: the package
plus a `*.dist-info` folder whose entry_points.txt names its spec, on the import path. Its records
are then listed by the real command line (a subprocess) and shown by the TUI (Pilot).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtui.backends import registry
from crmtui.errors import ConfigError

TOY = Path(__file__).resolve().parent.parent / "toy_vendor" / "crmtui_toy"
ENTRY_POINTS = "[crmtui.vendors]\ntoy = crmtui_toy.spec:SPEC\n"
PROFILES = """\
default_profile = "shop"

[profiles.shop]
vendor = "toy"
base_url = "https://toy.invalid"
mode = "read-only"
widgets = 4
"""


def install_toy(site: Path) -> Path:
    """Put the toy package and its dist-info (with the entry point) into `site`."""
    shutil.copytree(TOY, site / "crmtui_toy")
    info = site / "crmtui_toy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: crmtui-toy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder holding the installed toy vendor (not on the path yet)."""
    return install_toy(tmp_path / "site")


@pytest.fixture
def toy_on_path(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The toy vendor importable in this process, the registry re-read; undone afterwards."""
    monkeypatch.syspath_prepend(str(site))
    registry.refresh()
    yield site
    monkeypatch.undo()
    for name in [m for m in sys.modules if m == "crmtui_toy" or m.startswith("crmtui_toy.")]:
        del sys.modules[name]
    registry.refresh()


def crmtui(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`crmtui ARGS` in a fresh interpreter with `site` on its import path."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "crmtui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_cli_lists_the_toy_vendors_records(site: Path, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(PROFILES)
    result = crmtui(site, "--config", str(profiles), "list", "widget", "--format", "json")
    assert result.returncode == 0, result.stderr
    names = [row["name"] for row in json.loads(result.stdout)]
    assert names == ["Toy widget 1", "Toy widget 2", "Toy widget 3", "Toy widget 4"]
    listed = crmtui(site, "vendors", "--format", "json")
    assert {"name": "toy", "label": "Toy CRM", "views": [], "sandbox": False, "doc": ""} in (
        json.loads(listed.stdout)
    )


def test_without_the_package_the_vendor_is_unknown_and_the_valid_ones_are_named(
    tmp_path: Path,
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(PROFILES)
    result = crmtui(tmp_path, "--config", str(profiles), "list", "widget")
    assert result.returncode != 0
    assert "unknown vendor 'toy'" in result.stderr
    assert "sharpspring" in result.stderr  # the valid vendors are listed


def test_a_broken_vendor_package_does_not_stop_the_others(site: Path, tmp_path: Path) -> None:
    (site / "crmtui_toy" / "spec.py").write_text("raise RuntimeError('half installed')\n")
    profiles = tmp_path / "profiles.toml"
    other = PROFILES.replace('vendor = "toy"', 'vendor = "influencersoft"')
    profiles.write_text(other.replace("widgets = 4", 'login = "x"\nrps_key = "k"'))
    result = crmtui(site, "--config", str(profiles), "profiles", "list")
    assert result.returncode == 0, result.stderr
    assert "shop" in result.stdout
    assert "'toy' could not be loaded: RuntimeError: half installed" in result.stderr
    listed = crmtui(site, "vendors")
    assert listed.returncode == 0 and "influencersoft" in listed.stdout
    assert "vendor 'toy' could not be loaded: RuntimeError: half installed" in listed.stderr
    profiles.write_text(PROFILES)  # a profile of the broken vendor says why it is missing
    result = crmtui(site, "--config", str(profiles), "list", "widget")
    assert result.returncode != 0
    assert "vendor 'toy' failed to load (RuntimeError: half installed)" in result.stderr


def test_the_registry_finds_the_entry_point(toy_on_path: Path) -> None:
    assert "toy" in registry.names()
    assert registry.names()[:4] == (
        "cmdatamanager",
        "sharpspring",
        "leadsquared",
        "influencersoft",
    )
    assert registry.spec("toy").label == "Toy CRM"


def test_an_unknown_vendor_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        registry.spec("acme")
    message = caught.value.message
    assert "unknown vendor 'acme'" in message
    for name in ("cmdatamanager", "influencersoft", "leadsquared", "sharpspring"):
        assert name in message


async def test_the_tui_shows_the_toy_vendors_records(toy_on_path: Path) -> None:
    from crmtui.services.session import Session, open_session
    from crmtui.ui.app import make_app

    from .helpers import screen_text, settle

    spec = registry.spec("toy")
    profile = registry.profile_class(spec.name).model_validate(
        {"name": "shop", "vendor": "toy", "base_url": "https://toy.invalid", "widgets": 5}
    )

    async def opener(name: str) -> Session:
        return await open_session(profile)

    app = make_app(opener=opener, profiles=["shop"], theme="textual-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, rounds=6)
        text = screen_text(app)
        assert "Toy widget 1" in text and "Toy widget 5" in text, text
        assert "Widgets" in text
