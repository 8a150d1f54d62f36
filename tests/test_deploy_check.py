"""The documented production variables pass `manage.py check --deploy` with no
warning, and pages carry the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
# The production variables the README's table documents (HTTPS on: SECURE_COOKIES
# is on by default without DEBUG).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "samverkan.kommun.example",
}


def check_deploy(**more: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECURE_COOKIES")
    }
    env.update(PRODUCTION, **more)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    done = check_deploy()
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    done = check_deploy(SECURE_COOKIES="0")
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


def test_every_page_has_a_strict_content_security_policy(db):
    response = Client().get("/konto/logga-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
