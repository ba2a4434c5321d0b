from odoo import Command, api, fields, models
from odoo.exceptions import UserError

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
    # membership of the contact's portal users in the "whole company" group,
    # which the portal record rules read (a group change clears their cache)
    helpdesk_portal_scope = fields.Selection(
        [("own", "Own tickets only"), ("company", "All tickets of the company")],
        "Portal tickets",
        compute="_compute_helpdesk_portal_scope",
        inverse="_inverse_helpdesk_portal_scope",
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
    # the site whose address this contact is (helpdesk.site _inherits it): such
    # a contact is no person to write to, kept out of the contact pickers
    helpdesk_address_site_ids = fields.One2many(
        "helpdesk.site",
        "address_partner_id",
        "Address of sites",
        groups="base.group_user",
    )

    @api.depends("user_ids.groups_id")
    def _compute_helpdesk_portal_scope(self):
        group = self.env.ref("helpdesk_service.group_helpdesk_portal_company")
        for partner in self:
            users = partner.with_context(active_test=False).sudo().user_ids
            partner.helpdesk_portal_scope = (
                "company" if group in users.groups_id else "own"
            )

    def _inverse_helpdesk_portal_scope(self):
        """Put the contact's portal users in the "whole company" group, or take
        them out. Whoever may edit the contact sets its scope, as before the
        scope became a group: only this group of portal users is touched."""
        group = self.env.ref("helpdesk_service.group_helpdesk_portal_company")
        for scope, partners in self.grouped("helpdesk_portal_scope").items():
            users = (
                partners.with_context(active_test=False)
                .sudo()
                .user_ids.filtered("share")
            )
            if scope == "company":
                without_user = partners - users.partner_id
                if without_user:
                    raise UserError(
                        self.env._(
                            "Give %(names)s access to the customer portal before "
                            "showing them all the tickets of their company.",
                            names=", ".join(without_user.mapped("display_name")),
                        )
                    )
                users.filtered(lambda user: group not in user.groups_id).write(
                    {"groups_id": [Command.link(group.id)]}
                )
            else:
                users.filtered(lambda user: group in user.groups_id).write(
                    {"groups_id": [Command.unlink(group.id)]}
                )

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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_helpdesk_site_address(self):
        """A site's address contact goes with its site (the site's deletion
        removes it): deleted from Contacts, it would take the site along."""
        sites = (
            self.env["helpdesk.site"]
            .sudo()
            .with_context(active_test=False)
            .search([("address_partner_id", "in", self.ids)])
        )
        if sites:
            raise UserError(
                self.env._(
                    "%(contacts)s is the address of the site %(sites)s: archive "
                    "or delete the site instead.",
                    contacts=", ".join(sites.address_partner_id.mapped("name")),
                    sites=", ".join(sites.mapped("display_name")),
                )
            )

    def _handle_first_contact_creation(self):
        # a site's address is the site's, not the client's: Odoo would copy the
        # first address of a client without one onto the client
        if self.env.context.get("helpdesk_site_address"):
            return None
        return super()._handle_first_contact_creation()
