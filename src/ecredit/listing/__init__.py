"""Red, black and watch lists (C5): inclusion by criteria or decision, publicity, expiry."""
