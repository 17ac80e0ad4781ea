"""`python -m ecredit …` is the `ecredit` command."""

from ecredit.cli.main import app

app()
