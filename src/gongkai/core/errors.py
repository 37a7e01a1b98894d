"""Domain errors carry a Chinese message and, where it applies, the field it concerns.

Views and the API turn them into form errors or ``{"error": {"code", "message", "field"}}`` bodies;
nothing that reaches a user is a stack trace.
"""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one field of one row handed to a bulk service (``row`` as the caller numbers it)."""

    row: int
    field: str
    message: str


class RowsRejected(DomainError):
    """A bulk service found problems in some rows and wrote nothing. ``problems`` lists every one, in row
    order and, within a row, in the order of the service's fields."""

    code = "rows_rejected"

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        rows = len({p.row for p in problems})
        super().__init__(f"有 {rows} 行数据有误（共 {len(problems)} 处），未写入任何数据", field="rows")
