"""Figures: the deterministic engine over the tables, and reading a question into it."""
