from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RatingRating(models.Model):
    _name = "rating.rating"
    _inherit = ["rating.rating", "helpdesk.recorded.mixin"]
    # a helpdesk rating is the client's: what he gave, for whom, on what (see
    # helpdesk.recorded.mixin); other ratings are left as the rating app has them
    _helpdesk_recorded_fields = (
        "rating",
        "feedback",
        "consumed",
        "partner_id",
        "rated_partner_id",
        "res_model_id",
        "res_model",
        "res_id",
        "is_internal",
        "helpdesk_kind",
        "helpdesk_message_id",
        "helpdesk_team_id",
        "helpdesk_user_id",
    )

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

    @api.constrains("partner_id", "consumed", "res_model_id", "res_id")
    def _check_helpdesk_client(self):
        """A ticket is rated by its client only: the ticket's contact or another
        contact of its client company, never an agent."""
        for rating in self.sudo().filtered(
            lambda r: r.consumed and r.res_model == "helpdesk.ticket"
        ):
            ticket = self.env["helpdesk.ticket"].sudo().browse(rating.res_id).exists()
            if not ticket:
                continue
            partner = rating.partner_id
            client = ticket.partner_id.commercial_partner_id
            is_client = partner and (
                partner == ticket.partner_id
                or (
                    partner.commercial_partner_id == client
                    and not partner.user_ids.filtered(lambda u: not u.share)
                )
            )
            if not is_client:
                raise ValidationError(
                    self.env._(
                        "Only the client of ticket %(ticket)s can rate it.",
                        ticket=ticket.ticket_ref,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        helpdesk_vals = [vals for vals in vals_list if vals.get("helpdesk_kind")]
        corrected = (
            self._check_recorded_create(helpdesk_vals) if helpdesk_vals else set()
        )
        ratings = super().create(vals_list)
        if corrected:
            helpdesk = ratings.filtered("helpdesk_kind")
            helpdesk._log_recorded_changes(
                {rating.id: dict.fromkeys(corrected, "") for rating in helpdesk}
            )
        return ratings

    def write(self, vals):
        helpdesk = self.filtered("helpdesk_kind")
        corrected = helpdesk._check_recorded_write(vals) if helpdesk else set()
        before = helpdesk._snapshot_recorded(corrected) if corrected else {}
        if helpdesk and {"helpdesk_user_id", "helpdesk_team_id"} & set(vals):
            helpdesk._kpi_mark_stale()
        res = super().write(vals)
        if corrected:
            helpdesk._log_recorded_changes(before)
        return res

    def unlink(self):
        self.filtered("helpdesk_kind")._kpi_mark_stale()
        return super().unlink()

    def _kpi_mark_stale(self):
        """The agents and teams these ratings leave: their KPI scores are
        recomputed at the next refresh."""
        ratings = self.sudo()
        self.env["helpdesk.kpi.stale"]._mark(
            ratings.helpdesk_user_id, ratings.helpdesk_team_id
        )

    def _get_recorded_ticket(self):
        self.ensure_one()
        if self.res_model != "helpdesk.ticket":
            return False
        return self.env["helpdesk.ticket"].browse(self.res_id).exists()
