"""Receiving-office pages (inbox, review actions, combine, forward, external adoption)."""

urlpatterns: list = []
