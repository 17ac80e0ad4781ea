"""Subscriptions: signed webhooks of list and record changes to platforms (C12)."""
