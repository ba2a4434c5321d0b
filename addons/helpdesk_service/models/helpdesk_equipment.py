from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class HelpdeskEquipment(models.Model):
    """An item of equipment that belongs to a client and that the service
    company maintains: a PC, a printer, a cash register, a tachograph..."""

    _name = "helpdesk.equipment"
    _description = "Serviced Equipment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, site_id, name, id"
    _check_company_auto = True
    _rec_names_search = ["name", "serial_number", "inventory_number"]

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    site_id = fields.Many2one(
        "helpdesk.site",
        index=True,
        tracking=True,
        domain="[('partner_id', '=', partner_id)]",
        check_company=True,
    )
    model_id = fields.Many2one("helpdesk.equipment.model", index=True, tracking=True)
    manufacturer_id = fields.Many2one(
        "helpdesk.equipment.manufacturer",
        compute="_compute_from_model",
        store=True,
        readonly=False,
        index=True,
        precompute=True,
    )
    type_id = fields.Many2one(
        "helpdesk.equipment.type",
        compute="_compute_from_model",
        store=True,
        readonly=False,
        index=True,
        precompute=True,
    )
    type_icon = fields.Char("Type icon", related="type_id.icon")
    serial_number = fields.Char(index=True, tracking=True, copy=False)
    inventory_number = fields.Char(index=True, copy=False)
    date_installed = fields.Date("Installed on")
    date_warranty_end = fields.Date("Warranty until", index=True, tracking=True)
    is_under_warranty = fields.Boolean(
        "Under warranty",
        compute="_compute_is_under_warranty",
        search="_search_is_under_warranty",
    )
    warranty_warned = fields.Boolean(copy=False)
    state = fields.Selection(
        string="Status",
        selection=[
            ("active", "In service"),
            ("repair", "In repair"),
            ("decommissioned", "Decommissioned"),
        ],
        default="active",
        required=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        domain="[('share', '=', False)]",
        help="Warned before the warranty ends; else the client's salesperson.",
    )
    parent_id = fields.Many2one(
        "helpdesk.equipment",
        "Part of",
        index=True,
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
    )
    child_ids = fields.One2many("helpdesk.equipment", "parent_id", "Components")
    attribute_value_ids = fields.One2many(
        "helpdesk.equipment.attribute.value", "equipment_id", "Attributes"
    )
    note = fields.Html()
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "helpdesk_ticket_equipment_rel",
        "equipment_id",
        "ticket_id",
        string="Tickets",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _sql_constraints = [
        (
            "serial_model_uniq",
            "unique(manufacturer_id, model_id, serial_number)",
            "This serial number is already registered for this manufacturer and model.",
        ),
    ]

    @api.depends("model_id", "serial_number")
    def _compute_name(self):
        for item in self:
            if item._origin.name:
                continue  # a name given by the user stays
            parts = [item.model_id.display_name, item.serial_number]
            item.name = " ".join(p for p in parts if p) or item.name or ""

    @api.depends("model_id")
    def _compute_from_model(self):
        for item in self:
            if item.model_id:
                item.manufacturer_id = item.model_id.manufacturer_id
                item.type_id = item.model_id.type_id

    @api.depends("date_warranty_end")
    @api.depends_context("tz")
    def _compute_is_under_warranty(self):
        today = fields.Date.context_today(self)
        for item in self:
            item.is_under_warranty = bool(
                item.date_warranty_end and item.date_warranty_end >= today
            )

    def _search_is_under_warranty(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on the warranty."))
        today = fields.Date.context_today(self)
        positive = (operator == "=") == bool(value)
        if positive:
            return [("date_warranty_end", ">=", today)]
        return [
            "|",
            ("date_warranty_end", "=", False),
            ("date_warranty_end", "<", today),
        ]

    def _compute_ticket_count(self):
        if not self.env["helpdesk.ticket"].has_access("read"):
            self.ticket_count = 0
            return
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("equipment_ids", "in", self.ids)], ["equipment_ids"], ["__count"]
            )
        )
        for item in self:
            item.ticket_count = counts.get(item, 0)

    @api.constrains("name")
    def _check_name(self):
        for item in self:
            if not (item.name or "").strip():
                raise ValidationError(
                    self.env._("Give the equipment a name, a model or a serial number.")
                )

    @api.constrains("serial_number", "model_id", "manufacturer_id")
    def _check_serial_number(self):
        items = self.filtered("serial_number")
        if not items:
            return
        others = self.with_context(active_test=False).search(
            [
                ("serial_number", "in", items.mapped("serial_number")),
                ("id", "not in", items.ids),
            ]
        )
        taken = {
            (o.manufacturer_id.id, o.model_id.id, o.serial_number): o for o in others
        }
        seen = {}
        for item in items:
            key = (item.manufacturer_id.id, item.model_id.id, item.serial_number)
            other = taken.get(key) or seen.get(key)
            if other:
                raise ValidationError(
                    self.env._(
                        "Serial number %(serial)s of %(model)s is already registered: "
                        "%(other)s at %(client)s.",
                        serial=item.serial_number,
                        model=item.model_id.display_name
                        or item.manufacturer_id.name
                        or "-",
                        other=other.name,
                        client=other.partner_id.name,
                    )
                )
            seen[key] = item

    @api.constrains("model_id", "manufacturer_id", "type_id")
    def _check_model(self):
        for item in self:
            model = item.model_id
            if model and model.manufacturer_id != item.manufacturer_id:
                raise ValidationError(
                    self.env._(
                        "Model %(model)s is made by %(maker)s, not by %(other)s.",
                        model=model.name,
                        maker=model.manufacturer_id.name,
                        other=item.manufacturer_id.name or "-",
                    )
                )

    @api.constrains("site_id", "partner_id")
    def _check_site(self):
        for item in self:
            if item.site_id and item.site_id.partner_id != item.partner_id:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s belongs to %(owner)s, not to %(client)s.",
                        site=item.site_id.name,
                        owner=item.site_id.partner_id.name,
                        client=item.partner_id.name,
                    )
                )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("An equipment item cannot be a component of itself.")
            )

    @api.model
    def _cron_warranty_warning(self, days=30, batch_size=1000):
        """Warn (activity) the responsible of each item whose warranty ends
        within `days`, once per item, in batches."""
        today = fields.Date.context_today(self)
        items = self.search(
            [
                ("warranty_warned", "=", False),
                ("state", "!=", "decommissioned"),
                ("date_warranty_end", ">=", today),
                ("date_warranty_end", "<=", today + timedelta(days=days)),
            ],
            limit=batch_size,
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for item in items:
            user = item.user_id or item.partner_id.user_id
            if user:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": item.id,
                        "activity_type_id": todo.id,
                        "user_id": user.id,
                        # in the responsible's language
                        "summary": self.with_context(lang=user.lang).env._(
                            "Warranty ends on %(date)s",
                            date=format_date(
                                self.env, item.date_warranty_end, lang_code=user.lang
                            ),
                        ),
                        "date_deadline": item.date_warranty_end,
                    }
                )
        self.env["mail.activity"].sudo().create(activities)
        items.write({"warranty_warned": True})
        remaining = (
            self.search_count(
                [
                    ("warranty_warned", "=", False),
                    ("state", "!=", "decommissioned"),
                    ("date_warranty_end", ">=", today),
                    ("date_warranty_end", "<=", today + timedelta(days=days)),
                ]
            )
            if items
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(items), remaining=remaining)
        return len(items)

    def write(self, vals):
        if "date_warranty_end" in vals:
            vals = dict(vals, warranty_warned=False)
        return super().write(vals)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=[("equipment_ids", "in", self.ids)],
            context={
                "default_equipment_ids": [(6, 0, self.ids)],
                "default_site_id": self.site_id.id,
            },
            display_name=self.display_name,
        )
        return action
