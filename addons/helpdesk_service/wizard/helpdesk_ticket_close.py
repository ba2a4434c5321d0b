from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class HelpdeskTicketClose(models.TransientModel):
    """Resolve a ticket with its resolution; for a major incident, offer to
    resolve its linked tickets with the same resolution."""

    _name = "helpdesk.ticket.close"
    _description = "Resolve a helpdesk ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "helpdesk.stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('is_closing', '=', True)]",
    )
    resolution = fields.Html(required=True, sanitize=True)
    is_major_incident = fields.Boolean(related="ticket_id.is_major_incident")
    open_child_count = fields.Integer(related="ticket_id.open_child_count")
    close_children = fields.Boolean(
        "Resolve the linked tickets too",
        default=True,
        help="Every open ticket linked to this major incident gets the same "
        "resolution and stage; its client is told.",
    )

    @api.depends("ticket_id")
    def _compute_stage_id(self):
        for wizard in self:
            wizard.stage_id = wizard.ticket_id.team_id._get_stage_of_kind("resolved")

    def action_confirm(self):
        self.ensure_one()
        if is_html_empty(self.resolution):
            raise UserError(self.env._("Describe the resolution before resolving."))
        ticket = self.ticket_id
        if ticket.is_closed:
            raise UserError(
                self.env._("%(ticket)s is already closed.", ticket=ticket.display_name)
            )
        tickets = ticket
        if ticket.is_major_incident and self.close_children:
            tickets |= ticket.child_ids.filtered(lambda t: not t.is_closed)
        for stage, same_stage in self._stages_for(tickets).items():
            # "this ticket alone": the major incident's children stay open
            same_stage.with_context(
                helpdesk_keep_children=not self.close_children
            ).write({"resolution": self.resolution, "stage_id": stage.id})
        return True

    def _stages_for(self, tickets):
        """The stage of the wizard's kind in each ticket's team, grouped."""
        result = {}
        for ticket in tickets:
            stage = self.stage_id
            team = ticket.team_id
            if team.stage_ids and stage not in team.stage_ids:
                stage = team._get_stage_of_kind(self.stage_id.kind) or stage
            result.setdefault(stage, self.env["helpdesk.ticket"])
            result[stage] |= ticket
        return result
