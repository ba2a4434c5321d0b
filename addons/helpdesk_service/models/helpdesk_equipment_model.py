from odoo import api, fields, models


class HelpdeskEquipmentModel(models.Model):
    _name = "helpdesk.equipment.model"
    _description = "Serviced Equipment Model"
    _order = "manufacturer_id, name"
    _rec_names_search = ["name", "manufacturer_id.name"]

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    manufacturer_id = fields.Many2one(
        "helpdesk.equipment.manufacturer",
        required=True,
        index=True,
        ondelete="restrict",
    )
    type_id = fields.Many2one(
        "helpdesk.equipment.type", required=True, index=True, ondelete="restrict"
    )

    _sql_constraints = [
        (
            "name_manufacturer_uniq",
            "unique(manufacturer_id, name)",
            "This manufacturer already has a model with this name.",
        ),
    ]

    @api.depends("name", "manufacturer_id.name")
    def _compute_display_name(self):
        for model in self:
            model.display_name = (
                f"{model.manufacturer_id.name or ''} {model.name or ''}".strip()
            )
