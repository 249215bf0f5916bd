"""Unit tests, one file per generator module."""
