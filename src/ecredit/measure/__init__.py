"""Joint rewards and punishments (C6): the measure catalogue, the check, and feedback."""
