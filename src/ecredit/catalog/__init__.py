"""The credit information catalogue (信用信息目录): record types, severities, publicity, as data."""

from ecredit.catalog.errors import CatalogError, CatalogProblem, UnknownRecordType
from ecredit.catalog.loader import Catalog, load_catalog, parse_catalog
from ecredit.catalog.publicity import (
    PublicityInputError,
    add_months,
    earliest_repair,
    is_public,
    public_window,
)
from ecredit.catalog.schema import (
    PenaltyKind,
    Polarity,
    PublicityRule,
    RecordTypeSpec,
    Severity,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "PenaltyKind",
    "Polarity",
    "PublicityInputError",
    "PublicityRule",
    "RecordTypeSpec",
    "Severity",
    "UnknownRecordType",
    "add_months",
    "earliest_repair",
    "is_public",
    "load_catalog",
    "parse_catalog",
    "public_window",
]
