from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        res = super()._merge(partner_ids, dst_partner, extra_checks)
        # the merged partners' follower rows were moved in SQL: the team
        # followers kept for new tickets are read again (mail.followers)
        self.env.registry.clear_cache()
        return res
