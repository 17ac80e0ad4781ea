"""What a portal page says when the throttle refuses (429): the rule's numbers for the message,
which names the count, the window and when to try again."""

from __future__ import annotations

import math

from ecredit.kit.errors import TooManyAttempts


def throttle_values(exc: TooManyAttempts) -> dict[str, int]:
    """The values of the `throttle.*` messages: {limit} wrong answers within {window} minutes,
    try again in {minutes} minutes (rounded up: never sooner than Retry-After)."""
    return {
        "limit": exc.limit,
        "window": exc.window_minutes,
        "minutes": math.ceil(exc.retry_after / 60),
    }


def is_by_address(exc: TooManyAttempts) -> bool:
    """Locked for the client's address (many targets) rather than for the one target."""
    return bool(exc.problems) and exc.problems[0].field == "client_address"
