"""Widgets of the main screen and the forms."""
