from odoo import fields, models


class HelpdeskEquipmentAttribute(models.Model):
    _name = "helpdesk.equipment.attribute"
    _description = "Serviced Equipment Attribute"
    _order = "type_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "helpdesk.equipment.type", required=True, index=True, ondelete="cascade"
    )
