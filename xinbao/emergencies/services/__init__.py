"""Writes to incidents: registration and reports, deadlines (timers), 漏报/瞒报, rules."""

from xinbao.emergencies.services.deadlines import deadline_alert, deadline_escalate, deadlines_sweep
from xinbao.emergencies.services.incidents import (
    Casualties,
    PhoneCall,
    follow_up_label,
    incident_register,
    incident_report_submit,
    phone_report_register,
)
from xinbao.emergencies.services.issues import reporting_issue_answer, reporting_issue_record
from xinbao.emergencies.services.rules import deadline_rule_set

__all__ = [
    "Casualties",
    "PhoneCall",
    "deadline_alert",
    "deadline_escalate",
    "deadline_rule_set",
    "deadlines_sweep",
    "follow_up_label",
    "incident_register",
    "incident_report_submit",
    "phone_report_register",
    "reporting_issue_answer",
    "reporting_issue_record",
]
