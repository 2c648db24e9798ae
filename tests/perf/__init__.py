"""Performance guards: what start-up imports, figures that must not creep back."""
