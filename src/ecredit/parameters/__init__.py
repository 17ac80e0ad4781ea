"""Runtime-tunable values (deadlines, weights, thresholds) with revisions, and the work calendar."""
