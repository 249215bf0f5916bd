"""Golden-file tests: reference specs and the exact package specfirst generates for each."""
