"""The footer: the screen's keys on one line, drawn as text; a key that does not fit is left out.

Textual's footer is a container holding a widget per key: eleven widgets to compose, style and
lay out on the main screen, rebuilt on every change of focus. They were close to half of the
widgets of the main screen and a third of the work of its first frame. This footer draws the
same line itself and only redraws it when the keys change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget


@dataclass(frozen=True)
class Key:
    """One key as shown: what to press, how it reads, what it does."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells taken: " k " then "description "."""
        return Text(self.display).cell_len + 2 + Text(self.description).cell_len + 1


class KeyFooter(Widget):
    """The screen's keys left of the palette key; at narrow widths the less used keys go first
    (? lists them all), then keys from the right, so no key is cut in half by the palette."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--divider",
        "key-footer--hover",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--divider { color: $foreground 20%; }
        & > .key-footer--hover { background: $block-hover-background; }
    }
    """

    DROP_FIRST: ClassVar[tuple[str, ...]] = (
        "jump",
        "columns",
        "toggle_system_names",
        "sort",
        "new",
    )
    """Actions whose keys leave the footer first when it is too narrow for every key."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[list[Key], Key | None] | None = None
        self._spans: list[tuple[int, int, Key]] = []  # (start, end, key) as last drawn
        self._hover: Key | None = None

    def on_mount(self) -> None:
        """Follow the screen's bindings (focus moves, keys enabled or not)."""
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Any) -> None:
        """The keys may have changed: redraw only if they did."""
        if screen is self.screen and self.is_attached:
            keys = self._read_keys()
            if keys != self._keys:
                self._keys = keys
                self.refresh()

    def _read_keys(self) -> tuple[list[Key], Key | None]:
        """The keys the screen shows (the first binding of each action), and the palette key."""
        app, shown = self.app, {}
        bindings = self.screen.active_bindings
        palette = None
        for _, binding, enabled, tooltip in bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = Key(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip or binding.description,
                )
        found = bindings.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if found is not None:
            _, binding, enabled, tooltip = found
            palette = Key(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                binding.tooltip or binding.description,
            )
            shown.pop(binding.action, None)
        return list(shown.values()), palette

    def fit(self, keys: list[Key], room: int) -> list[Key]:
        """As many keys as fit in `room` cells: DROP_FIRST's actions leave first, in its order,
        then keys from the right."""
        used = sum(key.width for key in keys)
        gone: set[Key] = set()
        order = sorted(
            (k for k in keys if k.action in self.DROP_FIRST),
            key=lambda k: self.DROP_FIRST.index(k.action),
        )
        order += [k for k in reversed(keys) if k.action not in self.DROP_FIRST]
        for key in order:
            if used <= room:
                break
            gone.add(key)
            used -= key.width
        return [k for k in keys if k not in gone]

    def render(self) -> Text:
        """Keys from the left, the palette key on the right behind its divider."""
        if self._keys is None:
            self._keys = self._read_keys()
        keys, palette = self._keys
        styles = (  # read once a line, not once a key
            self.get_component_rich_style("key-footer--key", partial=True),
            self.get_component_rich_style("key-footer--description", partial=True),
            self.get_component_rich_style("key-footer--hover", partial=True),
        )
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        tail = Text(no_wrap=True, end="")
        if palette is not None:
            tail.append("▏", self.get_component_rich_style("key-footer--divider"))
            self._add(tail, palette, styles, compact=True)
            tail.append(" ")
        room = width - tail.cell_len
        for key in self.fit(keys, room) if room > 0 else []:
            start = line.cell_len
            self._add(line, key, styles)
            self._spans.append((start, line.cell_len, key))
        if palette is not None and room >= 0:
            line.append(" " * (room - line.cell_len))
            self._spans.append((line.cell_len + 1, width, palette))
            line.append_text(tail)
        return line

    def _add(
        self, line: Text, key: Key, styles: tuple[Style, Style, Style], compact: bool = False
    ) -> None:
        """`key` drawn at the end of `line` (" k description " or, compact, "k description")
        in `styles` (key, description, hovered)."""
        key_style, text_style, hover = styles
        extra = Style(dim=True) if not key.enabled else Style()
        if key == self._hover:
            extra += hover
        pad = "" if compact else " "
        line.append(f"{pad}{key.display}{pad}", key_style + extra)
        line.append(f" {key.description}" if compact else f"{key.description} ", text_style + extra)

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The key under the pointer is highlighted, its description as a tooltip."""
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

    def on_leave(self) -> None:
        """No key is under the pointer."""
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click presses the key (a disabled one rings the bell)."""
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


class ScreenFooter(KeyFooter):
    """A screen's own keys in the order its BINDINGS declare them (most important first), its way
    out (the action escape runs there) last; when narrow, the way out is the last key to go."""

    DROP_FIRST: ClassVar[tuple[str, ...]] = ()

    def _declared(self) -> tuple[list[str], str | None]:
        """The actions of the screen's bindings in their order, and the one escape runs."""
        bindings = [b for b in self.screen.BINDINGS if isinstance(b, Binding)]
        leave = next((b.action for b in bindings if "escape" in b.key.split(",")), None)
        return [b.action for b in bindings], leave

    def _read_keys(self) -> tuple[list[Key], Key | None]:
        """In the screen's order whatever the keymap (Textual moves a rebound key to the end, and
        keeps a key a focused widget also binds in that widget's place); other keys after the
        screen's, the way out last."""
        keys, palette = super()._read_keys()
        order, leave = self._declared()

        def rank(key: Key) -> tuple[bool, int]:
            place = order.index(key.action) if key.action in order else len(order)
            return key.action == leave, place

        keys.sort(key=rank)
        return keys, palette

    def fit(self, keys: list[Key], room: int) -> list[Key]:
        """As `KeyFooter.fit`, but the way out stays while it fits at all."""
        _, leave = self._declared()
        kept = [k for k in keys if k.action == leave]
        left = room - sum(k.width for k in kept)
        if not kept or left < 0:
            return super().fit(keys, room)
        shown = set(super().fit([k for k in keys if k.action != leave], left))
        return [k for k in keys if k in shown or k in kept]
