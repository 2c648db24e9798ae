"""The influencersoft emulator: its ASGI app, schema and seed, from the public record."""
