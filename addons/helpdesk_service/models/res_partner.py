from odoo import fields, models

HELPDESK_ROLES = [
    ("requester", "Requester"),
    ("it_contact", "IT contact"),
    ("approver", "Approver"),
    ("billing", "Billing contact"),
    ("executive", "Executive"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    helpdesk_role = fields.Selection(
        HELPDESK_ROLES,
        "Role in the client company",
        groups="base.group_user",
        help="Requests of executives are served first.",
    )
    helpdesk_portal_scope = fields.Selection(
        [("own", "Own tickets only"), ("company", "All tickets of the company")],
        "Portal tickets",
        default="own",
        required=True,
        help="Which tickets this contact sees on the customer portal.",
    )
    is_helpdesk_vip = fields.Boolean(
        "VIP client",
        groups="base.group_user",
        help="Tickets of a VIP client or contact get one level of priority more.",
    )
    helpdesk_ticket_ids = fields.One2many("helpdesk.ticket", "partner_id", "Tickets")
    helpdesk_ticket_count = fields.Integer(
        "Number of tickets", compute="_compute_helpdesk_ticket_count"
    )
    helpdesk_open_ticket_count = fields.Integer(
        "Open tickets", compute="_compute_helpdesk_ticket_count"
    )

    helpdesk_equipment_count = fields.Integer(
        "Equipment", compute="_compute_helpdesk_equipment_count"
    )
    helpdesk_site_count = fields.Integer(
        "Sites", compute="_compute_helpdesk_equipment_count"
    )

    def write(self, vals):
        res = super().write(vals)
        if "helpdesk_portal_scope" in vals:
            # the portal record rule reads the scope: drop the cached rule domains
            self.env.registry.clear_cache()
        return res

    def _compute_helpdesk_equipment_count(self):
        clients = self.commercial_partner_id
        equipment = (
            dict(
                self.env["helpdesk.equipment"]._read_group(
                    [("partner_id", "in", clients.ids)], ["partner_id"], ["__count"]
                )
            )
            if self.env["helpdesk.equipment"].has_access("read")
            else {}
        )
        sites = (
            dict(
                self.env["helpdesk.site"]._read_group(
                    [("partner_id", "in", clients.ids)], ["partner_id"], ["__count"]
                )
            )
            if self.env["helpdesk.site"].has_access("read")
            else {}
        )
        for partner in self:
            partner.helpdesk_equipment_count = equipment.get(
                partner.commercial_partner_id, 0
            )
            partner.helpdesk_site_count = sites.get(partner.commercial_partner_id, 0)

    def action_open_helpdesk_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_equipment_action"
        )
        client = self.commercial_partner_id
        action.update(
            domain=[("partner_id", "=", client.id)],
            context={"default_partner_id": client.id},
        )
        return action

    def action_open_helpdesk_sites(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_site_action"
        )
        client = self.commercial_partner_id
        action.update(
            domain=[("partner_id", "=", client.id)],
            context={"default_partner_id": client.id},
        )
        return action

    def _compute_helpdesk_ticket_count(self):
        Ticket = self.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            self.helpdesk_ticket_count = 0
            self.helpdesk_open_ticket_count = 0
            return
        # companies count the tickets of all their contacts; contacts their own
        companies = self.filtered("is_company")
        by_client = {
            (partner.id, closed): count
            for partner, closed, count in Ticket._read_group(
                [("commercial_partner_id", "in", companies.ids)],
                ["commercial_partner_id", "is_closed"],
                ["__count"],
            )
        }
        by_contact = {
            (partner.id, closed): count
            for partner, closed, count in Ticket._read_group(
                [("partner_id", "in", (self - companies).ids)],
                ["partner_id", "is_closed"],
                ["__count"],
            )
        }
        for partner in self:
            counts = by_client if partner.is_company else by_contact
            still_open = counts.get((partner.id, False), 0)
            partner.helpdesk_open_ticket_count = still_open
            partner.helpdesk_ticket_count = still_open + counts.get(
                (partner.id, True), 0
            )

    def _get_helpdesk_ticket_domain(self):
        self.ensure_one()
        if self.is_company:
            return [("commercial_partner_id", "=", self.id)]
        return [("partner_id", "=", self.id)]

    def action_open_helpdesk_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=self._get_helpdesk_ticket_domain(),
            context={"default_partner_id": self.id},
            display_name=self.env._("Tickets of %(client)s", client=self.display_name),
        )
        action["view_mode"] = "list,kanban,form,pivot,graph"
        action["views"] = [
            (False, mode) for mode in ("list", "kanban", "form", "pivot", "graph")
        ]
        return action
