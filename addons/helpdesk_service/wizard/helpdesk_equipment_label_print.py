from odoo import api, fields, models

SHEET_REPORTS = {
    "a4_3x8": "helpdesk_service.action_report_equipment_label_a4_3x8",
    "a4_2x7": "helpdesk_service.action_report_equipment_label_a4_2x7",
}


class HelpdeskEquipmentLabelPrint(models.TransientModel):
    """Print the QR labels of equipment items, of all the items of sites or
    of clients, on a sheet of stickers."""

    _name = "helpdesk.equipment.label.print"
    _description = "Print Equipment QR Labels"

    equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        default=lambda self: self._default_equipment_ids(),
    )
    sheet = fields.Selection(
        [
            ("a4_3x8", "A4, 3 × 8 labels of 70 × 37 mm"),
            ("a4_2x7", "A4, 2 × 7 labels of 99 × 38 mm"),
        ],
        string="Label sheet",
        default="a4_3x8",
        required=True,
    )

    @api.model
    def _default_equipment_ids(self):
        """The selected items, or those of the selected sites or clients that
        are in service or in repair (searched as the user)."""
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        Equipment = self.env["helpdesk.equipment"]
        if model == "helpdesk.equipment":
            return Equipment.browse(ids).exists()
        if model == "helpdesk.site":
            domain = [("site_id", "in", ids)]
        elif model == "res.partner":
            clients = self.env["res.partner"].browse(ids).commercial_partner_id
            domain = [("partner_id", "in", clients.ids)]
        else:
            return Equipment
        return Equipment.search(domain + [("state", "!=", "decommissioned")])

    def action_print(self):
        self.ensure_one()
        report = self.env.ref(SHEET_REPORTS[self.sheet])
        return report.report_action(self.equipment_ids)
