#!/usr/bin/env bash
# Development helper while issue 4's schema settles: rebuild revision 0003 from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f src/ecredit/migrations/versions/0003_*.py
export ECREDIT_DATA_DIR=$(mktemp -d)
.venv/bin/ecredit db upgrade 0002 >/dev/null
.venv/bin/alembic revision --autogenerate --rev-id 0003 -m "evaluation lists measures repair subscriptions" >/dev/null
.venv/bin/ecredit db upgrade >/dev/null
.venv/bin/alembic check
