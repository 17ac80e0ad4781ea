"""Alerts (C11): detector findings held with their evidence until a regulator confirms one (it
becomes a credit record) or dismisses it."""
