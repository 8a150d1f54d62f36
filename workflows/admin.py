"""Admin for administrators: organisations, people and their roles.

Agreements, versions and the trail are shown read-only here: they change only
through the services, which keep the rules and write the trail.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Process, Task

from project.accounts import send_password_link

from .models import (
    Agreement,
    AgreementProcess,
    AuditEvent,
    IdentityEvent,
    Organisation,
    Person,
    PersonIdentity,
    RoleAssignment,
    RoundTask,
    Version,
)
from .services import identity
from .services.actors import login_for
from .services.oidc import number_hmac
from .templatetags.samverkan import isodatetime


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


class PersonIdentityForm(forms.ModelForm):
    """An administrator binds a signatory by their personal identity number: only its
    keyed HMAC is stored (services/oidc.py), the number itself never."""

    number = forms.CharField(
        label=gettext_lazy("Personnummer"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Sparas inte: bara en nyckelad HMAC av numret, som jämförs med det "
            "e-legitimationen uppger när personen undertecknar."
        ),
    )

    class Meta:
        model = PersonIdentity
        fields = ["person", "issuer", "subject"]

    def clean(self):
        data = super().clean()
        number = "".join(ch for ch in data.get("number", "") if ch.isdigit())
        if number and not settings.IDENTITY_NUMBER_KEY:
            raise forms.ValidationError(_("IDENTITY_NUMBER_KEY är inte satt i installationen."))
        if number and len(number) not in (10, 12):
            self.add_error("number", _("Skriv personnumret med 10 eller 12 siffror."))
        if not number and not data.get("subject"):
            raise forms.ValidationError(_("Ange personnummer eller identifierare hos utfärdaren."))
        self.instance.number_hmac = number_hmac(number) if number else ""
        return data


@admin.register(PersonIdentity)
class PersonIdentityAdmin(admin.ModelAdmin):
    form = PersonIdentityForm
    list_display = ["person", "issuer", "bound_by", "created_at"]
    search_fields = ["person__name", "person__email"]
    autocomplete_fields = ["person"]

    @admin.display(description=gettext_lazy("bunden med"))
    def bound_by(self, binding: PersonIdentity) -> str:
        return _("personnummer (HMAC)") if binding.number_hmac else binding.subject

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a binding is recorded in the identity trail, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: PersonIdentity, form, change: bool) -> None:
        """Through the service, so that the identity trail records who bound it."""
        identifier = f"pnr-hmac:{obj.number_hmac}" if obj.number_hmac else f"sub:{obj.subject}"
        saved = identity.bind(obj.person, obj.issuer, identifier, bound_by=request.user.pk)
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdentityEvent)
class IdentityEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "person", "issuer", "bound_by", "hash"]


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


# viewflow's own admin is in English: administrators get the rounds and their tasks in
# Swedish instead, read-only (the services change them, never a form).
admin.site.unregister(Process)
admin.site.unregister(Task)

TASK_STATUS = {
    "NEW": gettext_lazy("Ny"),
    "ASSIGNED": gettext_lazy("Tilldelad"),
    "STARTED": gettext_lazy("Påbörjad"),
    "DONE": gettext_lazy("Klar"),
    "CANCELED": gettext_lazy("Avbruten"),
    "ERROR": gettext_lazy("Fel"),
}


def _status(obj) -> str:
    return str(TASK_STATUS.get(obj.status, obj.status))


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(TASK_STATUS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(AgreementProcess)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["pk", "started", "subject", "round_status", "ended"]
    list_filter = [StatusFilter]

    @admin.display(description=gettext_lazy("Startad"), ordering="created")
    def started(self, process) -> str:
        return isodatetime(process.created)

    @admin.display(description=gettext_lazy("Gäller"))
    def subject(self, process) -> str:
        return str(process.artifact or process.brief or "")

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def round_status(self, process) -> str:
        return _status(process)

    @admin.display(description=gettext_lazy("Avslutad"), ordering="finished")
    def ended(self, process) -> str:
        return isodatetime(process.finished)


@admin.register(RoundTask)
class RoundTaskAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created_on", "task", "round", "task_status", "person", "ended"]
    list_filter = [StatusFilter]
    list_select_related = ["process", "owner"]

    @admin.display(description=gettext_lazy("Skapad"), ordering="created")
    def created_on(self, task) -> str:
        return isodatetime(task.created)

    @admin.display(description=gettext_lazy("Uppgift"))
    def task(self, task) -> str:
        return str(getattr(task.flow_task, "task_title", "") or task.flow_task.name)

    @admin.display(description=gettext_lazy("Omgång"))
    def round(self, task) -> str:
        return str(task.process.brief or task.process_id)

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def task_status(self, task) -> str:
        return _status(task)

    @admin.display(description=gettext_lazy("Ansvarig"))
    def person(self, task) -> str:
        return task.owner.get_username() if task.owner else ""

    @admin.display(description=gettext_lazy("Klar"), ordering="finished")
    def ended(self, task) -> str:
        return isodatetime(task.finished)
