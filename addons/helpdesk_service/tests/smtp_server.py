"""A real SMTP server on 127.0.0.1 for the delivery tests (aiosmtpd), which can
be stopped (connections refused) and started again on the same port."""

import socket

from aiosmtpd.controller import Controller


class RecordingHandler:
    """Accepts every mail, except for two kinds of recipients: unknown@...
    (550, a permanent failure) and busy@... (451, a transient one)."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 No such user"
        if address.startswith("busy@"):
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class LocalSmtpServer:
    def __init__(self):
        self.handler = RecordingHandler()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._controller = None

    @property
    def envelopes(self):
        return self.handler.envelopes

    def start(self):
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port
        )
        self._controller.start()

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None
