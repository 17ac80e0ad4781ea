"""Principals, scopes and policies: who may do what."""
