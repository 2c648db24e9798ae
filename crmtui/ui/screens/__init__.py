"""Screens pushed over the main screen: edit form, dialogs, help."""
