"""Renderings of diagrams for people and models."""
