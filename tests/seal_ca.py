"""A test CA and the installation's seal certificate, made fresh for the tests that
seal a PDF (``seal_ca`` fixture): the PKCS#12 file SEAL_PKCS12_FILE names, its
password, and the root a validator trusts."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "test-sigill-lösen"


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Höörs kommun"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(subject, issuer, key, signing_key, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture
def seal_ca(tmp_path: Path, settings) -> SimpleNamespace:
    """A root CA, a seal certificate it issued, and the settings that name it."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate(_name("Test-CA för Samverkan"), _name("Test-CA för Samverkan"), root_key,
                        root_key, ca=True)  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(_name("Samverkan sigill"), root.subject, key, root_key, ca=False)
    p12 = tmp_path / "sigill.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sigill",
            key,
            cert,
            [root],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    settings.SEAL_PKCS12_FILE = str(p12)
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    return SimpleNamespace(
        root_der=root.public_bytes(serialization.Encoding.DER), file=p12, certificate=cert
    )
