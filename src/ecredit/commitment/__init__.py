"""Credit commitments (C3): standard-format public promises, kept or breached."""
