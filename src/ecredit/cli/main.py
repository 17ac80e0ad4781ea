"""The `ecredit` command: serve, worker, db, org, user, apikey, demo, param, ledger, records,
fund, lake, detect, evaluate, warnings."""

from __future__ import annotations

import typer

from ecredit.cli import db, demo, detect, evaluate, exchange, fund, lake, ledger, org, param, serve
from ecredit.cli import warning as warning_cli

app = typer.Typer(
    help="ecredit — 电子商务信用监管平台 / e-commerce credit supervision", no_args_is_help=True
)
app.add_typer(db.app, name="db")
app.add_typer(org.org_app, name="org")
app.add_typer(org.user_app, name="user")
app.add_typer(org.apikey_app, name="apikey")
app.add_typer(demo.app, name="demo")
app.add_typer(param.app, name="param")
app.add_typer(exchange.app, name="records")
app.add_typer(ledger.app, name="ledger")
app.add_typer(fund.app, name="fund")
app.add_typer(lake.app, name="lake")
app.add_typer(detect.app, name="detect")
app.command()(serve.serve)
app.command()(serve.worker)
app.command()(evaluate.evaluate)
app.command()(warning_cli.warnings)
