import base64
import binascii
from datetime import datetime, time, timedelta
from urllib.parse import quote_plus

import pytz
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import format_amount, format_date
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.helpdesk_service.controllers.utils import (
    clean_file_name,
    is_text,
    parse_id,
    parse_number,
)

from ..models.helpdesk_visit import MAX_LABOUR_MINUTES, OPEN_STATES

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 10
MAX_NOTE_CHARS = 5000
MAX_NAME_CHARS = 200
MAX_WORK_QUANTITY = 1000
# a drawn signature is a few KB; base64 text, as the signature pad sends it
MAX_SIGNATURE_CHARS = 1024 * 1024
SIGNATURE_MAGIC_BYTES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
ETA_CHOICES = (10, 15, 20, 30, 45, 60, 90, 120)
HISTORY_LIMIT = 5
CONVERSATION_LIMIT = 20


class FieldWorkspace(http.Controller):
    """The engineers' mobile workspace: their visits of the day and one page
    per visit with big buttons. Every route loads the visit as the engineer
    (record rules) and only among his own visits."""

    # ------------------------------------------------------------ access
    @staticmethod
    def _check_engineer():
        if not request.env.user.has_group("helpdesk_field.group_field_engineer"):
            raise Forbidden()

    def _get_visit(self, visit_id):
        """The engineer's own visit, searched as him; 404 for any other id."""
        self._check_engineer()
        if not parse_id(visit_id):
            raise NotFound()
        visit = request.env["helpdesk.visit"].search(
            [("id", "=", visit_id), ("user_id", "=", request.env.uid)]
        )
        if not visit:
            raise NotFound()
        return visit

    # ------------------------------------------------------------ values
    @staticmethod
    def _day_bounds(day, tz_name):
        """The UTC (naive) datetimes where ``day`` starts and ends in tz."""
        tz = pytz.timezone(tz_name or "UTC")
        start = tz.localize(datetime.combine(day, time.min))
        end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _prepare_home_values(self):
        env = request.env
        Visit = env["helpdesk.visit"]
        uid = env.uid
        today = fields.Date.context_today(Visit)
        start, end = self._day_bounds(today, env.user.tz)
        mine = [("user_id", "=", uid)]
        return {
            "today_label": format_date(env, today, date_format="EEEE d MMMM y"),
            "visits_today": Visit.search(
                mine
                + [
                    ("date_planned", "<", end),
                    ("date_planned", ">=", start),
                    ("state", "!=", "cancelled"),
                ]
            ),
            "visits_late": Visit.search(
                mine + [("date_planned", "<", start), ("state", "in", OPEN_STATES)]
            ),
            "visits_next": Visit.search(
                mine
                + [
                    ("date_planned", ">=", end),
                    ("date_planned", "<", end + timedelta(days=7)),
                    ("state", "in", OPEN_STATES),
                ],
                limit=10,
            ),
        }

    @staticmethod
    def _maps_url(site):
        """A map search for the site: its coordinates once located, else its
        address formatted by Odoo for the site's country (see
        helpdesk.site._get_map_query)."""
        query = site._get_map_query()
        if not query:
            return False
        return f"https://www.google.com/maps/search/?api=1&query={quote_plus(query)}"

    def _get_products(self, visit, kind):
        """[(product, price label)] the engineer can add: sellable products
        flagged as helpdesk works, services (works) or goods (parts), priced
        like billing prices the ticket's work lines."""
        domain = [
            ("sale_ok", "=", True),
            ("is_helpdesk_work", "=", True),
            ("company_id", "in", [False, visit.company_id.id]),
            ("type", "=", "service") if kind == "work" else ("type", "=", "consu"),
        ]
        products = request.env["product.product"].search(domain, order="name")
        if not products:
            return []
        Work = request.env["helpdesk.ticket.work"]
        drafts = Work.browse()
        for product in products:
            drafts |= Work.new(
                {
                    "ticket_id": visit.ticket_id.id,
                    "product_id": product.id,
                    "quantity": 1.0,
                }
            )
        return [
            (
                draft.product_id,
                format_amount(request.env, draft.price_unit, draft.currency_id)
                if draft.currency_id
                else "",
            )
            for draft in drafts
        ]

    def _equipment_history(self, visit):
        """{equipment: its latest other tickets}: the engineer needs the
        history of what he repairs, whichever team handled it. Only the
        reference, subject, date and status are shown."""
        if not visit.equipment_ids:
            return {}
        tickets = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("equipment_ids", "in", visit.equipment_ids.ids),
                    ("id", "!=", visit.ticket_id.id),
                ],
                order="date_received desc",
                limit=HISTORY_LIMIT * len(visit.equipment_ids),
            )
        )
        return {
            item: tickets.filtered(lambda t, i=item: i in t.equipment_ids)[
                :HISTORY_LIMIT
            ]
            for item in visit.equipment_ids.sudo()
        }

    def _prepare_visit_values(self, visit, error=None):
        ticket = visit.ticket_id
        messages = ticket.message_ids.filtered(
            lambda m: m.message_type in ("comment", "email")
        )[:CONVERSATION_LIMIT]
        contacts = (visit.partner_id | visit.site_id.contact_ids).sudo()
        values = {
            "visit": visit,
            "ticket": ticket,
            "error": error,
            "maps_url": self._maps_url(visit.site_id) if visit.site_id else False,
            "contacts": contacts,
            "history": self._equipment_history(visit),
            "messages": messages,
            "eta_choices": ETA_CHOICES,
            "max_photos": MAX_PHOTOS,
        }
        if visit.state == "on_site" and not visit.date_departed:
            values.update(
                works=self._get_products(visit, "work"),
                parts=self._get_products(visit, "part"),
            )
        return values

    def _render_visit(self, visit, error=None, status=200):
        response = request.render(
            "helpdesk_field.field_visit_page",
            self._prepare_visit_values(visit, error=error),
        )
        response.status_code = status
        return response

    def _run(self, visit, action, anchor=""):
        """Run ``action()`` on the visit; back to its page, or the page with the
        error (nothing of the action is kept)."""
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, ValidationError, AccessError) as error:
            return self._render_visit(visit, error=str(error), status=400)
        return request.redirect(f"/field/visit/{visit.id}{anchor}")

    @staticmethod
    def _check_signature(signature):
        """The error message for a signature that is not a base64 PNG or JPEG
        image of a reasonable size (an SVG can carry scripts), else ""."""
        env = request.env
        if isinstance(signature, str) and len(signature) > MAX_SIGNATURE_CHARS:
            return env._("The signature is too large.")
        try:
            data = base64.b64decode(signature, validate=True)
        except (binascii.Error, TypeError, ValueError):
            data = b""
        if not data.startswith(SIGNATURE_MAGIC_BYTES):
            return env._("The signature must be a PNG or JPEG image.")
        return ""

    @staticmethod
    def _to_float(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    # ------------------------------------------------------------ pages
    @http.route("/field", type="http", auth="user", website=True)
    def field_home(self, **kw):
        self._check_engineer()
        return request.render(
            "helpdesk_field.field_home_page", self._prepare_home_values()
        )

    @http.route("/field/visit/<int:visit_id>", type="http", auth="user", website=True)
    def field_visit(self, visit_id, **kw):
        return self._render_visit(self._get_visit(visit_id))

    # ------------------------------------------------------------ actions
    @http.route(
        "/field/visit/<int:visit_id>/on_my_way",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_on_my_way(self, visit_id, eta_minutes=None, **kw):
        visit = self._get_visit(visit_id)
        minutes = None
        if eta_minutes:
            minutes = parse_number(eta_minutes, 1, MAX_LABOUR_MINUTES)
            if minutes is None:
                return self._render_visit(
                    visit,
                    error=request.env._("Give the minutes until you arrive."),
                    status=400,
                )
            minutes = round(minutes)
        return self._run(visit, lambda: visit.action_on_my_way(eta_minutes=minutes))

    @http.route(
        "/field/visit/<int:visit_id>/arrived",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_arrived(self, visit_id, latitude=None, longitude=None, **kw):
        visit = self._get_visit(visit_id)
        # coordinates only come with the engineer's consent (see the form's JS)
        lat, lon = self._to_float(latitude), self._to_float(longitude)
        if lat is None or lon is None or not kw.get("geo_consent"):
            lat = lon = None
        return self._run(
            visit, lambda: visit.action_arrived(latitude=lat, longitude=lon)
        )

    @http.route(
        "/field/visit/<int:visit_id>/work",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_add_work(self, visit_id, product_id=None, quantity=None, **kw):
        visit = self._get_visit(visit_id)
        kind = "part" if kw.get("kind") == "part" else "work"
        products = [p for p, _price in self._get_products(visit, kind)]
        product = next((p for p in products if str(p.id) == str(product_id)), None)
        qty = parse_number(quantity, 0, MAX_WORK_QUANTITY)
        if not product:
            return self._render_visit(
                visit, error=request.env._("Choose a work or a part."), status=400
            )
        if not qty:
            return self._render_visit(
                visit,
                error=request.env._(
                    "Give a quantity above 0 and up to %(max)s.", max=MAX_WORK_QUANTITY
                ),
                status=400,
            )
        return self._run(visit, lambda: visit._add_work(product, qty), anchor="#works")

    @http.route(
        "/field/visit/<int:visit_id>/work/<int:work_id>/remove",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_remove_work(self, visit_id, work_id, **kw):
        visit = self._get_visit(visit_id)
        work = visit.work_ids.filtered(lambda w: w.id == work_id)
        if not work or visit.state != "on_site":
            raise NotFound()
        return self._run(visit, work.unlink, anchor="#works")

    @http.route(
        "/field/visit/<int:visit_id>/photos",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        # the largest form: the photos and 1 MB for the notes and the rest
        max_content_length=lambda _controller: (
            MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024
        ),
    )
    def field_photos(self, visit_id, note=None, **kw):
        visit = self._get_visit(visit_id)
        env = request.env
        note = note or ""
        if not is_text(note):
            return self._render_visit(
                visit,
                error=env._("The notes contain characters that are not allowed."),
                status=400,
            )
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            # refused, not cut: the engineer must know what the report keeps
            return self._render_visit(
                visit,
                error=env._(
                    "The notes are limited to %(count)s characters: nothing was "
                    "saved, shorten them.",
                    count=MAX_NOTE_CHARS,
                ),
                status=400,
            )
        uploads = [
            f for f in request.httprequest.files.getlist("photos") if f and f.filename
        ]
        if len(uploads) > MAX_PHOTOS:
            return self._render_visit(
                visit,
                error=env._("At most %(count)s photos at a time.", count=MAX_PHOTOS),
                status=400,
            )
        files = []
        for upload in uploads:
            data = upload.read(MAX_PHOTO_BYTES + 1)
            filename = clean_file_name(upload.filename)
            if len(data) > MAX_PHOTO_BYTES:
                return self._render_visit(
                    visit,
                    error=env._("%(file)s is larger than 10 MB.", file=filename),
                    status=413,
                )
            mimetype = guess_mimetype(data, default="")
            # pictures only: SVG is a document that can carry scripts
            if not mimetype.startswith("image/") or "svg" in mimetype:
                return self._render_visit(
                    visit,
                    error=env._("%(file)s is not a photo.", file=filename),
                    status=400,
                )
            files.append((filename, data))

        def save():
            if files:
                visit._add_photos(files)
            if note != (visit.note or ""):
                visit.note = note or False

        return self._run(visit, save, anchor="#photos")

    @http.route(
        "/field/visit/<int:visit_id>/sign", type="json", auth="user", methods=["POST"]
    )
    def field_sign(self, visit_id, name=None, signature=None, **kw):
        """Save the signature; any bad input is an ``error`` in the result,
        never an exception (its traceback would reach the browser)."""
        visit = self._get_visit(visit_id)
        env = request.env
        name = name or ""
        if not is_text(name):
            return {"error": env._("The client's name contains invalid characters.")}
        name = name.strip()
        if not name:
            return {"error": env._("The client's name is missing.")}
        if len(name) > MAX_NAME_CHARS:
            return {
                "error": env._(
                    "The client's name is limited to %(count)s characters.",
                    count=MAX_NAME_CHARS,
                )
            }
        if not signature:
            return {"error": env._("The signature is missing.")}
        error = self._check_signature(signature)
        if error:
            return {"error": error}
        try:
            with request.env.cr.savepoint():
                visit._sign(name, signature)
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        # a reload of the page (the same URL with another #anchor would not)
        return {"force_refresh": True}

    @http.route(
        "/field/visit/<int:visit_id>/depart",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_depart(self, visit_id, **kw):
        visit = self._get_visit(visit_id)
        return self._run(visit, visit.action_depart, anchor="#confirm")

    @http.route(
        "/field/visit/<int:visit_id>/resume",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_resume(self, visit_id, **kw):
        visit = self._get_visit(visit_id)
        return self._run(visit, visit.action_resume)

    @http.route(
        "/field/visit/<int:visit_id>/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def field_confirm(self, visit_id, labour_minutes=None, **kw):
        visit = self._get_visit(visit_id)
        minutes = parse_number(labour_minutes, 0, MAX_LABOUR_MINUTES)
        if minutes is None:
            return self._render_visit(
                visit,
                error=request.env._(
                    "Give the labour time in minutes, between 0 and 24 hours."
                ),
                status=400,
            )
        return self._run(
            visit, lambda: visit.action_confirm_done(labour_minutes=round(minutes))
        )
