"""The left pane: the entities the backend offers."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crmtui.model import EntitySpec
from crmtui.ui.messages import EntityChosen
from crmtui.ui.text import cell

if TYPE_CHECKING:
    from crmtui.services.views import View


class EntityList(OptionList):
    """One option per entity; choosing one (enter or click) posts EntityChosen."""

    DEFAULT_CSS = """
    EntityList { width: 18; border: none; padding: 0; }
    """

    def set_entities(self, entities: list[EntitySpec], current: str | None = None) -> None:
        """Show `entities`, highlighting `current`."""
        self.clear_options()
        self.add_options(
            Option(cell(spec.label + (" *" if spec.custom else "")), id=spec.name)
            for spec in entities
        )
        self.mark(current)

    def set_views(self, views: Sequence[View]) -> None:
        """Saved views after the entities, one option each (id "view:NAME")."""
        for index in reversed(range(self.option_count)):
            option = self.get_option_at_index(index)
            if option.id is not None and option.id.startswith("view:"):
                self.remove_option_at_index(index)
        self.add_options(Option(cell("★ " + view.name), id=f"view:{view.name}") for view in views)

    def mark(self, name: str | None) -> None:
        """Highlight the entity named `name`."""
        if name is None:
            return
        with contextlib.suppress(LookupError):
            self.highlighted = self.get_option_index(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn the selection into an EntityChosen."""
        event.stop()
        if event.option.id is not None:
            self.post_message(EntityChosen(event.option.id))
