"""A mail server for the worker test: slow, and it writes down every message it accepts.

Set in the worker's environment as EMAIL_BACKEND=tests.celery.backends.RecordingBackend
with SAMVERKAN_TEST_MAIL_LOG=/path/to/file. For each message it appends

    start <pid> <monotonic> <subject>     before "sending" (then sleeps)
    sent <pid> <monotonic> <subject>      when the server has "accepted" it

to the file, each line with one O_APPEND write: whole lines, in order, from any
number of processes, and kept when the process is SIGKILLed (the kernel has them).
It never deduplicates: a message sent twice is written twice, so the test sees it.
"""

import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

DELAY_SECONDS = float(os.environ.get("SAMVERKAN_TEST_MAIL_DELAY", "0.2"))


def _append(line: str) -> None:
    fd = os.open(os.environ["SAMVERKAN_TEST_MAIL_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            subject = " ".join(message.subject.split())
            _append(f"start {os.getpid()} {time.monotonic():.6f} {subject}")
            time.sleep(DELAY_SECONDS)
            _append(f"sent {os.getpid()} {time.monotonic():.6f} {subject}")
        return len(email_messages)
