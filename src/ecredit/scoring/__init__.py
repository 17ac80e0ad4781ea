"""Credit evaluation (C4): an explainable indicator model turns a file into a score and grade."""
