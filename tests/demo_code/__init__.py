"""Tests for demo_code, the reference app."""
