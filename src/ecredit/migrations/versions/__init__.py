"""Migration revisions. Each file stands alone: it imports only alembic and sqlalchemy."""
