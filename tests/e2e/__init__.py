"""End-to-end tests: inline spec → generated package → app → HTTP."""
