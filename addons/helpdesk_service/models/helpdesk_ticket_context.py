# the context block of the ticket form in a file of its own (STYLE 1: a
# concern of helpdesk.ticket, helpdesk_ticket.py stays readable)
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.osv import expression

# rows of the context block on the ticket form
CONTEXT_LIMIT = 5


class HelpdeskTicket(models.Model):
    """The context block of the ticket form: the ticket's equipment with its
    warranty, the last tickets about the same site or equipment and the
    client's other open tickets. Non-stored, computed for the open form only,
    searched as the current user (record rules apply, hence per user)."""

    _inherit = "helpdesk.ticket"

    context_equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        compute="_compute_context_equipment_ids",
        string="Equipment in context",
        help="The ticket's equipment, or the equipment installed at its site.",
        groups="base.group_user",
    )
    context_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        compute="_compute_context_ticket_ids",
        string="Last tickets on the site and equipment",
        groups="base.group_user",
    )
    client_open_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        compute="_compute_client_open_ticket_ids",
        string="Client's open tickets",
        groups="base.group_user",
    )
    client_open_ticket_count = fields.Integer(
        compute="_compute_client_open_ticket_ids",
        string="Open tickets of the client",
        groups="base.group_user",
    )
    # client history
    client_ticket_count = fields.Integer(compute="_compute_client_tickets")
    client_ticket_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_client_tickets", string="Client's tickets"
    )

    @api.depends("equipment_ids", "site_id")
    @api.depends_context("uid")
    def _compute_context_equipment_ids(self):
        Equipment = self.env["helpdesk.equipment"]
        for ticket in self:
            equipment = ticket.equipment_ids
            if not equipment and ticket.site_id:
                equipment = Equipment.search(
                    [("site_id", "=", ticket.site_id.id)], limit=CONTEXT_LIMIT
                )
            ticket.context_equipment_ids = equipment

    @api.depends("equipment_ids", "site_id")
    @api.depends_context("uid")
    def _compute_context_ticket_ids(self):
        for ticket in self:
            equipment = ticket.equipment_ids._origin
            site = ticket.site_id._origin
            if not equipment and not site:
                ticket.context_ticket_ids = False
                continue
            about = []
            if equipment:
                about.append([("equipment_ids", "in", equipment.ids)])
            if site:
                about.append([("site_id", "=", site.id)])
            ticket.context_ticket_ids = self.search(
                expression.AND(
                    [expression.OR(about), [("id", "!=", ticket._origin.id or 0)]]
                ),
                order="date_received desc, id desc",
                limit=CONTEXT_LIMIT,
            )

    @api.depends("commercial_partner_id")
    @api.depends_context("uid")
    def _compute_client_open_ticket_ids(self):
        for ticket in self:
            client = ticket.commercial_partner_id._origin
            if not client:
                ticket.client_open_ticket_ids = False
                ticket.client_open_ticket_count = 0
                continue
            domain = [
                ("commercial_partner_id", "=", client.id),
                ("is_closed", "=", False),
                ("id", "!=", ticket._origin.id or 0),
            ]
            ticket.client_open_ticket_ids = self.search(
                domain, order="date_received desc, id desc", limit=CONTEXT_LIMIT
            )
            ticket.client_open_ticket_count = self.search_count(domain)

    def action_open_client_open_tickets(self):
        self.ensure_one()
        action = self.commercial_partner_id.action_open_helpdesk_tickets()
        action["domain"] = expression.AND(
            [action["domain"], [("is_closed", "=", False)]]
        )
        return action

    def action_reply_with_article(self):
        """Open the full composer of a reply to the client, with its knowledge
        base picker: each article chosen adds its link and summary to the
        reply, which the agent completes before sending."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Answer with an article"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
            },
        }

    def _get_helpdesk_article_domain(self):
        """The knowledge base articles an agent may send the ticket's client:
        published, meant for clients (not internal), of the ticket's company
        or shared; the client reads no other company's articles."""
        self.ensure_one()
        return [
            ("state", "=", "published"),
            ("visibility", "!=", "internal"),
            ("company_id", "in", [False, *self.company_id.ids]),
        ]

    def get_helpdesk_article_choices(self, term="", limit=8):
        """The articles of the chatter composer's picker for this ticket, the
        first by the knowledge base's order, or those matching ``term`` (title
        and body). Read as the agent: his record rules apply too."""
        self.ensure_one()
        self.check_access("read")
        domain = self._get_helpdesk_article_domain()
        term = (term or "").strip()
        if term:
            domain = expression.AND([domain, [("search_text", "ilike", term)]])
        return self.env["helpdesk.article"].search_read(
            domain, ["name", "summary", "portal_url"], limit=min(int(limit), 50)
        )

    @api.depends("commercial_partner_id")
    def _compute_client_tickets(self):
        clients = self.commercial_partner_id
        counts = {
            partner.id: count
            for partner, count in self._read_group(
                [("commercial_partner_id", "in", clients.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        }
        for ticket in self:
            client = ticket.commercial_partner_id
            if not client:
                ticket.client_ticket_count = 0
                ticket.client_ticket_ids = False
                continue
            ticket.client_ticket_count = counts.get(client.id, 0)
            ticket.client_ticket_ids = self.search(
                [
                    ("commercial_partner_id", "=", client.id),
                    ("id", "!=", ticket.id or 0),
                ],
                order="date_received desc, id desc",
                limit=10,
            )

    def action_open_client_tickets(self):
        self.ensure_one()
        return self.commercial_partner_id.action_open_helpdesk_tickets()
