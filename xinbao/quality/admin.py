from django.contrib import admin

from xinbao.quality.models import ReferenceDocument, SecrecyClearance, SecrecyKeyword, WordingRule


@admin.register(SecrecyKeyword)
class SecrecyKeywordAdmin(admin.ModelAdmin):
    list_display = ["word", "note", "is_active"]
    search_fields = ["word"]


@admin.register(WordingRule)
class WordingRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "wrong", "correct", "note", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["wrong", "correct"]


@admin.register(ReferenceDocument)
class ReferenceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "created_at"]
    search_fields = ["title", "source"]


@admin.register(SecrecyClearance)
class SecrecyClearanceAdmin(admin.ModelAdmin):
    list_display = ["report", "confirmed_by", "created_at"]
    readonly_fields = ["report", "text_hash", "keywords", "reason", "confirmed_by"]
