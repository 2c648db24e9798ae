"""crmtui: a terminal CRM browser with vendor backends and faithful local sandboxes."""

import sys as _sys

__version__ = "0.1.0"

# httpx imports its command-line client (click, pygments, rich.syntax: ~15% of start-up) when
# click is installed, which uvicorn brings along. crmtui never runs that client: mark it absent
# so httpx takes its own "not installed" branch. Only when httpx has not been imported yet.
if "httpx" not in _sys.modules:
    _sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# pydantic looks for plugins before it builds its first model: an entry-point scan whose module
# imports importlib.metadata (email, zipfile, csv...: ~5-10% of start-up). crmtui's models only
# check its own files and take no plugins: stand in for the loader with one that finds none.
if "pydantic" not in _sys.modules:
    import types as _types

    _no_plugins = _types.ModuleType("pydantic.plugin._loader", "crmtui: no pydantic plugins")
    _no_plugins.get_plugins = lambda: ()  # type: ignore[attr-defined]
    _sys.modules.setdefault("pydantic.plugin._loader", _no_plugins)
