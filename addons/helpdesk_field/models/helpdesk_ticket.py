from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # the portal shows a ticket's visits from the ticket page (sudo); clients
    # have no access to the visits themselves
    visit_ids = fields.One2many(
        "helpdesk.visit", "ticket_id", "Visits", groups="base.group_user"
    )
    visit_count = fields.Integer(
        "Visit count", compute="_compute_visit_count", groups="base.group_user"
    )

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        # the visits the user may see (an engineer: his own)
        counts = dict(
            self.env["helpdesk.visit"]._read_group(
                [("ticket_id", "in", self._origin.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.visit_count = counts.get(ticket._origin, 0)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_field.helpdesk_visit_action"
        )
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context={"default_ticket_id": self.id},
            display_name=self.env._("Visits of %(ticket)s", ticket=self.display_name),
        )
        return action
