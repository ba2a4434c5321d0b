# the KPI bookkeeping of helpdesk.ticket in a file of its own (STYLE 1)
# pylint: disable=consider-merging-classes-inherited
from odoo import models

# fields whose old value names the KPI rows a ticket leaves
KPI_KEY_FIELDS = ("user_id", "team_id")


class HelpdeskTicket(models.Model):
    """Tell the incremental KPI refresh which agent or team a ticket leaves
    (reassigned or deleted); the new owner is found by the write date."""

    _inherit = "helpdesk.ticket"

    def write(self, vals):
        if self and any(field in vals for field in KPI_KEY_FIELDS):
            self._kpi_mark_stale()
        return super().write(vals)

    def unlink(self):
        self._kpi_mark_stale()
        return super().unlink()

    def _kpi_mark_stale(self):
        tickets = self.sudo()
        self.env["helpdesk.kpi.stale"]._mark(tickets.user_id, tickets.team_id)
