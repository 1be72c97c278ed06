from django.contrib import admin

from xinbao.emergencies.models import Deadline, DeadlineRule, Incident


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("office", "grade", "phone_minutes", "written_minutes", "cap_minutes", "follow_up_times")
    list_filter = ("grade",)


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "grade", "occurred_at", "status")
    list_filter = ("grade", "status", "category")
    readonly_fields = ("registered_by",)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("incident", "kind", "due_at", "state", "alerted_at", "escalated_at")
    list_filter = ("state", "kind")
