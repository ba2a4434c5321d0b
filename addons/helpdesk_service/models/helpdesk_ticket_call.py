from odoo import api, fields, models
from odoo.exceptions import ValidationError

# fields whose old value names the KPI rows a call leaves
CALL_KPI_KEY_FIELDS = ("user_id", "ticket_id")


class HelpdeskTicketCall(models.Model):
    """A phone call about a ticket: when it rang, when it was picked up, when it
    ended, so that pickup time and call duration are measurable."""

    _name = "helpdesk.ticket.call"
    _description = "Helpdesk Phone Call"
    _order = "date_start desc, id desc"
    _rec_name = "phone"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    # not stored: the KPI refresh groups by it with a join on the ticket
    team_id = fields.Many2one(related="ticket_id.team_id")
    direction = fields.Selection(
        [("in", "Incoming"), ("out", "Outgoing")], required=True, default="in"
    )
    phone = fields.Char("Number")
    user_id = fields.Many2one(
        "res.users", "Agent", index=True, default=lambda self: self.env.user
    )
    date_start = fields.Datetime("Rang at", required=True, default=fields.Datetime.now)
    date_answer = fields.Datetime("Answered at")
    date_end = fields.Datetime("Ended at")
    recording_url = fields.Char("Recording")
    note = fields.Text()
    # floats, so that their averages keep their decimals in reports
    pickup_seconds = fields.Float(
        "Pickup time (s)", compute="_compute_durations", store=True, aggregator="avg"
    )
    duration_seconds = fields.Float(
        "Duration (s)", compute="_compute_durations", store=True, aggregator="avg"
    )
    is_missed = fields.Boolean(compute="_compute_durations", store=True)

    @api.depends("date_start", "date_answer", "date_end")
    def _compute_durations(self):
        for call in self:
            start, answer, end = call.date_start, call.date_answer, call.date_end
            call.pickup_seconds = (
                int((answer - start).total_seconds()) if start and answer else 0
            )
            call.duration_seconds = (
                int((end - answer).total_seconds()) if answer and end else 0
            )
            call.is_missed = bool(end and not answer)

    @api.constrains("date_start", "date_answer", "date_end")
    def _check_dates(self):
        for call in self:
            if call.date_answer and call.date_answer < call.date_start:
                raise ValidationError(
                    self.env._("A call cannot be answered before it rang.")
                )
            if call.date_end and call.date_end < (call.date_answer or call.date_start):
                raise ValidationError(
                    self.env._("A call cannot end before it rang or was answered.")
                )

    @api.constrains("recording_url")
    def _check_recording_url(self):
        for call in self:
            url = call.recording_url
            if url and not url.lower().startswith(("http://", "https://")):
                raise ValidationError(
                    self.env._("The recording link must be an http(s) address.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        Ticket = self.env["helpdesk.ticket"]
        for ticket, ticket_calls in calls.grouped("ticket_id").items():
            last = max(ticket_calls.mapped("date_start"))
            if not ticket.date_last_contact or ticket.date_last_contact < last:
                ticket.sudo().date_last_contact = last
        self.env["helpdesk.ticket.event"].sudo().create(
            [
                Ticket._prepare_event_vals(
                    call.ticket_id,
                    "call",
                    date=call.date_start,
                    user_id=call.user_id.id,
                    new_value=call.phone,
                    note=dict(self._fields["direction"].selection)[call.direction],
                )
                for call in calls
            ]
        )
        return calls

    def write(self, vals):
        if vals.get("ticket_id"):
            # a call moves only to a ticket the user may change (the record
            # rules check the call's current ticket, not the new one)
            self.env["helpdesk.ticket"].browse(vals["ticket_id"]).check_access("write")
        if self and any(field in vals for field in CALL_KPI_KEY_FIELDS):
            self._kpi_mark_stale()
        return super().write(vals)

    def unlink(self):
        self._kpi_mark_stale()
        return super().unlink()

    def _kpi_mark_stale(self):
        """Tell the next incremental KPI refresh the agent and team these
        calls leave (moved or deleted): the write date only tells the new
        ones."""
        calls = self.sudo()
        self.env["helpdesk.kpi.stale"]._mark(calls.user_id, calls.team_id)
