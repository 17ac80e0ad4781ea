"""Errors that carry their HTTP status and name the field and the rule they broke.

Services raise these; the HTTP edge turns them into JSON bodies, the CLI into messages. A service
never builds an HTTP response itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field, which rule, and a sentence for people."""

    field: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


class AppError(Exception):
    """Base class: a business error with a stable code and an HTTP status."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer must carry besides the body (none for most errors)."""
        return {}

    def as_dict(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": self.message,
            "problems": [p.as_dict() for p in self.problems],
        }


class InvalidInput(AppError):
    """The input breaks a rule of the domain (a bad code, a malformed domain name...)."""

    status_code = 422
    code = "invalid_input"

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__(message, problems=[Problem(field, rule, message)])

    @classmethod
    def many(cls, problems: list[Problem]) -> AppError:
        error = AppError("; ".join(p.message for p in problems), problems=problems)
        error.status_code = cls.status_code
        error.code = cls.code
        return error


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class Conflict(AppError):
    """The request is well-formed but clashes with the current state (a forbidden transition,
    a duplicate code)."""

    status_code = 409
    code = "conflict"


class TooManyAttempts(AppError):
    """Too many wrong answers to a secret (a phone, a code, a password) on a public route: the
    rule's key is locked, and every answer, a right one too, is refused for `retry_after`
    seconds (otherwise the lockout itself would tell a guesser when it had found the secret).
    `limit` wrong answers within `window_minutes` earned the lockout."""

    status_code = 429
    code = "too_many_attempts"

    def __init__(
        self, field: str, rule: str, message: str, *, retry_after: int, limit: int,
        window_minutes: int,
    ) -> None:  # fmt: skip
        super().__init__(message, problems=[Problem(field, rule, message)])
        self.retry_after, self.limit, self.window_minutes = retry_after, limit, window_minutes

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def size_text(size: int) -> str:
    """A byte count as people write limits: 2 GiB, 20 MiB, 512 KiB, 100 bytes."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.4g} {unit}"
    return f"{size} bytes"


class PayloadTooLarge(AppError):
    """A request body past its endpoint's size limit; `limit` is that limit in bytes."""

    status_code = 413
    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        message = (
            f"request body: larger than the {size_text(limit)} limit for this endpoint; "
            "send it in smaller parts"
        )
        super().__init__(message, problems=[Problem("body", "max_size", message)])
        self.limit = limit

    def as_dict(self) -> dict[str, object]:
        return super().as_dict() | {"limit_bytes": self.limit}
