import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context


class HelpdeskSite(models.Model):
    """A service object: one of the client's locations where equipment is
    installed and engineers go.

    A site is a contact: its address lives on ``address_partner_id``, an
    "other address" under the client (``_inherits``), so the address format,
    the client's address book and maps are Odoo's own. ``partner_id`` stays
    the client."""

    _name = "helpdesk.site"
    _description = "Service Object (Client Site)"
    _inherit = ["mail.thread", "format.address.mixin"]
    _inherits = {"res.partner": "address_partner_id"}
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
    # street, street2, zip, city, state_id, country_id come from this contact
    address_partner_id = fields.Many2one(
        "res.partner",
        "Address contact",
        required=True,
        index=True,
        ondelete="cascade",
        copy=False,
        help="The site's address, kept as an address of the client in Contacts.",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "helpdesk_site_contact_rel",
        "site_id",
        "partner_id",
        string="Contact persons",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('helpdesk_address_site_ids', '=', False)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar", "Opening hours", check_company=True
    )
    access_notes = fields.Text(
        help="How engineers get in: keys, badges, parking, who to ask."
    )
    equipment_ids = fields.One2many("helpdesk.equipment", "site_id", "Site equipment")
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

    @api.depends("name", "partner_id.name", "address_partner_id.city")
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

    @api.model_create_multi
    def create(self, vals_list):
        """Each new site gets its own address contact under the client. It is
        made as superuser, after the site's own access check, from the name,
        client and address fields only: agents need no Contact Creation
        right to record a site."""
        if any(vals.get("address_partner_id") for vals in vals_list):
            self._check_address_partner_fixed()
        todo = [vals for vals in vals_list if not vals.get("address_partner_id")]
        if todo:
            self.check_access("create")
            partner_vals_list = []
            for vals in todo:
                partner_vals = self._pop_address_vals(vals)
                partner_vals.update(
                    self._prepare_address_partner_vals(
                        {
                            "name": self.env.context.get("default_name"),
                            "partner_id": self.env.context.get("default_partner_id"),
                            "active": True,
                            **vals,
                        }
                    )
                )
                partner_vals_list.append(partner_vals)
            partners = self._get_address_partner_model().create(partner_vals_list)
            for vals, partner in zip(todo, partners, strict=True):
                vals["address_partner_id"] = partner.id
        return super().create(vals_list)

    def write(self, vals):
        if "address_partner_id" in vals:
            self._check_address_partner_fixed()
        vals = dict(vals)
        partner_vals = self._pop_address_vals(vals)
        partner_vals.update(self._prepare_address_partner_vals(vals))
        res = super().write(vals)
        if partner_vals and self:
            self.check_access("write")
            self.address_partner_id.sudo().write(partner_vals)
        return res

    def unlink(self):
        partners = self.address_partner_id.sudo()
        res = super().unlink()
        # the address goes with its site, unless something else refers to it
        try:
            with self.env.cr.savepoint():
                partners.unlink()
        except (UserError, psycopg2.IntegrityError):
            partners.action_archive()
        return res

    def _check_address_partner_fixed(self):
        """The address contact is the site's own, made with it: the site's
        rights write and delete it as superuser, so no user may point a site
        to another contact (a client, a colleague, another company's)."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A site's address contact is created with the site and "
                    "cannot be replaced by another contact."
                )
            )

    def _pop_address_vals(self, vals):
        """Take the address fields out of site values (modified in place):
        they are written on the address contact."""
        return {
            fname: vals.pop(fname)
            for fname in self.env["res.partner"]._address_fields()
            if fname in vals
        }

    @api.model
    def _prepare_address_partner_vals(self, vals):
        """The values of the address contact that follow the site's: its
        name, the client it belongs to (and his company), archiving."""
        partner_vals = {}
        if "name" in vals:
            partner_vals["name"] = vals["name"]
        if "partner_id" in vals:
            client = self.env["res.partner"].browse(vals["partner_id"]).sudo()
            partner_vals.update(
                parent_id=client.id,
                company_id=client.company_id.id,
                type="other",
                is_company=False,
            )
        if "active" in vals:
            partner_vals["active"] = vals["active"]
        return partner_vals

    @api.model
    def _get_address_partner_model(self):
        """res.partner as superuser, without the site's defaults, flagged so
        that a client without address does not take his site's."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(clean_context(self.env.context), helpdesk_site_address=True)
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
