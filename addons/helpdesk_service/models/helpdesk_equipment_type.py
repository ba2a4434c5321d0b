from odoo import fields, models


class HelpdeskEquipmentType(models.Model):
    _name = "helpdesk.equipment.type"
    _description = "Serviced Equipment Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    icon = fields.Char(
        default="fa-cube",
        help="Font Awesome icon shown on the equipment cards, e.g. fa-print.",
    )
    attribute_ids = fields.One2many(
        "helpdesk.equipment.attribute",
        "type_id",
        "Attributes",
        help="What matters for this type: IP address for a router, fiscal number "
        "for a cash register...",
    )

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name)",
            "An equipment type with this name already exists.",
        ),
    ]
