"""Writes of the duty app (house habit 1): rosters, settings, import, duty log and handovers."""

from xinbao.duty.services.log import (
    handover_acknowledge,
    handover_create,
    log_entry_from_call,
    log_entry_record,
)
from xinbao.duty.services.roster import (
    duty_settings_update,
    roster_entry_create,
    roster_entry_delete,
    roster_entry_update,
    roster_week_copy,
)
from xinbao.duty.services.roster_import import RosterImportInvalid, roster_import, roster_template_xlsx

__all__ = [
    "RosterImportInvalid",
    "duty_settings_update",
    "handover_acknowledge",
    "handover_create",
    "log_entry_from_call",
    "log_entry_record",
    "roster_entry_create",
    "roster_entry_delete",
    "roster_entry_update",
    "roster_import",
    "roster_template_xlsx",
    "roster_week_copy",
]
