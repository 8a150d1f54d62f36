"""After the second signature: the agreement as the archives keep it, and the e-mail.

The signature's transaction only asks for this after it commits; a worker (in the
same process on the embedded default) renders the PDF/A, seals it, keeps it with its
SHA-256 in its own trail event and sends the signed e-mail with the PDF attached.
The signature never waits for WeasyPrint or the seal. A version is sealed once,
however often this runs; the periodic job seals what a killed worker left.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from project.after_commit import after_commit, run_or_publish

from ..models import AuditEvent, SealedRecord, Version
from .actors import SYSTEM
from .common import agreement_lock
from .transitions import take

logger = logging.getLogger(__name__)


def seal_after_commit(version: Version) -> None:
    """Ask for the seal once the signature's transaction commits. If that fails, or
    the broker is down, the periodic job seals the version later."""
    after_commit(_seal_or_publish, version.pk)


def _seal_or_publish(version_id: int) -> None:
    from ..tasks import seal_version  # tasks imports this module

    run_or_publish(seal_version, version_id, fallback="run_periodic will seal it")


def sealed_name(agreement_id: int, number: int) -> str:
    return f"overenskommelse-{agreement_id}-v{number}-pdfa.pdf"


def version_seal(version_id: int) -> SealedRecord | None:
    """Seal one signed version; None if it already was (or is not signed)."""
    from ..export.bundle import snapshot_read
    from ..export.pdf import pdf_render
    from ..export.seal import pdf_seal

    version = Version.objects.get(pk=version_id)
    # Checked again under the lock; here it spares a second worker the rendering.
    if SealedRecord.objects.filter(version_id=version_id).exists():
        return None
    if version.signatures.count() < 2:
        return None
    with translation.override("sv"):
        pdf = pdf_render(snapshot_read(version.agreement_id, version.number))
        sealed = pdf_seal(pdf, reason=f"Undertecknad version {version.number}")
    with transaction.atomic():
        agreement = agreement_lock(version.agreement_id)
        if SealedRecord.objects.filter(version_id=version_id).exists():
            return None  # another worker won
        record = SealedRecord.objects.create(
            agreement=agreement,
            version=version,
            pdf=sealed.pdf,
            file_name=sealed_name(agreement.pk, version.number),
            sha256=hashlib.sha256(sealed.pdf).hexdigest(),
            sealed_by=sealed.sealed_by,
        )
        take(
            agreement,
            "seal",
            SYSTEM,
            obj=record,
            subject=version,
            version_hash=version.content_hash,
            details={
                "number": version.number,
                "document_name": record.file_name,
                "document_sha256": record.sha256,
                "sealed_by": record.sealed_by,
            },
            notice={"sealed": record},
        )
    return record


def unsealed_versions() -> list[int]:
    """Versions signed in the last SEAL_CATCH_UP_DAYS that have no sealed record."""
    since = timezone.now() - datetime.timedelta(days=settings.SEAL_CATCH_UP_DAYS)
    signed = AuditEvent.objects.filter(
        action="agreement_signed", object_type="version", at__gte=since
    ).values_list("object_id", flat=True)
    ids = {int(pk) for pk in signed}
    done = set(SealedRecord.objects.filter(version_id__in=ids).values_list("version_id", flat=True))
    return sorted(ids - done)


def versions_seal() -> int:
    """The periodic job: seal what a worker killed mid-task left unsealed."""
    sealed = 0
    for version_id in unsealed_versions():
        try:
            sealed += version_seal(version_id) is not None
        except Exception:
            logger.exception("Sealing version %s failed; the next run tries again", version_id)
    return sealed
