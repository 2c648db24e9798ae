"""Entry point for `python -m crmtui`."""

from crmtui.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
