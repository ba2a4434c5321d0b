from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskSite(models.Model):
    """A service object: one of the client's locations where equipment is
    installed and engineers go."""

    _name = "helpdesk.site"
    _description = "Service Object (Client Site)"
    _inherit = ["mail.thread"]
    _order = "partner_id, name"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "city", "street"]

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char(index=True)
    state_id = fields.Many2one("res.country.state")
    country_id = fields.Many2one("res.country")
    contact_ids = fields.Many2many(
        "res.partner",
        "helpdesk_site_contact_rel",
        "site_id",
        "partner_id",
        string="Contact persons",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar", "Opening hours", check_company=True
    )
    access_notes = fields.Text(
        help="How engineers get in: keys, badges, parking, who to ask."
    )
    equipment_ids = fields.One2many("helpdesk.equipment", "site_id")
    equipment_count = fields.Integer(compute="_compute_counts")
    ticket_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        equipment = dict(
            self.env["helpdesk.equipment"]._read_group(
                [("site_id", "in", self.ids)], ["site_id"], ["__count"]
            )
        )
        tickets = {}
        if self.env["helpdesk.ticket"].has_access("read"):
            tickets = dict(
                self.env["helpdesk.ticket"]._read_group(
                    [("site_id", "in", self.ids)], ["site_id"], ["__count"]
                )
            )
        for site in self:
            site.equipment_count = equipment.get(site, 0)
            site.ticket_count = tickets.get(site, 0)

    @api.depends("name", "partner_id.name", "city")
    def _compute_display_name(self):
        for site in self:
            site.display_name = ", ".join(
                part for part in (site.partner_id.name, site.name, site.city) if part
            )

    @api.constrains("partner_id", "contact_ids")
    def _check_contacts(self):
        for site in self:
            strangers = site.contact_ids.filtered(
                lambda c, s=site: c.commercial_partner_id != s.partner_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(contacts)s do not work for %(client)s.",
                        contacts=", ".join(strangers.mapped("name")),
                        client=site.partner_id.name,
                    )
                )

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_equipment_action"
        )
        action.update(
            domain=[("site_id", "=", self.id)],
            context={
                "default_site_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        )
        return action

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=[("site_id", "=", self.id)],
            context={"default_site_id": self.id},
            display_name=self.display_name,
        )
        return action
