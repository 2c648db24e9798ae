"""Tests of the TUI shell, main screen and record list."""
