"""specfirst test suite."""
