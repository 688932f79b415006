"""Migrations between two versions of a diagram: aligned, normalized, ordered, per dialect."""
