"""Consumer-protection fund and advance compensation (先行赔付): a double-entry ledger."""
