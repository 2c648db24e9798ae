"""crmtui: a terminal CRM browser with vendor backends and faithful local sandboxes."""

import sys as _sys

__version__ = "0.1.0"

# httpx imports its command-line client (click, pygments, rich.syntax: ~15% of start-up) when
# click is installed, which uvicorn brings along. crmtui never runs that client: mark it absent
# so httpx takes its own "not installed" branch. Only when httpx has not been imported yet.
if "httpx" not in _sys.modules:
    _sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
