"""The session backend: who is signed in, read with one query per request.

Every page and API call needs the person's unit, roles and whether a TOTP device is bound (the security gate asks
on each request). Read one by one these were four queries before the view even started (bench/RESULTS.md,
issue 3); ``person_for_request`` reads them in one.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from xinbao.accounts.selectors import person_for_request


class AccountBackend(ModelBackend):
    def get_user(self, user_id):  # type: ignore[no-untyped-def]
        user = person_for_request(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
