"""The installation's seal on a PDF: a PAdES signature with its own certificate.

An incremental update with an invisible signature, so the PDF/A as rendered stays
byte for byte at the start of the file and a reader shows the seal in its
signature panel. The certificate is a PKCS#12 file named by ``SEAL_PKCS12_FILE``
with its password in ``SEAL_PKCS12_PASSWORD`` (both from the environment); without
them the PDF/A is kept unsealed and the trail says so. pyHanko is imported here only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIELD = "Sigill"


@dataclass(frozen=True)
class Sealed:
    pdf: bytes
    sealed_by: str  # the certificate's subject; "" when not sealed


def seal_configured() -> bool:
    return bool(settings.SEAL_PKCS12_FILE)


def _signer():
    from pyhanko.sign import signers

    password = settings.SEAL_PKCS12_PASSWORD
    signer = signers.SimpleSigner.load_pkcs12(
        settings.SEAL_PKCS12_FILE, passphrase=password.encode() if password else None
    )
    if signer is None:  # pyHanko logs why and returns None
        raise ImproperlyConfigured(
            f"SEAL_PKCS12_FILE ({settings.SEAL_PKCS12_FILE}) kan inte läsas med "
            "SEAL_PKCS12_PASSWORD / cannot be read with that password."
        )
    return signer


def pdf_seal(pdf: bytes, *, reason: str) -> Sealed:
    """``pdf`` with the installation's seal, or as it was when none is configured."""
    if not seal_configured():
        return Sealed(pdf, "")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=settings.SITE_URL,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return Sealed(out.getvalue(), signer.signing_cert.subject.human_friendly)
