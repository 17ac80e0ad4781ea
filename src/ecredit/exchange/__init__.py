"""双公示 exchange: licence and penalty files in, and back out, in the national shapes."""
