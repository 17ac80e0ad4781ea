"""Merchant credit-risk early warning (C11): detector alerts, complaint spikes and record
changes combined into a risk level with its reasons."""
