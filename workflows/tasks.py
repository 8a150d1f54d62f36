"""Celery entry points for the periodic jobs: thin, the work is in services/periodic.py."""

from celery import shared_task

from .services import periodic


@shared_task(name="workflows.tasks.run_periodic", ignore_result=True)
def run_periodic() -> dict[str, int]:
    return periodic.run_all()
