from odoo import api, fields, models


class RatingRating(models.Model):
    _inherit = "rating.rating"

    helpdesk_kind = fields.Selection(
        [("answer", "Answer"), ("ticket", "Ticket")],
        "Helpdesk rating of",
        index=True,
        help="Answer: the client rates one public reply of an agent. "
        "Ticket: the client rates the whole ticket once it is resolved.",
    )
    helpdesk_message_id = fields.Many2one(
        "mail.message", "Rated answer", index=True, ondelete="set null"
    )
    helpdesk_team_id = fields.Many2one("helpdesk.team", "Helpdesk team", index=True)
    helpdesk_user_id = fields.Many2one(
        "res.users", "Rated agent", index=True, help="The agent who wrote the answer."
    )
    helpdesk_is_good = fields.Boolean(
        "Good", compute="_compute_helpdesk_good_bad", store=True
    )
    helpdesk_is_bad = fields.Boolean(
        "Bad", compute="_compute_helpdesk_good_bad", store=True
    )
    helpdesk_good_percent = fields.Float(
        "Good answers (%)",
        compute="_compute_helpdesk_good_bad",
        store=True,
        aggregator="avg",
        help="100 for a good rating, 0 for any other: its average is the share of "
        "good ratings.",
    )

    @api.depends("rating", "consumed")
    def _compute_helpdesk_good_bad(self):
        for rating in self:
            rated = rating.consumed and rating.rating > 0
            rating.helpdesk_is_good = rated and rating.rating >= 4
            rating.helpdesk_is_bad = rated and rating.rating <= 2
            rating.helpdesk_good_percent = 100.0 if rating.helpdesk_is_good else 0.0
