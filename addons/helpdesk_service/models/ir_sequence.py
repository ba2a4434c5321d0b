from odoo import api, models

from ..const import TICKET_SEQUENCE_CODE


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    # helpdesk.ticket keeps the id of each company's ticket-number sequence
    # (_get_ticket_sequence_id): a change of such a sequence clears it
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("code") == TICKET_SEQUENCE_CODE for vals in vals_list):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code") == TICKET_SEQUENCE_CODE or (
            {"code", "company_id", "active"} & set(vals)
            and any(seq.code == TICKET_SEQUENCE_CODE for seq in self)
        ):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        if any(seq.code == TICKET_SEQUENCE_CODE for seq in self):
            self.env.registry.clear_cache()
        return super().unlink()
