"""Admin for administrators: organisations, people and their roles.

Agreements, versions and the trail are shown read-only here: they change only
through the services, which keep the rules and write the trail.
"""

from django.contrib import admin
from django.utils.translation import gettext as _

from project.accounts import send_password_link

from .models import (
    Agreement,
    AuditEvent,
    Organisation,
    Person,
    RoleAssignment,
    Version,
)
from .services.actors import login_for


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
    """One form for a person: name, e-mail address (their login), language, and their
    roles at organisations with periods and substitutes. A new person gets a login
    without a password and an e-mail with a link to choose one."""

    list_display = ["name", "email", "language", "has_login"]
    search_fields = ["name", "email"]
    fields = ["name", "email", "language"]
    inlines = [RoleAssignmentInline]
    actions = ["send_password_links"]

    @admin.display(boolean=True, description=_("Har valt lösenord"))
    def has_login(self, person: Person) -> bool:
        return person.user is not None and person.user.has_usable_password()

    def save_model(self, request, person: Person, form, change: bool) -> None:
        person.email = person.email.strip().lower()
        super().save_model(request, person, form, change)
        created = login_for(person)
        if created:
            send_password_link(person.user, request)
            self.message_user(
                request,
                _("%(email)s har fått ett e-brev med en länk för att välja lösenord.")
                % {"email": person.email},
            )

    @admin.action(description=_("Skicka länk för att välja lösenord"))
    def send_password_links(self, request, queryset) -> None:
        people = list(queryset)
        for person in people:
            login_for(person)
            send_password_link(person.user, request)
        self.message_user(request, _("Länkar skickade till %(n)d personer.") % {"n": len(people)})


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
