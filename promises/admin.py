"""Medborgarlöften in the admin, read-only: they change only through the services,
which keep the rules and write the trail."""

from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import Promise, PromiseAnswer, PromiseFollowUp, PromiseReport, PromiseSet


class PromiseInline(admin.TabularInline):
    model = Promise
    fields = ["position", "title", "responsible", "unit"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PromiseSet)
class PromiseSetAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "round", "published_at"]
    list_filter = ["state"]
    list_select_related = ["agreement"]
    inlines = [PromiseInline]


@admin.register(PromiseAnswer)
class PromiseAnswerAdmin(ReadOnlyAdmin):
    list_display = ["promise_set", "round", "role", "answer", "person", "place", "signed_on"]
    list_select_related = ["promise_set__agreement", "person"]


@admin.register(PromiseFollowUp)
class PromiseFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["promise", "status", "reported_on", "author"]
    list_select_related = ["promise", "author"]


@admin.register(PromiseReport)
class PromiseReportAdmin(ReadOnlyAdmin):
    list_display = ["promise_set", "year", "author", "created_at"]
    list_select_related = ["promise_set__agreement", "author"]
