"""Domain errors raised by services. Each carries a stable code (for the API) and a Chinese message (for people).

Views turn them into form errors or messages, the API into JSON bodies; nothing is changed when one is raised
because every service runs in a transaction.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.field = field


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400


class NotPermitted(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409
