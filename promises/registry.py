"""Where medborgarlöften plug into the agreement's machinery (called from
``PromisesConfig.ready``): the link and inbox pages for the two task kinds, the
inbox's list of tasks, and the words the pages use for the trail and the tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import TaskKind

ACTION_LABELS = {
    "promises_created": _("Medborgarlöften påbörjades"),
    "promises_changed": _("Medborgarlöftena ändrades"),
    "promises_approved": _("Medborgarlöftena godkändes av en skribent"),
    "promises_proposed": _(
        "Medborgarlöftena blev gemensamt förslag och gick till beslut och underskrift"
    ),
    "promises_signed": _("Medborgarlöftena beslutades och undertecknades av %(role)s"),
    "promises_returned": _("Medborgarlöftena skickades tillbaka av %(role)s"),
    "promises_published": _("Medborgarlöftena är beslutade, undertecknade och publicerade"),
    "promises_task_reminder": _("Påminnelse med ny länk: %(task)s väntar på %(waiting_for)s"),
    "promise_followed_up": _("Ett medborgarlöfte följdes upp"),
    "promises_reported": _("Årsrapporten om medborgarlöftena skrevs"),
}

TASK_HEADINGS = {
    TaskKind.PROMISES_KS: _("Besluta och underteckna medborgarlöften"),
    TaskKind.PROMISES_LPO: _("Besluta och underteckna medborgarlöften"),
}


def register() -> None:
    from workflows import selectors as workflow_selectors
    from workflows.views import display
    from workflows.views import tasks as workflow_tasks

    from . import selectors
    from .services.common import PROMISE_KINDS
    from .views.tasks import PromiseInboxTaskView, PromiseLinkTaskView

    workflow_tasks.register_task_pages(
        PROMISE_KINDS, link=PromiseLinkTaskView, inbox=PromiseInboxTaskView
    )
    if selectors.tasks_for_person not in workflow_selectors.TASK_SOURCES:
        workflow_selectors.TASK_SOURCES.append(selectors.tasks_for_person)
    display.ACTION_LABELS.update(ACTION_LABELS)
    display.TASK_HEADINGS.update(TASK_HEADINGS)
