"""The extra views a session's vendor offers (watch, jobs, capture, upsert, sent), by capability."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from crmtui.backends.capabilities import Upserts, views_of
from crmtui.backends.spec import View as Extra
from crmtui.model import Capability, FieldType, Filter, Record

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

View = tuple[str, Callable[[], Any], str]


def _email_of(record: Record | None, screen: MainScreen) -> str:
    """The record's email address, from the field typed as one."""
    if record is None:
        return ""
    for spec in screen.fields:
        if spec.type is FieldType.EMAIL and record.values.get(spec.name):
            return str(record.values[spec.name])
    return ""


def views(screen: MainScreen) -> list[View]:
    """The views this session's backend supports, as (name, action, help) for the palette."""
    offered = views_of(screen.session.backend)
    found: list[View] = []
    entity = screen.entity
    if entity is not None and entity.can(Capability.WATCH):
        found.append((f"Watch {entity.label} for changes", screen.action_watch, "live (w)"))
        found.extend(_watch_kinds(screen))
    if Extra.JOBS in offered:
        found.append(("Async jobs", lambda: push(screen, jobs_screen(screen)), "queued requests"))
    if Extra.CAPTURE in offered:
        found.append(
            (
                "Capture an opportunity",
                lambda: push(screen, capture_screen(screen)),
                "from the lead under the cursor",
            )
        )
    backend = screen.session.backend
    if Extra.UPSERT in offered and isinstance(backend, Upserts):
        form = backend.upsert_form()
        found.append(
            (
                f"Add or update a {form.entity}",
                lambda: push(screen, upsert_screen(screen)),
                f"upsert by {form.key} (n)",
            )
        )
    if Extra.SENT in offered:
        found.append(
            ("Sent history", lambda: push(screen, sent_screen(screen)), "what crmtui sent")
        )
    return found


def _watch_kinds(screen: MainScreen) -> list[View]:
    """A watch per value of the entity's first searchable choice field (e.g. an event's kind:
    email opened, page visited, form filled out)."""
    entity = screen.entity
    if entity is None:
        return []
    for spec in screen.fields:
        if spec.name in entity.search_fields and spec.choices:
            return [
                (
                    f"Watch {entity.label}: {choice.label}",
                    partial(push_watch, screen, Filter(spec.name, choice.value)),
                    f"live, {spec.label.lower()} {choice.value}",
                )
                for choice in spec.choices
            ]
    return []


def push_watch(screen: MainScreen, only: Filter) -> None:
    """The Watch view of the current entity, narrowed to one value."""
    from crmtui.ui.screens.watch import WatchScreen

    if screen.entity is not None:
        screen.app.push_screen(WatchScreen(screen.session, screen.entity, filters=(only,)))


def push(screen: MainScreen, view: Screen[Any]) -> None:
    """Show `view` over the main screen."""
    screen.app.push_screen(view)


def watch_screen(screen: MainScreen) -> Screen[Any] | None:
    """The live Watch view of the current entity, when the vendor can watch it."""
    from crmtui.ui.screens.watch import WatchScreen

    entity = screen.entity
    if entity is None or not entity.can(Capability.WATCH):
        return None
    # The list's search narrows the watch too (leads by email address, events by kind).
    return WatchScreen(screen.session, entity, filters=screen.records.list_query.filters)


def jobs_screen(screen: MainScreen) -> Screen[Any]:
    """The async jobs of this profile."""
    from crmtui.ui.screens.jobs import JobsScreen

    return JobsScreen(screen.session)


def capture_screen(screen: MainScreen) -> Screen[Any]:
    """Capture an opportunity for the lead under the cursor."""
    from crmtui.ui.screens.capture import CaptureScreen

    return CaptureScreen(screen.session, _email_of(screen.target, screen))


def upsert_screen(screen: MainScreen) -> Screen[Any]:
    """The vendor's add-or-update form (for some vendors the only way to write)."""
    from crmtui.ui.screens.upsert import UpsertScreen

    return UpsertScreen(screen.session)


def sent_screen(screen: MainScreen) -> Screen[Any]:
    """The local history of what was sent (vendors that cannot be read back)."""
    from crmtui.ui.screens.sent import SentScreen

    return SentScreen(screen.session)


def new_record_screen(screen: MainScreen) -> Screen[Any] | None:
    """The vendor's upsert form where it replaces the generic create form (same entity)."""
    entity = screen.entity
    backend = screen.session.backend
    if entity and isinstance(backend, Upserts) and backend.upsert_form().entity == entity.name:
        return upsert_screen(screen)
    return None
