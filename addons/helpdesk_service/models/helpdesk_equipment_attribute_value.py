from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskEquipmentAttributeValue(models.Model):
    _name = "helpdesk.equipment.attribute.value"
    _description = "Serviced Equipment Attribute Value"
    _order = "equipment_id, attribute_id"

    equipment_id = fields.Many2one(
        "helpdesk.equipment", required=True, index=True, ondelete="cascade"
    )
    attribute_id = fields.Many2one(
        "helpdesk.equipment.attribute", required=True, ondelete="restrict"
    )
    value = fields.Char()

    _sql_constraints = [
        (
            "equipment_attribute_uniq",
            "unique(equipment_id, attribute_id)",
            "Each attribute has one value per equipment item.",
        ),
    ]

    @api.constrains("attribute_id", "equipment_id")
    def _check_attribute_type(self):
        for value in self:
            if value.attribute_id.type_id != value.equipment_id.type_id:
                raise ValidationError(
                    self.env._(
                        "Attribute %(attribute)s belongs to type %(type)s, not to the "
                        "type of %(equipment)s.",
                        attribute=value.attribute_id.name,
                        type=value.attribute_id.type_id.name,
                        equipment=value.equipment_id.display_name,
                    )
                )
