"""Admin for administrators: organisations, people and their roles.

Agreements, versions and the trail are shown read-only here: they change only
through the services, which keep the rules and write the trail.
"""

from django.contrib import admin

from .models import (
    Agreement,
    AuditEvent,
    Organisation,
    Person,
    RoleAssignment,
    Version,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "lokalpolisomrade"]
    list_filter = ["kind"]
    search_fields = ["name"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "person"
    extra = 1
    autocomplete_fields = ["organisation", "substitute_for"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "language", "user"]
    search_fields = ["name", "email"]
    inlines = [RoleAssignmentInline]
    autocomplete_fields = ["user"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "role",
        "organisation",
        "title",
        "valid_from",
        "valid_to",
        "substitute_for",
    ]
    list_filter = ["role", "organisation"]
    search_fields = ["person__name", "title"]
    autocomplete_fields = ["person", "organisation", "substitute_for"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "kommun",
        "lokalpolisomrade",
        "kind",
        "state",
        "period_start",
        "period_end",
    ]
    list_filter = ["state", "kind", "kommun", "lokalpolisomrade"]
    list_select_related = ["kommun", "lokalpolisomrade"]
    search_fields = ["title"]


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "number", "author", "created_at", "content_hash"]
    list_select_related = ["agreement", "author"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "seq", "at", "action", "actor", "from_state", "to_state"]
    list_filter = ["action"]
    list_select_related = ["agreement", "actor"]
