"""Domain-agnostic building blocks: database, column types, errors, workflow, clock, ids, crypto."""
