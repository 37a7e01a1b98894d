"""Domain errors carry a Chinese message and, where it applies, the field it concerns.

Views and the API turn them into form errors or ``{"error": {"code", "message", "field"}}`` bodies;
nothing that reaches a user is a stack trace.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationFailed(DomainError):
    """Bad input: one or more fields are wrong. ``errors`` maps field → Chinese messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]] | str, *, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "__all__": [errors]}
        self.errors = errors
        first_field, messages = next(iter(errors.items()))
        label = None if first_field == "__all__" else first_field
        super().__init__("；".join(messages), field=label)


class NotAllowed(DomainError):
    """The acting user may not do this to this object."""

    code = "forbidden"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class NotFound(DomainError):
    code = "not_found"
