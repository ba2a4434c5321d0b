from odoo import api, models


class HelpdeskCacheSourceMixin(models.AbstractModel):
    """Records the service desk computes values from that it keeps between
    requests (ormcache): the active SLA policies, the working intervals of the
    calendars. Creating, changing or deleting one clears those values, in
    every worker (Odoo signals the registry's cache change)."""

    _name = "helpdesk.cache.source.mixin"
    _description = "Source of cached helpdesk values"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
