"""Limits on guessing at public routes that check a secret: counted in the database, refused
with 429 and Retry-After, shared by every such route."""
