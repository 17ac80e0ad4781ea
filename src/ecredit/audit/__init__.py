"""Automatic change records, the explicit business timeline, and personal-data access logs."""
