"""The headless core never imports Textual: only crmtui.ui may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import crmtui

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(crmtui.__path__, "crmtui.")
    if not m.name.startswith("crmtui.ui") and m.name != "crmtui.__main__"
)


def test_core_modules_exist() -> None:
    assert "crmtui.backends.cmdatamanager.backend" in CORE
    assert "crmtui.cli.main" in CORE
    assert "crmtui.sandbox.store" in CORE


def test_core_does_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
        "print('clean')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def test_running_a_headless_command_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from crmtui.cli.main import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
