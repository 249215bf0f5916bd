"""Tests on public specs nobody here wrote."""
