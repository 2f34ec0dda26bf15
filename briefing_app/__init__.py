"""Briefing: read, edit and export dated events with their notes and sources."""

__version__ = "0.1.0"
