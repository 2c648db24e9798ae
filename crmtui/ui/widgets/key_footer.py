"""The footer: Textual's, except that a key that does not fit is left out whole, never cut."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """The screen's keys left of the palette key; at narrow widths the less used keys go first
    (? lists them all), then keys from the right, so no key is cut in half by the palette."""

    DROP_FIRST: ClassVar[tuple[str, ...]] = (
        "jump",
        "columns",
        "toggle_system_names",
        "sort",
        "new",
    )
    """Actions whose keys leave the footer first when it is too narrow for every key."""

    _pending = False
    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Rebuild once after the next refresh, however many times the bindings changed before.

        Textual's footer queues a rebuild per change: a screen whose widgets change several
        bindings-reactives as it opens rebuilt its footer (a dozen keys, styled anew) ten times.
        """
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        """Rebuild the keys if what they show changed, then fit them."""
        self._pending = False
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        self.fit()

    def compose(self) -> ComposeResult:
        """Textual's keys, each built in the footer's style.

        A key starts compact and is then bound to the footer's setting: as it mounted, each key
        restyled itself twice (on, then off), a third of the cost of building the footer.
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # the palette key is not bound to the footer's setting: it stays compact
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def _keys_shown(self) -> tuple[Any, ...]:
        """Everything `compose` reads from the screen's bindings, to tell whether it changed."""
        if not self._bindings_ready or not self.is_attached:
            return (self._bindings_ready,)
        keys = tuple(
            (b.key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show
        )
        return (True, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, keys)

    def on_resize(self) -> None:
        """A new width: fit the keys again."""
        self.fit()

    def fit(self) -> None:
        """Show as many keys as fit beside the palette key."""
        keys: list[FooterKey] = []
        room = self.size.width
        for key in self.query(FooterKey):
            if key.has_class("-command-palette"):
                room -= _width(key)
            else:
                key.display = True
                keys.append(key)
        if room <= 0:
            return
        widths = {id(k): _width(k) for k in keys}
        used = sum(widths.values())
        order = sorted(
            (k for k in keys if k.action in self.DROP_FIRST),
            key=lambda k: self.DROP_FIRST.index(k.action),
        )
        order += [k for k in reversed(keys) if k.action not in self.DROP_FIRST]
        for key in order:
            if used <= room:
                break
            key.display = False
            used -= widths[id(key)]


def _width(key: FooterKey) -> int:
    """The cells a key takes: its text, padding, border and margin."""
    styles = key.styles
    return key.render().cell_len + styles.gutter.width + styles.margin.width
