from odoo import models

from .helpdesk_visit import OPEN_STATES

# the visit an engineer scanning a label is most likely standing at
STATE_RANK = {"on_site": 0, "on_the_way": 1, "planned": 2}


class HelpdeskEquipment(models.Model):
    _inherit = "helpdesk.equipment"

    def _get_label_landing_url(self):
        """An engineer who scans the label of an item he has an open visit
        for lands on that visit in his phone workspace (the one he is on site
        or on the way for first, else the earliest planned); without one, on
        the item in the back office."""
        self.ensure_one()
        user = self.env.user
        if user.has_group("helpdesk_field.group_field_engineer"):
            # searched as him: the record rules keep it to his own visits
            visits = self.env["helpdesk.visit"].search(
                [
                    ("user_id", "=", user.id),
                    ("state", "in", OPEN_STATES),
                    "|",
                    ("equipment_ids", "in", self.ids),
                    ("ticket_id.equipment_ids", "in", self.ids),
                ],
                order="date_planned, id",
            )
            if visits:
                visit = min(visits, key=lambda v: STATE_RANK[v.state])
                return f"/field/visit/{visit.id}"
        return super()._get_label_landing_url()
