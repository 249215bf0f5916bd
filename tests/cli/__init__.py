"""Tests of the ``specfirst`` command line, failure cases first."""
