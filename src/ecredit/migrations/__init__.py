"""Alembic migrations, shipped inside the package (`script_location = ecredit:migrations`)."""
