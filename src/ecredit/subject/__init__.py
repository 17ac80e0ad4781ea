"""The real-name registry (C1): subjects, shops, verification, trusted websites, search."""
