from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import SQL, html_sanitize, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .utils import CONTROL_CHARS, clean_file_name, is_text, parse_id, parse_page

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_REASON_CHARS = 2000
PORTAL_PRIORITIES = ("0", "1", "2")  # urgent is the agents' call


class HelpdeskPortal(CustomerPortal):
    # a ticket row is read on a phone too: 40 a page, not the portal's 80
    _tickets_per_page = 40

    # ------------------------------------------------------------ home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ticket_count" in counters:
            Ticket = request.env["helpdesk.ticket"]
            values["ticket_count"] = (
                Ticket.search_count([("is_closed", "=", False)])
                if Ticket.has_access("read")
                else 0
            )
        if "equipment_count" in counters:
            Equipment = request.env["helpdesk.equipment"]
            values["equipment_count"] = (
                Equipment.search_count([]) if Equipment.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------ equipment
    @http.route(
        ["/my/equipment", "/my/equipment/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_equipment(self, page=1, search=None, site_id=None, **kw):
        Equipment = request.env["helpdesk.equipment"]
        if not Equipment.has_access("read"):
            return request.redirect("/my")
        domain = []
        search = self._portal_search_term(search)
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("serial_number", "ilike", search),
                ("inventory_number", "ilike", search),
            ]
        sites, site = self._portal_site_filter(site_id)
        if site:
            domain.append(("site_id", "=", site.id))
        count = Equipment.search_count(domain)
        pager = portal_pager(
            url="/my/equipment",
            url_args={"search": search or "", "site_id": site.id or ""},
            total=count,
            page=parse_page(page),
            step=self._items_per_page,
        )
        items = Equipment.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "items": items.sudo(),
                "sites": sites.sudo(),
                "site": site,
                "page_name": "equipment",
                "pager": pager,
                "search": search or "",
            }
        )
        return request.render("helpdesk_service.portal_my_equipment", values)

    @http.route(["/my/equipment/<int:item_id>"], type="http", auth="user", website=True)
    def portal_equipment_page(self, item_id, **kw):
        try:
            item_sudo = self._document_check_access("helpdesk.equipment", item_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # the item's tickets the contact may see (own or company scope)
        tickets = request.env["helpdesk.ticket"].search(
            [("equipment_ids", "in", item_sudo.ids)], order="date_received desc"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {"item": item_sudo, "tickets": tickets.sudo(), "page_name": "equipment"}
        )
        return request.render("helpdesk_service.portal_equipment_page", values)

    # ------------------------------------------------------------ list
    def _ticket_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "date_received desc, id desc"},
            "priority": {
                "label": env._("Priority"),
                "order": "priority_effective desc, id desc",
            },
            "stage": {"label": env._("Status"), "order": "stage_id, id desc"},
            "name": {"label": env._("Subject"), "order": "name, id"},
            # the deadline the list shows: nearest first, then those without
            # one (paused, closed); see _portal_tickets_by_due_date
            "due": {
                "label": env._("Due date"),
                "order": "sla_next_deadline asc nulls last, id desc",
            },
        }

    def _ticket_searchbar_filters(self):
        env = request.env
        partner = env.user.partner_id
        return {
            "open": {"label": env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": env._("Closed"), "domain": [("is_closed", "=", True)]},
            "mine": {
                "label": env._("Opened by me"),
                "domain": [("partner_id", "=", partner.id)],
            },
            "all": {"label": env._("All"), "domain": []},
        }

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_tickets(
        self,
        page=1,
        sortby=None,
        filterby=None,
        search=None,
        site_id=None,
        equipment_id=None,
        **kw,
    ):
        Ticket = request.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            return request.redirect("/my")
        sortings = self._ticket_searchbar_sortings()
        filters = self._ticket_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "open"
        domain = list(filters[filterby]["domain"])
        # site and equipment filters: only the client's own (searched as him)
        sites, site = self._portal_site_filter(site_id)
        if site:
            domain.append(("site_id", "=", site.id))
        equipment = self._portal_readable(
            "helpdesk.equipment", [("id", "=", self._int_or_zero(equipment_id))]
        )
        if equipment:
            domain.append(("equipment_ids", "in", equipment.ids))
        search = self._portal_search_term(search)
        if search:
            domain = expression.AND(
                [
                    domain,
                    ["|", ("name", "ilike", search), ("ticket_ref", "ilike", search)],
                ]
            )
        # searched as the portal user: the record rules decide what he sees
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search or "",
                "site_id": site.id or "",
                "equipment_id": equipment.id or "",
            },
            total=count,
            page=parse_page(page),
            step=self._tickets_per_page,
        )
        if sortby == "due":
            tickets = self._portal_tickets_by_due_date(
                domain, self._tickets_per_page, pager["offset"]
            )
        else:
            tickets = Ticket.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._tickets_per_page,
                offset=pager["offset"],
            )
        request.session["my_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets.sudo(),
                "page_name": "ticket",
                "pager": pager,
                "default_url": "/my/tickets",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "search": search or "",
                "sites": sites.sudo(),
                "site": site.sudo(),
                "equipment_filter": equipment.sudo(),
                "portal_now": fields.Datetime.now(),
            }
        )
        return request.render("helpdesk_service.portal_my_tickets", values)

    @staticmethod
    def _portal_tickets_by_due_date(domain, limit, offset):
        """A page of the client's tickets, nearest deadline (the one the list
        shows) first, those without one last. Searched as him: the record
        rules apply. The deadline is an agents' field the ORM lets no portal
        user order by, so the order is set on his query: one query, along
        the deadline's index."""
        Ticket = request.env["helpdesk.ticket"]
        Ticket.sudo().flush_model(["sla_next_deadline"])
        query = Ticket._search(domain, offset=offset, limit=limit, order="id")
        query.order = SQL(
            "%s ASC NULLS LAST, %s DESC",
            SQL.identifier(query.table, "sla_next_deadline"),
            SQL.identifier(query.table, "id"),
        )
        return Ticket.browse(query.get_result_ids())

    @staticmethod
    def _int_or_zero(value):
        return parse_id(value) or 0

    @staticmethod
    def _portal_search_term(search):
        """The text of a search box, at most 100 characters; a 400 page for
        what no search box sends (control characters, a file)."""
        if not search:
            return ""
        if not is_text(search):
            raise UserError(
                request.env._("The search contains characters that are not allowed.")
            )
        return search.strip()[:100]

    def _portal_site_filter(self, site_id):
        """(the client's sites, the one ``site_id`` names or an empty record):
        an id from the request counts only if it is one of his sites."""
        sites = self._portal_readable("helpdesk.site", [])
        return sites, sites.filtered(lambda s: str(s.id) == str(site_id))

    @staticmethod
    def _portal_readable(model, domain):
        """Records of ``model`` the portal user may read (empty without ACL)."""
        Model = request.env[model]
        return Model.search(domain) if Model.has_access("read") else Model

    # ------------------------------------------------------------ ticket page
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        partner = request.env.user.partner_id
        ratings = (
            request.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    ("helpdesk_kind", "=", "answer"),
                    ("partner_id", "=", partner.id),
                    ("consumed", "=", False),
                    ("helpdesk_message_id", "!=", False),
                ]
            )
        )
        values = {
            "page_name": "ticket",
            "ticket": ticket,
            "answer_ratings": ratings,
            "can_close": ticket.stage_kind == "resolved",
            "can_reopen": ticket._portal_can_reopen(),
            "portal_now": fields.Datetime.now(),
        }
        return self._get_page_view_values(
            ticket, access_token, values, "my_tickets_history", False, **kwargs
        )

    def _ticket_sudo_if_allowed(self, ticket_id, access_token=None):
        """The ticket (sudo) if the visitor may read it, else an empty recordset."""
        try:
            return self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token
            )
        except (AccessError, MissingError):
            return request.env["helpdesk.ticket"]

    @http.route(
        ["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True
    )
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._ticket_sudo_if_allowed(ticket_id, access_token)
        if not ticket_sudo:
            return request.redirect("/my")
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        values["error"] = kw.get("error")
        values["message"] = kw.get("message")
        return request.render("helpdesk_service.portal_ticket_page", values)

    @http.route(
        ["/my/tickets/<int:ticket_id>/close"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_close(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._ticket_sudo_if_allowed(ticket_id, access_token)
        if not ticket_sudo:
            return request.redirect("/my")
        if ticket_sudo.stage_kind == "resolved":
            ticket_sudo._portal_close(request.env.user.partner_id)
        return request.redirect(ticket_sudo.get_portal_url())

    @http.route(
        ["/my/tickets/<int:ticket_id>/reopen"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_reopen(self, ticket_id, access_token=None, reason=None, **kw):
        ticket_sudo = self._ticket_sudo_if_allowed(ticket_id, access_token)
        if not ticket_sudo:
            return request.redirect("/my")
        reason = reason or ""
        if not is_text(reason):
            return request.redirect(
                ticket_sudo.get_portal_url(query_string="&error=reason_invalid")
            )
        reason = reason.strip()
        if not reason:
            return request.redirect(
                ticket_sudo.get_portal_url(query_string="&error=reason")
            )
        if len(reason) > MAX_REASON_CHARS:
            # refused, not cut: the client must know what we keep
            return request.redirect(
                ticket_sudo.get_portal_url(query_string="&error=reason_length")
            )
        if not ticket_sudo.active:
            # a merged duplicate: the conversation goes on in the kept ticket
            return request.redirect(
                ticket_sudo.get_portal_url(query_string="&error=archived")
            )
        if not ticket_sudo._portal_can_reopen():
            return request.redirect(
                ticket_sudo.get_portal_url(query_string="&error=reopen_window")
            )
        ticket_sudo._portal_reopen(request.env.user.partner_id, reason)
        return request.redirect(ticket_sudo.get_portal_url())

    # ------------------------------------------------------------ new ticket
    def _portal_upload_limits(self):
        # the form checks them in the browser too, before uploading anything
        return {
            "max_attachments": MAX_ATTACHMENTS,
            "max_attachment_bytes": MAX_ATTACHMENT_BYTES,
            "max_attachment_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        }

    def _portal_client_choices(self):
        # searched as the portal user: the record rules keep them to his company
        client = request.env.user.partner_id.commercial_partner_id
        Site = request.env["helpdesk.site"]
        Equipment = request.env["helpdesk.equipment"]
        return {
            "sites": Site.search([("partner_id", "=", client.id)]).sudo(),
            "equipment": Equipment.search(
                [("partner_id", "=", client.id), ("state", "!=", "decommissioned")]
            ).sudo(),
            "types": request.env["helpdesk.ticket.type"].sudo().search([]),
        }

    @http.route(["/my/tickets/new"], type="http", auth="user", website=True)
    def portal_ticket_new(self, **kw):
        if not request.env["helpdesk.ticket"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._portal_client_choices(), **self._portal_upload_limits())
        values.update({"page_name": "ticket_new", "errors": {}, "form": {}})
        return request.render("helpdesk_service.portal_ticket_new", values)

    @http.route(
        ["/my/tickets/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_submit(self, **post):
        env = request.env
        if not env["helpdesk.ticket"].has_access("read"):
            return request.redirect("/my")
        choices = self._portal_client_choices()
        errors = {}
        subject = post.get("name") or ""
        description = post.get("description") or ""
        if not is_text(subject):
            errors["name"] = env._(
                "The subject contains characters that are not allowed."
            )
        elif not subject.strip():
            errors["name"] = env._("Give your request a subject.")
        elif len(subject.strip()) > 200:
            errors["name"] = env._("The subject is limited to 200 characters.")
        if not is_text(description):
            errors["description"] = env._(
                "The description contains characters that are not allowed."
            )
        elif len(description.strip()) > 20000:
            errors["description"] = env._(
                "The description is limited to 20,000 characters."
            )
        site = choices["sites"].filtered(lambda s: str(s.id) == post.get("site_id"))
        if post.get("site_id") and not site:
            errors["site_id"] = env._("Choose one of your sites.")
        equipment = choices["equipment"].filtered(
            lambda e: str(e.id) == post.get("equipment_id")
        )
        if post.get("equipment_id") and not equipment:
            errors["equipment_id"] = env._("Choose one of your equipment items.")
        ticket_type = choices["types"].filtered(
            lambda t: str(t.id) == post.get("type_id")
        )
        if post.get("type_id") and not ticket_type:
            errors["type_id"] = env._("Choose one of the categories.")
        priority = post.get("priority") or "1"
        if priority not in PORTAL_PRIORITIES:
            errors["priority"] = env._("Choose one of the priorities.")
        files = request.httprequest.files.getlist("attachments")
        files = [f for f in files if f and f.filename]
        if len(files) > MAX_ATTACHMENTS:
            errors["attachments"] = env._(
                "At most %(count)s files per request.", count=MAX_ATTACHMENTS
            )
        contents = []
        for upload in files[:MAX_ATTACHMENTS]:
            data = upload.read(MAX_ATTACHMENT_BYTES + 1)
            filename = clean_file_name(upload.filename)
            if len(data) > MAX_ATTACHMENT_BYTES:
                errors["attachments"] = env._(
                    "%(file)s is larger than 10 MB.", file=filename
                )
            contents.append((filename, data))
        if errors:
            values = self._prepare_portal_layout_values()
            values.update(choices, **self._portal_upload_limits())
            # the form as typed, minus what cannot be shown back
            form = {
                key: CONTROL_CHARS.sub("", value)
                for key, value in post.items()
                if isinstance(value, str)
            }
            values.update({"page_name": "ticket_new", "errors": errors, "form": form})
            response = request.render("helpdesk_service.portal_ticket_new", values)
            response.status_code = 400
            return response
        subject, description = subject.strip(), description.strip()
        partner = env.user.partner_id
        ticket = (
            env["helpdesk.ticket"]
            .sudo()
            .create(
                env["helpdesk.ticket"]._prepare_portal_ticket_vals(
                    partner,
                    subject,
                    html_sanitize(plaintext2html(description))
                    if description
                    else False,
                    site=site,
                    equipment=equipment,
                    ticket_type=ticket_type,
                    priority=priority,
                )
            )
        )
        if contents:
            # in a public message of the client: the files show in the
            # conversation, for him and for the agents
            ticket.sudo().with_context(helpdesk_no_contact=True).message_post(
                body=env._("Files attached to the request"),
                attachments=contents,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(ticket.get_portal_url(query_string="&message=created"))
