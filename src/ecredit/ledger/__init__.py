"""The tamper-evident ledger of credit-record entries: append, checkpoint, prove, verify."""
