"""Pages of the accounts app: login and its security steps (auth), people management (people), own API tokens
(tokens). ``lockout_response`` stays importable from here because settings.AXES_LOCKOUT_CALLABLE names it."""

from xinbao.accounts.views.auth import lockout_response

__all__ = ["lockout_response"]
