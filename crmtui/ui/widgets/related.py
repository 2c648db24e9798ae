"""Under a record's detail: the records tied to it (a lead's recent activity, its lists).

Loaded from `Backend.related` once the cursor has rested on a record for a moment, so scrolling
through a list costs no requests; vendors without such reads show nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.timer import Timer
from textual.widgets import Static

from crmtui.errors import CrmError, describe
from crmtui.model import Record, format_value
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.backends.base import Backend, Related

DELAY = 0.6  # seconds the cursor rests on a record before its related records load
SHOWN = 8  # records shown per group


class RelatedPanel(Static):
    """A few lines per group: a heading, then each record's time and name (or one line of names).

    While the next record's are on their way it keeps its height with a dim placeholder (class
    `-loading`), so stepping through a list does not make the detail above it jump twice.
    """

    DEFAULT_CSS = """
    RelatedPanel { height: auto; max-height: 14; padding: 0 1; background: $panel; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.backend: Backend | None = None
        self._key: tuple[str, str] | None = None
        self._timer: Timer | None = None

    def follow(self, record: Record | None) -> None:
        """Show what is tied to `record` once the cursor rests on it (None clears)."""
        key = None if record is None or not record.id else (record.entity, record.id)
        if key == self._key:
            return
        self._key = key
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if key is None or self.backend is None:
            self.display = False
            return
        if self.display:  # it keeps its place (no jump of the detail above it) until it loads
            lines = max(self.size.height, 1)
            self.update(Text("related records…" + "\n" * (lines - 1), style="dim"), layout=False)
            self.add_class("-loading")
        self._timer = self.set_timer(DELAY, lambda: self._load(key))

    @work(group="related", exclusive=True, exit_on_error=False, description="related records")
    async def _load(self, key: tuple[str, str]) -> None:
        backend = self.backend
        if backend is None:
            return
        try:
            groups = await backend.related(*key)
            titles = {g.entity: await backend.entity(g.entity) for g in groups if g.records}
        except CrmError as exc:
            if key == self._key:
                self.remove_class("-loading")
                info = describe(exc)
                text = backend.http.redactor.text(f"{info.title}: {info.message}")
                self.update(Text(f"Related records unavailable: {plain(text)}", style="dim"))
                self.display = True
            return
        if key != self._key:
            return
        self.remove_class("-loading")
        shown = any(g.records for g in groups)
        if shown or self.display:  # hidden and staying so: no new layout (every pane repainted)
            self.update(render(groups, titles))
        if self.display != shown:
            self.display = shown


def render(groups: list[Related], titles: dict[str, Any]) -> Text:
    """The groups as text: timed records one a line, others as one line of names."""
    out = Text()
    for group in groups:
        if not group.records:
            continue
        if out:
            out.append("\n")
        spec = titles.get(group.entity)
        names = [plain(r.title(spec)) for r in group.records[:SHOWN]]
        if group.timed:
            out.append(plain(group.label), style="bold")
            for record in group.records[:SHOWN]:
                when = record.values.get("createTimestamp") or record.values.get("updateTimestamp")
                out.append(f"\n  {plain(format_value(when))}  ", style="dim")
                out.append(plain(record.title(spec)))
        else:
            out.append(f"{plain(group.label)}: ", style="bold")
            out.append(", ".join(names))
        if len(group.records) > SHOWN:
            out.append(f"  (+{len(group.records) - SHOWN} more)", style="dim")
    return out
