"""Credit records (C2): the subject's file of facts, never edited in place."""
