"""The default e-mail backend for the embedded setup: files, and links on the console."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.message import EmailMessage

LINK_RE = re.compile(r"https?://\S+")


class FileAndConsoleBackend(FileBackend):
    """Writes each message to ``var/mail/`` and prints its links, so a person running
    ``make run`` can verify an address without a mail server."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        for message in email_messages:
            body = message.body if isinstance(message.body, str) else ""
            links = LINK_RE.findall(body)
            recipients = ", ".join(message.to)
            print(f"[mail] to {recipients}: {message.subject}", file=sys.stdout)
            for link in links:
                print(f"[mail]   {link}", file=sys.stdout)
            sys.stdout.flush()
        return sent
