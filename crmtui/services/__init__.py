"""What the CLI and the UI share above the backends: sessions, demo, journal, jobs, export."""
