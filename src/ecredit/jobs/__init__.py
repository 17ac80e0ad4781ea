"""Background jobs: enqueued in the caller's transaction, run by `ecredit worker` or the server."""
