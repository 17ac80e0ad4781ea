"""Complaints and reports of dishonesty (C8): routing, working-day deadlines, escalation."""
