#!/usr/bin/env python3
"""A local mail catcher for the demo: an SMTP server that keeps every mail it
receives (nothing is relayed) and a web page that lists and shows them.

    python scripts/mailcatcher.py [--smtp-port 2525] [--web-port 8025] [--dir var/mail]

Both listen on 127.0.0.1 only. Mails are kept as .eml files in --dir, so they
survive restarts; delete the files (or use the page's "Delete all") to start
over. `scripts/helpdesk run` starts it and points Odoo's outgoing mail at it.
"""

import argparse
import email
import email.policy
import html
import os
import threading
import time
import uuid
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Mail catcher</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left; }}
tr:hover {{ background: #f4f4f4; }}
iframe {{ width: 100%; height: 70vh; border: 1px solid #ccc; }}
pre {{ white-space: pre-wrap; }}
.muted {{ color: #777; }}
</style></head><body>{body}</body></html>"""


def decoded(value):
    try:
        return str(make_header(decode_header(value or "")))
    except (ValueError, LookupError):
        return value or ""


class Store:
    """The mails, one .eml file each, named by arrival time (newest first)."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def add(self, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        header = (
            f"X-Catcher-Mail-From: {envelope.mail_from}\r\n"
            f"X-Catcher-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        path = os.path.join(self.directory, name)
        with open(path + ".part", "wb") as fh:
            fh.write(header + envelope.original_content)
        os.replace(path + ".part", path)
        return name

    def names(self):
        return sorted(
            (n for n in os.listdir(self.directory) if n.endswith(".eml")),
            reverse=True,
        )

    def read(self, name):
        if os.path.basename(name) != name or not name.endswith(".eml"):
            return None
        path = os.path.join(self.directory, name)
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as fh:
            return email.message_from_binary_file(fh, policy=email.policy.default)

    def clear(self):
        for name in self.names():
            os.remove(os.path.join(self.directory, name))


class SmtpHandler:
    def __init__(self, store):
        self.store = store

    async def handle_DATA(self, server, session, envelope):
        self.store.add(envelope)
        return "250 Message accepted for delivery"


class WebHandler(BaseHTTPRequestHandler):
    store = None  # set by main()

    def log_message(self, *args):
        pass

    def _send(self, body, status=200, content_type="text/html; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        name = parse_qs(url.query).get("id", [""])[0]
        if url.path == "/":
            return self._send(self._list_page())
        if url.path == "/mail":
            msg = self.store.read(name)
            if msg is None:
                return self._send("Not found", 404, "text/plain")
            return self._send(self._mail_page(name, msg))
        if url.path == "/body":
            msg = self.store.read(name)
            if msg is None:
                return self._send("Not found", 404, "text/plain")
            part = msg.get_body(("html", "plain"))
            content = part.get_content() if part else ""
            if part is not None and part.get_content_type() == "text/plain":
                content = f"<pre>{html.escape(content)}</pre>"
            return self._send(content)
        if url.path == "/raw":
            msg = self.store.read(name)
            if msg is None:
                return self._send("Not found", 404, "text/plain")
            return self._send(msg.as_bytes(), content_type="text/plain")
        return self._send("Not found", 404, "text/plain")

    def do_POST(self):
        if urlparse(self.path).path == "/clear":
            self.store.clear()
            self.send_response(303)
            self.send_header("Location", "/")
            self.end_headers()
            return None
        return self._send("Not found", 404, "text/plain")

    def _list_page(self):
        rows = []
        for name in self.store.names():
            msg = self.store.read(name)
            if msg is None:
                continue
            rows.append(
                (
                    "<tr><td class='muted'>{date}</td><td>{to}</td><td>"
                    "<a href='/mail?id={id}'>{subject}</a></td><td>{frm}</td></tr>"
                ).format(
                    date=html.escape(msg.get("Date", "")),
                    to=html.escape(msg.get("X-Catcher-Rcpt-To", "")),
                    id=html.escape(name),
                    subject=html.escape(decoded(msg.get("Subject")) or "(no subject)"),
                    frm=html.escape(decoded(msg.get("From"))),
                )
            )
        body = (
            f"<h1>Mail catcher</h1><p class='muted'>{len(rows)} mails, newest "
            "first. Nothing here was sent to anybody. "
            "<form method='post' action='/clear' style='display:inline'>"
            "<button>Delete all</button></form></p>"
            "<table><tr><th>Date</th><th>To</th><th>Subject</th><th>From</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        return PAGE.format(body=body)

    def _mail_page(self, name, msg):
        headers = "".join(
            f"<tr><th>{key}</th><td>{html.escape(decoded(msg.get(key)))}</td></tr>"
            for key in ("Date", "From", "To", "Cc", "Reply-To", "Subject")
            if msg.get(key)
        )
        attachments = ", ".join(
            html.escape(part.get_filename() or "") for part in msg.iter_attachments()
        )
        body = (
            "<p><a href='/'>&larr; all mails</a> · "
            f"<a href='/raw?id={html.escape(name)}'>raw</a></p>"
            f"<table>{headers}"
            f"<tr><th>Delivered to</th><td>"
            f"{html.escape(msg.get('X-Catcher-Rcpt-To', ''))}</td></tr>"
            + (
                f"<tr><th>Attachments</th><td>{attachments}</td></tr>"
                if attachments
                else ""
            )
            + "</table>"
            f"<iframe sandbox src='/body?id={html.escape(name)}'></iframe>"
        )
        return PAGE.format(body=body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smtp-port",
        type=int,
        default=int(os.environ.get("HELPDESK_MAIL_SMTP_PORT", "2525")),
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=int(os.environ.get("HELPDESK_MAIL_WEB_PORT", "8025")),
    )
    parser.add_argument("--dir", default=os.path.join("var", "mail"))
    args = parser.parse_args()

    store = Store(args.dir)
    controller = Controller(
        SmtpHandler(store), hostname="127.0.0.1", port=args.smtp_port
    )
    controller.start()
    web = ThreadingHTTPServer(
        ("127.0.0.1", args.web_port), type("Handler", (WebHandler,), {"store": store})
    )
    print(
        f"mail catcher: SMTP on 127.0.0.1:{args.smtp_port}, "
        f"mails on http://127.0.0.1:{args.web_port}/ (kept in {args.dir})",
        flush=True,
    )
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        web.shutdown()
        controller.stop()


if __name__ == "__main__":
    main()
