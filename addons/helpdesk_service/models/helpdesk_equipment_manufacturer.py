from odoo import fields, models


class HelpdeskEquipmentManufacturer(models.Model):
    _name = "helpdesk.equipment.manufacturer"
    _description = "Serviced Equipment Manufacturer"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    website = fields.Char()
    model_ids = fields.One2many("helpdesk.equipment.model", "manufacturer_id", "Models")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A manufacturer with this name already exists."),
    ]
