"""Demo data: `ecredit demo seed` builds a plausible Benxi e-commerce city to explore."""

from ecredit.demo.city import plan_city
from ecredit.demo.credentials import DemoApiKey, DemoCredentials, DemoUser
from ecredit.demo.plan import MINGDA_DOMAIN, MINGDA_NAME, MINGDA_USCC, CityPlan
from ecredit.demo.seed import is_seeded, seed_demo

__all__ = [
    "MINGDA_DOMAIN",
    "MINGDA_NAME",
    "MINGDA_USCC",
    "CityPlan",
    "DemoApiKey",
    "DemoCredentials",
    "DemoUser",
    "is_seeded",
    "plan_city",
    "seed_demo",
]
