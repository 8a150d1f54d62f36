"""Exporting an agreement's decision trail as a bundle an auditor can check offline.

A bundle is a folder (or a zip of one) with the agreement as a PDF (its text, the
signature page and a certificate), the events as JSON Lines, a manifest with the
chain head and every file's SHA-256, a standalone verifier and a README. See
``bundle.py`` for what goes in and ``workflows/bundle_verify.py`` for the rules.
``sip.py`` wraps the bundle as an archive package (E-ARK SIP) with a METS.xml.
"""

from .bundle import Bundle, ExportError, bundle_write, bundle_zip
from .sip import sip_check, sip_write, sip_zip

__all__ = [
    "Bundle",
    "ExportError",
    "bundle_write",
    "bundle_zip",
    "sip_check",
    "sip_write",
    "sip_zip",
]
