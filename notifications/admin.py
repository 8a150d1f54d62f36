"""The outbox in admin: read-only rows, a list of failed ones, "retry" and a test message.

Rows are evidence of what was sent; nobody edits or deletes them here. The only
writes are the services' own: ``email_retry`` and ``check_email_enqueue``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import FailedOutboxEmail, Language, OutboxEmail, Status
from .services import check_email_enqueue, email_retry


class CheckEmailForm(forms.Form):
    to_email = forms.EmailField(label=_("Mottagarens e-postadress"))
    language = forms.ChoiceField(label=_("Språk"), choices=Language.choices)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "to_email",
        "template",
        "status",
        "delivery_status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "delivery_status", "language"]
    search_fields = ["to_email", "key", "provider_message_id", "object_id"]
    actions = ["retry"]
    # The outbox grows forever; a COUNT(*) over it on every page is what makes admin slow.
    show_full_result_count = False
    list_per_page = 50
    change_list_template = "admin/notifications/outboxemail/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: OutboxEmail | None = None) -> list:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxEmail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxEmail | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        """Retrying and test messages need the change permission, though no field is editable."""
        return request.user.has_perm("notifications.change_outboxemail")

    @admin.action(description=_("Försök skicka igen"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        count = email_retry(emails=queryset)
        text = ngettext(
            "%(count)d misslyckat meddelande står åter i kön.",
            "%(count)d misslyckade meddelanden står åter i kön.",
            count,
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        check = path(
            "testmeddelande/",
            self.admin_site.admin_view(self.check_email_view),
            name="notifications_check_email",
        )
        return [check, *super().get_urls()]

    def check_email_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_retry_permission(request):
            raise PermissionDenied
        form = CheckEmailForm(
            request.POST or None,
            initial={"to_email": request.user.email, "language": Language.SV},
        )
        if request.method == "POST" and form.is_valid():
            return self._check_email_send(request, form)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Skicka testmeddelande"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/notifications/outboxemail/check_email.html", context
        )

    def _check_email_send(self, request: HttpRequest, form: CheckEmailForm) -> HttpResponse:
        user = request.user
        email = check_email_enqueue(
            to_email=form.cleaned_data["to_email"],
            to_name="",
            language=form.cleaned_data["language"],
            requested_by=user.get_full_name() or user.get_username(),
        )
        self.message_user(
            request, _("Testmeddelandet till %(to)s ligger i kön.") % {"to": email.to_email}
        )
        return HttpResponseRedirect(reverse("admin:notifications_outboxemail_changelist"))


@admin.register(FailedOutboxEmail)
class FailedOutboxEmailAdmin(OutboxEmailAdmin):
    """Only the rows the relay gave up on: the list an administrator acts on."""

    list_display = ["created_at", "to_email", "template", "attempts", "last_error"]
    list_filter = ["language"]
    change_list_template = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxEmail]:
        return super().get_queryset(request).filter(status=Status.FAILED)

    def get_urls(self) -> list[URLPattern]:
        return admin.ModelAdmin.get_urls(self)  # the test message lives on the full list
