"""Logistics credit (C9): shipments, tracking, evaluations, responsibility trace."""
