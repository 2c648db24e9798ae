"""The one shared HTTP layer: pacing, retries, quotas, request log, redaction."""

from crmtui.http.client import VendorHTTP
from crmtui.http.log import LogEntry, RequestLog
from crmtui.http.pacing import BudgetSnapshot, Limits, QuotaTracker, RateLimiter
from crmtui.http.redact import SECRET_NAMES, Redactor, install_log_filter, is_secret_name
from crmtui.http.retry import OpKind, RetryBudget, RetryPolicy

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
