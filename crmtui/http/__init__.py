"""The one shared HTTP layer: pacing, retries, quotas, request log, redaction."""
