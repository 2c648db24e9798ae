"""Vendor values holding markup, escape sequences or control characters display literally."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from crmtui.model import EntitySpec, Record
from tests.fakes import FakeBackend, lead

from .conftest import AppFactory
from .helpers import main_screen, record_list, screen_text, settle

HOSTILE = {
    "first_name": "[/oops]",
    "last_name": "[red]x [@click=app.quit]y[/]",
    "email": "\x1b]0;pwned\x07a@b.c",
    "phone": "\x1b]52;c;ZXZpbA==\x07",
    "notes": "line1\r\nline2\x00\x9b31m",
}


async def test_markup_and_control_characters_are_shown_literally(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.data["lead"][0] = Record("lead", "1", {**lead(1).values, **HOSTILE})
    entities = await backend.entities()
    backend.entities = _with_label(entities, "[b]Leads[/oops]")  # type: ignore[method-assign]
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert app.is_running  # no MarkupError, no click action
        assert "[/oops]" in text
        assert "[red]x [@click=app.quit]y[/]" in text
        assert "[b]Leads[/oops]" in text  # the vendor's entity label too
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "␛]0;pwned␇a@b.c" in text  # visible stand-ins instead of a live sequence
        await pilot.click(record_list(app).__class__, offset=(20, 1))  # clicking the value
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        await pilot.press("escape")
        await settle(pilot)
        assert main_screen(app).records.current is not None


def _with_label(
    entities: list[EntitySpec], label: str
) -> Callable[[], Coroutine[Any, Any, list[EntitySpec]]]:
    from dataclasses import replace

    async def entities_() -> list[EntitySpec]:
        return [replace(e, label=label) if e.name == "lead" else e for e in entities]

    return entities_
