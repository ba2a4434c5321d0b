from odoo import api, fields, models

STAGE_KINDS = [
    ("new", "New"),
    ("in_progress", "In progress"),
    ("waiting", "Waiting for client"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]


class HelpdeskStage(models.Model):
    _name = "helpdesk.stage"
    _description = "Helpdesk Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(
        STAGE_KINDS,
        required=True,
        default="in_progress",
        help="What the stage means for the timeline and the reports: entering a "
        "'Resolved' stage records the resolution time, leaving a closing stage "
        "counts as a reopening.",
    )
    is_closing = fields.Boolean(
        "Closing stage",
        help="Tickets in this stage are done: they leave the open tickets' counters.",
    )
    fold = fields.Boolean("Folded in kanban")
    template_id = fields.Many2one(
        "mail.template",
        "E-mail template",
        domain=[("model", "=", "helpdesk.ticket")],
        help="Sent to the client when a ticket enters this stage.",
    )
    team_ids = fields.Many2many(
        "helpdesk.team",
        "helpdesk_team_stage_rel",
        "stage_id",
        "team_id",
        string="Teams",
    )

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind in ("resolved", "closed"):
            self.is_closing = True
