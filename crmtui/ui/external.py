"""Edit a text in the user's $EDITOR (or $VISUAL), handing the terminal over while it runs."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi; split as a shell would."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(chosen)


def _run(command: list[str], path: Path) -> bool:
    try:
        done = subprocess.run([*command, str(path)], check=False)
    except OSError:
        return False
    return done.returncode == 0


def edit_externally(app: App[object], text: str) -> str | None:
    """`text` as the editor left it; None when the editor failed or could not start."""
    handle, name = tempfile.mkstemp(prefix="crmtui-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        command = editor_command()
        try:
            with app.suspend():
                ok = _run(command, path)
        except SuspendNotSupported:
            if not app.is_headless:
                app.notify("This terminal cannot hand over to an editor.", severity="error")
                return None
            ok = _run(command, path)  # tests: no terminal to hand over
        if not ok:
            app.notify(
                f"The editor ({command[0]}) did not finish; nothing changed.", severity="warning"
            )
            return None
        edited = path.read_text(encoding="utf-8")
        return edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited
    finally:
        path.unlink(missing_ok=True)
