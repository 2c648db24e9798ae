"""One vendor, one folder: nothing outside its folder names a vendor; each spec tells the truth.

A vendor may be named in code only inside crmtui/backends/<vendor>/, crmtui/sandbox/<vendor>/, the
registry (which lists the built-in specs) and the sandbox's shared modules (which emulate vendors'
quirks). Everywhere else a vendor is reached through its spec and its capabilities.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crmtui.backends import capabilities, registry
from crmtui.backends.base import Backend
from crmtui.backends.spec import View
from crmtui.model import Capability

ROOT = Path(__file__).resolve().parents[2] / "crmtui"
# The built-in vendors' names, from the registry's list ("crmtui.backends.<name>.spec:SPEC").
BUILTIN = tuple(reference.split(".")[2] for reference in registry.BUILTIN)
ALLOWED = {ROOT / "backends" / "registry.py"}


def allowed(path: Path) -> bool:
    """Whether `path` may name a vendor (its folders, the registry, the sandbox)."""
    rel = path.relative_to(ROOT).parts
    if path in ALLOWED or rel[0] == "sandbox":
        return True
    return len(rel) > 2 and rel[0] == "backends" and rel[1] in BUILTIN


def vendor_mentions(path: Path) -> list[str]:
    """Each import of a vendor module and each vendor name used as a value, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for name in names:
            parts = name.split(".")
            if any(vendor in parts for vendor in BUILTIN):
                found.append(f"{path.name}:{getattr(node, 'lineno', 0)} imports {name}")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value.strip().lower() in BUILTIN
        ):
            found.append(f"{path.name}:{node.lineno} names {node.value!r}")
    return found


def test_no_vendor_is_named_outside_its_folder_the_registry_and_the_sandbox() -> None:
    offenders = [
        mention
        for path in sorted(ROOT.rglob("*.py"))
        if not allowed(path)
        for mention in vendor_mentions(path)
    ]
    assert offenders == []


def test_the_check_sees_a_comparison_and_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""sharpspring in a docstring is fine."""\n'
        "from crmtui.backends.leadsquared.capture import CaptureRequest\n"
        'if vendor == "influencersoft":\n'
        "    pass\n"
    )
    assert [m.split(" ", 1)[1] for m in vendor_mentions(sample)] == [
        "imports crmtui.backends.leadsquared.capture",
        "imports crmtui.backends.leadsquared.capture.CaptureRequest",
        "names 'influencersoft'",
    ]


def test_the_built_in_vendors_are_the_four() -> None:
    assert sorted(BUILTIN) == ["cmdatamanager", "influencersoft", "leadsquared", "sharpspring"]


def test_every_vendor_folder_has_a_spec_and_the_registry_lists_it() -> None:
    folders = sorted(p.name for p in (ROOT / "backends").iterdir() if (p / "__init__.py").exists())
    assert folders == sorted(BUILTIN)
    assert set(BUILTIN) <= set(registry.names())
    for name in folders:
        assert (ROOT / "backends" / name / "spec.py").exists()


@pytest.mark.parametrize("vendor", BUILTIN)
def test_each_spec_matches_its_backend(vendor: str) -> None:
    spec = registry.spec(vendor)
    cls = registry.backend_class(vendor)
    assert issubclass(cls, Backend)
    assert (cls.vendor, cls.label, cls.capabilities) == (spec.name, spec.label, spec.capabilities)
    assert cls.raw_hosts == spec.console.hosts
    limits = cls.http_limits(
        registry.profile_class(vendor).model_construct(name="x", vendor=vendor, base_url="")
    )
    assert (limits.window, limits.quota) == (spec.limits.window, spec.limits.quota)
    # The views a spec declares are exactly those its backend's capabilities back.
    offered = {
        View.UPSERT: issubclass(cls, capabilities.Upserts),
        View.SENT: issubclass(cls, capabilities.RecordsSent),
        View.CAPTURE: issubclass(cls, capabilities.Captures),
        View.JOBS: issubclass(cls, capabilities.TracksJobs),
        View.WATCH: Capability.WATCH in cls.capabilities,
    }
    assert spec.views == {view for view, has in offered.items() if has}
    assert registry.profile_class(spec.name).model_fields["vendor"].annotation is not str
    if spec.emulator:
        assert spec.emulator.startswith(f"crmtui.sandbox.{vendor}.")
    assert spec.doc == f"docs/vendors/{vendor}.md"
    assert (ROOT.parent / spec.doc).exists()


def test_importing_the_specs_loads_no_backend_http_client_or_emulator() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from crmtui.backends import registry\n"
        "registry.specs()\n"
        "heavy = [m for m, v in sys.modules.items() if v is not None"
        " and m.startswith(('httpx', 'starlette', 'textual'))"
        " or m.endswith(('.backend', '.app'))]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_code_cites_only_sources_the_repository_explains() -> None:
    # Docstrings and comments cite docs/vendors pages or the numbered vendor pages listed in
    # docs/vendors/README.md, never a file the repository lacks.
    import re

    explained = (ROOT.parent / "docs" / "vendors" / "README.md").read_text(encoding="utf-8")
    missing_files = []
    unexplained = []
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"VENDORS(-RESEARCH)?\.md|/work/shared|\bshared/seeds\b|\bseeds/", text):
            missing_files.append(str(path.relative_to(ROOT)))
        for seed in set(re.findall(r"\bseed (\d{3})\b", text)):
            if f"| seed {seed} |" not in explained:
                unexplained.append(f"{path.relative_to(ROOT)}: seed {seed}")
        for page in set(re.findall(r"docs/vendors/[\w.-]+\.md", text)):
            if not (ROOT.parent / page).exists():
                missing_files.append(f"{path.relative_to(ROOT)}: {page}")
    assert missing_files == [] and unexplained == []
