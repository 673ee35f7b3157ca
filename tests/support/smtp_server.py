"""A local SMTP server on 127.0.0.1 for tests (aiosmtpd): it keeps every message, and may demand a login."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class LocalSmtp:
    """Receive mail on a free port of 127.0.0.1; with `login`, only that (user, password) may send."""

    def __init__(self, login: tuple[str, str] | None = None):
        self.login = login
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        options = {"authenticator": self._authenticate, "auth_required": True, "auth_require_tls": False} if login else {}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == self.login
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself

    def __enter__(self) -> LocalSmtp:
        self.controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
