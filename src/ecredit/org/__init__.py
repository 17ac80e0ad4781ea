"""Organisations, their users and API keys."""
