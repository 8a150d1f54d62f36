"""Where medborgarlöften plug into the agreement's machinery (called from
``PromisesConfig.ready``): the link and inbox pages for the two task kinds, the
inbox's list of tasks, the trail's actions and the tasks' headings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import TaskKind

TASK_HEADINGS = {
    TaskKind.PROMISES_KS: _("Besluta och underteckna medborgarlöften"),
    TaskKind.PROMISES_LPO: _("Besluta och underteckna medborgarlöften"),
    TaskKind.PROMISES_ANMALAN: _(
        "Anmäl delegationsbeslutet om medborgarlöften till kommunstyrelsen"
    ),
}


def register() -> None:
    from workflows import plugins, trail_actions, trail_records, vocabulary
    from workflows import selectors as workflow_selectors
    from workflows.views import tasks as workflow_tasks

    from . import demo, selectors
    from .services import periodic, rounds
    from .services.common import PROMISE_KINDS
    from .trail_actions import PROMISE_ACTIONS, PROMISE_DETAILS
    from .views.sets import AnmalanTaskView
    from .views.tasks import PromiseInboxTaskView, PromiseLinkTaskView

    workflow_tasks.register_task_pages(
        PROMISE_KINDS,
        link=PromiseLinkTaskView,
        inbox=PromiseInboxTaskView,
        status_of=selectors.status_of_token,
    )
    workflow_tasks.register_task_pages(
        (TaskKind.PROMISES_ANMALAN,), link=AnmalanTaskView, inbox=AnmalanTaskView
    )
    if selectors.tasks_for_person not in workflow_selectors.TASK_SOURCES:
        workflow_selectors.TASK_SOURCES.append(selectors.tasks_for_person)
    trail_actions.declare(*PROMISE_ACTIONS)
    trail_actions.declare_details(PROMISE_DETAILS)
    plugins.PERIODIC_JOBS["promise_reminders"] = periodic.promise_tasks_remind
    plugins.TASK_LINK_TEMPLATES.add("promises/email/task_link")
    if demo.load not in plugins.DEMO_LOADERS:
        plugins.DEMO_LOADERS.append(demo.load)
    if rounds.rounds_withdraw not in plugins.AGREEMENT_ENDED:
        plugins.AGREEMENT_ENDED.append(rounds.rounds_withdraw)
    if selectors.answers_of not in trail_records.RECORD_SOURCES:
        trail_records.RECORD_SOURCES.append(selectors.answers_of)
    vocabulary.TASK_HEADINGS.update(TASK_HEADINGS)
