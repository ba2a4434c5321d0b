"""The serviced equipment a ticket is about, its site and its warranty."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketEquipment(models.Model):
    _inherit = "helpdesk.ticket"

    # serviced equipment
    equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        "helpdesk_ticket_equipment_rel",
        "ticket_id",
        "equipment_id",
        domain="[('partner_id', '=?', commercial_partner_id)]",
    )
    site_id = fields.Many2one(
        "helpdesk.site",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        domain="[('partner_id', '=?', commercial_partner_id)]",
    )
    is_under_warranty = fields.Boolean(
        "Equipment under warranty",
        compute="_compute_is_under_warranty",
        store=True,
        help="Some of the ticket's equipment was under warranty when it arrived.",
    )

    @api.depends("equipment_ids.site_id")
    def _compute_site_id(self):
        for ticket in self:
            sites = ticket.equipment_ids.site_id
            if sites and ticket.site_id not in sites:
                ticket.site_id = sites[:1]

    @api.depends("equipment_ids.date_warranty_end", "date_received")
    def _compute_is_under_warranty(self):
        for ticket in self:
            day = (ticket.date_received or fields.Datetime.now()).date()
            ticket.is_under_warranty = any(
                end and end >= day
                for end in ticket.equipment_ids.mapped("date_warranty_end")
            )

    @api.onchange("equipment_ids")
    def _onchange_equipment_ids(self):
        """Choosing equipment first fills the client."""
        if not self.partner_id and self.equipment_ids:
            self.partner_id = self.equipment_ids[:1].partner_id

    @api.constrains("equipment_ids", "site_id", "partner_id")
    def _check_equipment_client(self):
        for ticket in self:
            client = ticket.commercial_partner_id
            if not client:
                continue
            foreign = ticket.equipment_ids.filtered(
                lambda e, c=client: e.partner_id != c
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(items)s belong to another client than %(client)s.",
                        items=", ".join(foreign.mapped("display_name")),
                        client=client.name,
                    )
                )
            if ticket.site_id and ticket.site_id.partner_id != client:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s belongs to %(owner)s, not to %(client)s.",
                        site=ticket.site_id.name,
                        owner=ticket.site_id.partner_id.name,
                        client=client.name,
                    )
                )
