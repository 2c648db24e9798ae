"""The console pane's widgets: the request line in the vendor's shape, its editors, the answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select, Static

from crmtui.services.console import VendorShape
from crmtui.ui.widgets.console_body import BodyView
from crmtui.ui.widgets.console_inputs import ConsoleInput, ConsoleTextArea, ExampleInput


def console_widgets(shape: VendorShape, keys: str) -> ComposeResult:
    """The request line, headers, body editor, the request as sent, status (`keys`), the answer.

    Yielded from `ConsolePane.compose`, so its `with` containers nest as they would there.
    """
    with Horizontal(id="console-line"):
        if shape.kind == "rest":
            options = [(m, m) for m in shape.methods]
            yield Select(options, value="GET", allow_blank=False, compact=True, id="console-method")
            yield ExampleInput(shape.example, hint="/path?query", id="console-target")
        else:
            hint = f"method, e.g. {shape.methods[0]}"
            yield ExampleInput(shape.example_method, hint=hint, id="console-name")
        if len(shape.hosts) > 1:
            hosts = [(h, h) for h in shape.hosts]
            yield Select(hosts, value="default", allow_blank=False, compact=True, id="console-host")
    if shape.kind == "rest":
        with Horizontal(classes="-writing-only"):
            yield Static("headers", classes="console-label")
            yield ConsoleInput(placeholder="Name: value; Other: value", id="console-headers")
    body = ConsoleTextArea(id="console-body", soft_wrap=True, show_line_numbers=False, compact=True)
    body.placeholder = {
        "rest": "JSON body (for POST, PUT, PATCH)",
        "rpc": f"params as JSON, e.g. {shape.example or '{}'}",
        "form": "form fields, one name=value a line",
    }[shape.kind]
    body.add_class("-writing-only")
    yield body
    yield Static(id="console-sent", markup=False, classes="-writing-only")
    yield Static(Text(keys), id="console-meta")
    yield Static(id="console-answer-headers", markup=False)
    yield BodyView(id="console-response")
    yield ConsoleInput(id="console-prompt")
