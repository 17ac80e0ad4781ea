"""ecredit: an e-commerce credit (integrity) supervision platform."""

__version__ = "0.1.0"
