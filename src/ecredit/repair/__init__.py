"""Objections and credit repair (C7): cases with working-day deadlines and escalation."""
