"""crmtui: a terminal CRM browser with vendor backends and faithful local sandboxes."""

__version__ = "0.1.0"
