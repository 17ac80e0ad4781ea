"""The `ecredit` command line (Typer): one module per command group."""
