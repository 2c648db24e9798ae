"""The one shared HTTP layer: pacing, retries, quotas, request log, redaction.

The names are loaded on first use, so importing a submodule (e.g. redaction, for error
messages) does not bring in httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmtui.http.client import VendorHTTP
    from crmtui.http.log import LogEntry, RequestLog
    from crmtui.http.pacing import BudgetSnapshot, Limits, QuotaTracker, RateLimiter
    from crmtui.http.redact import SECRET_NAMES, Redactor, install_log_filter, is_secret_name
    from crmtui.http.retry import OpKind, RetryBudget, RetryPolicy

_WHERE = {
    "VendorHTTP": "client",
    "LogEntry": "log",
    "RequestLog": "log",
    "BudgetSnapshot": "pacing",
    "Limits": "pacing",
    "QuotaTracker": "pacing",
    "RateLimiter": "pacing",
    "SECRET_NAMES": "redact",
    "Redactor": "redact",
    "install_log_filter": "redact",
    "is_secret_name": "redact",
    "OpKind": "retry",
    "RetryBudget": "retry",
    "RetryPolicy": "retry",
}

__all__ = [
    "SECRET_NAMES",
    "BudgetSnapshot",
    "Limits",
    "LogEntry",
    "OpKind",
    "QuotaTracker",
    "RateLimiter",
    "Redactor",
    "RequestLog",
    "RetryBudget",
    "RetryPolicy",
    "VendorHTTP",
    "install_log_filter",
    "is_secret_name",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{where}"), name)
