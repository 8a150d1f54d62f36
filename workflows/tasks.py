"""Celery entry points for the periodic jobs: thin, the work is in services/periodic.py."""

from celery import shared_task

from .services import periodic, sealing


@shared_task(name="workflows.tasks.run_periodic", ignore_result=True)
def run_periodic() -> dict[str, int]:
    return periodic.run_all()


@shared_task(name="workflows.tasks.seal_version", ignore_result=True, acks_late=True)
def seal_version(version_id: int) -> bool:
    """After the second signature committed: the sealed PDF/A and the signed e-mail."""
    return sealing.version_seal(version_id) is not None
