from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

VISIT_STATES = [
    ("planned", "Planned"),
    ("on_the_way", "On the way"),
    ("on_site", "On site"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# visits that still hold the engineer's time: they can conflict
OPEN_STATES = ("planned", "on_the_way", "on_site")
DEFAULT_ETA_MINUTES = 30
MAX_LABOUR_MINUTES = 24 * 60


class HelpdeskVisit(models.Model):
    """An engineer's visit to the client's site for a ticket: planned by a
    dispatcher, then worked through from the engineer's phone (on the way,
    arrived, works and parts, signature, done)."""

    _name = "helpdesk.visit"
    _description = "Field Visit"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "helpdesk.recorded.mixin",
    ]
    _order = "date_planned, id"
    _check_company_auto = True
    _rec_names_search = ["name", "ticket_id.ticket_ref", "ticket_id.name"]
    # set by the engineer's actions only (see helpdesk.recorded.mixin)
    _helpdesk_recorded_fields = (
        "state",
        "date_on_way",
        "date_arrived",
        "date_departed",
        "arrival_latitude",
        "arrival_longitude",
        "arrival_has_position",
        "signature",
        "signed_by",
        "signed_on",
        "timesheet_id",
        "report_attachment_id",
    )

    def _default_user_id(self):
        if self.env.user.has_group("helpdesk_field.group_field_engineer"):
            return self.env.user
        return self.env["res.users"]

    name = fields.Char(
        "Reference", readonly=True, copy=False, index=True, default=lambda self: "New"
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    team_id = fields.Many2one(
        related="ticket_id.team_id", store=True, index=True, string="Team"
    )
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, string="Client"
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="Gets the SMS and e-mails about the visit. By default the ticket's "
        "contact.",
    )
    partner_mobile = fields.Char(
        "Contact's mobile", compute="_compute_partner_mobile", readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Engineer",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self._default_user_id(),
        domain=lambda self: [
            ("share", "=", False),
            (
                "groups_id",
                "in",
                self.env.ref("helpdesk_field.group_field_engineer").ids,
            ),
        ],
    )
    site_id = fields.Many2one(
        "helpdesk.site",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
    )
    equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        "helpdesk_visit_equipment_rel",
        "visit_id",
        "equipment_id",
        compute="_compute_equipment_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
    )
    date_planned = fields.Datetime(
        "Planned start",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: (
            fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
            + timedelta(hours=1)
        ),
    )
    planned_hours = fields.Float(
        "Planned duration", default=1.0, required=True, help="In hours."
    )
    date_planned_end = fields.Datetime(
        "Planned end", compute="_compute_date_planned_end", store=True, index=True
    )
    instructions = fields.Html(
        help="What the engineer should do, bring or watch out for on site."
    )
    state = fields.Selection(
        VISIT_STATES,
        "Status",
        default="planned",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    date_on_way = fields.Datetime("Left for the site at", readonly=True, copy=False)
    date_eta = fields.Datetime(
        "Expected arrival",
        copy=False,
        help="Given by the engineer when he sets off: the client's SMS tells it.",
    )
    date_arrived = fields.Datetime("Arrived at", readonly=True, copy=False)
    date_departed = fields.Datetime("Left at", readonly=True, copy=False)
    arrival_latitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    arrival_longitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    # without a shared position the coordinates stay empty (NULL): 0, 0 is a
    # real place, so it is this flag that says whether they mean something
    arrival_has_position = fields.Boolean(
        "Position shared",
        readonly=True,
        copy=False,
        help="The engineer shared his position when he checked in.",
    )
    labour_minutes = fields.Integer(
        "Labour (min)",
        compute="_compute_labour_minutes",
        store=True,
        readonly=False,
        copy=False,
        help="Time written off on the ticket when the visit is confirmed: arrival to "
        "departure, rounded per the team's timer settings. The engineer can "
        "correct it before confirming.",
    )
    timesheet_id = fields.Many2one("account.analytic.line", readonly=True, copy=False)
    work_ids = fields.One2many(
        "helpdesk.ticket.work", "visit_id", "Works and parts", copy=False
    )
    work_count = fields.Integer(compute="_compute_work_count")
    note = fields.Text(
        "Engineer's notes", copy=False, help="Printed on the visit report."
    )
    signature = fields.Binary(
        "Client's signature", attachment=True, copy=False, readonly=True
    )
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)
    photo_ids = fields.Many2many("ir.attachment", compute="_compute_photo_ids")
    photo_count = fields.Integer(compute="_compute_photo_ids")
    report_attachment_id = fields.Many2one(
        "ir.attachment", "Report", readonly=True, copy=False
    )
    report_url = fields.Char(
        "Report link",
        compute="_compute_report_url",
        help="Public link to the visit report, sent to the client.",
    )
    sms_error = fields.Char(
        "SMS problem",
        readonly=True,
        copy=False,
        help="The last SMS that could not be queued, and why.",
    )
    sms_failed_count = fields.Integer(
        "SMS failed",
        compute="_compute_sms_failed_count",
        help="SMS of the visit the gateway did not deliver.",
    )
    has_conflict = fields.Boolean(
        "Conflict",
        compute="_compute_conflict",
        search="_search_has_conflict",
        help="The engineer is booked twice, or the visit is outside his working hours.",
    )
    conflict_reason = fields.Char(compute="_compute_conflict")
    time_zone = fields.Char(
        compute="_compute_time_zone",
        help="Time zone of the visit's times in messages: the engineer's.",
    )

    _sql_constraints = [
        (
            "planned_hours_positive",
            "CHECK(planned_hours > 0)",
            "The planned duration must be positive.",
        ),
        (
            "labour_minutes_positive",
            "CHECK(labour_minutes >= 0)",
            "The labour time cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("ticket_id.partner_id")
    def _compute_partner_id(self):
        for visit in self:
            visit.partner_id = visit.ticket_id.partner_id

    @api.depends("partner_id.mobile", "partner_id.phone")
    def _compute_partner_mobile(self):
        for visit in self:
            visit.partner_mobile = visit.partner_id.mobile or visit.partner_id.phone

    @api.depends("ticket_id.site_id")
    def _compute_site_id(self):
        for visit in self:
            visit.site_id = visit.ticket_id.site_id

    @api.depends("ticket_id.equipment_ids")
    def _compute_equipment_ids(self):
        for visit in self:
            visit.equipment_ids = visit.ticket_id.equipment_ids

    @api.depends("date_planned", "planned_hours")
    def _compute_date_planned_end(self):
        for visit in self:
            visit.date_planned_end = (
                visit.date_planned + timedelta(hours=visit.planned_hours)
                if visit.date_planned
                else False
            )

    @api.depends(
        "date_arrived",
        "date_departed",
        "team_id.timesheet_rounding_minutes",
        "team_id.timesheet_min_minutes",
    )
    def _compute_labour_minutes(self):
        for visit in self:
            if visit.state == "done":
                visit.labour_minutes = visit.labour_minutes
            elif visit.date_arrived and visit.date_departed:
                visit.labour_minutes = visit._get_proposed_minutes(
                    visit.date_arrived, visit.date_departed
                )
            else:
                visit.labour_minutes = 0

    def _compute_work_count(self):
        counts = dict(
            self.env["helpdesk.ticket.work"]._read_group(
                [("visit_id", "in", self.ids)], ["visit_id"], ["__count"]
            )
        )
        for visit in self:
            visit.work_count = counts.get(visit, 0)

    def _compute_photo_ids(self):
        photos = (
            self.env["ir.attachment"].search(self._get_photo_domain())
            if self.ids
            else self.env["ir.attachment"]
        )
        by_visit = photos.grouped("res_id")
        for visit in self:
            visit.photo_ids = by_visit.get(visit.id, photos.browse())
            visit.photo_count = len(visit.photo_ids)

    def _compute_report_url(self):
        for visit in self:
            visit.report_url = (
                f"{visit.get_base_url()}/my/visits/{visit.id}/report"
                f"?access_token={visit.access_token}"
                if visit.id and visit.access_token
                else False
            )

    def _compute_sms_failed_count(self):
        counts = defaultdict(int)
        if self.ids:
            # notifications are technical records: read them for the counter only
            notifications = (
                self.env["mail.notification"]
                .sudo()
                .search(
                    [
                        ("notification_type", "=", "sms"),
                        ("notification_status", "in", ("exception", "bounce")),
                        ("mail_message_id.model", "=", self._name),
                        ("mail_message_id.res_id", "in", self.ids),
                    ]
                )
            )
            for notification in notifications:
                counts[notification.mail_message_id.res_id] += 1
        for visit in self:
            visit.sms_failed_count = counts[visit.id]

    @api.depends("user_id.tz", "company_id.partner_id.tz")
    def _compute_time_zone(self):
        for visit in self:
            visit.time_zone = (
                visit.user_id.tz or visit.company_id.partner_id.tz or "UTC"
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("ticket_id", "site_id", "equipment_ids")
    def _check_client(self):
        for visit in self:
            client = visit.ticket_id.commercial_partner_id
            wrong = visit.equipment_ids.filtered(lambda e, c=client: e.partner_id != c)
            if (visit.site_id and visit.site_id.partner_id != client) or wrong:
                raise ValidationError(
                    self.env._(
                        "The site and equipment of visit %(visit)s must belong to "
                        "%(client)s, the client of its ticket.",
                        visit=visit.display_name,
                        client=client.display_name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_is_engineer(self):
        group = self.env.ref("helpdesk_field.group_field_engineer")
        for visit in self:
            if group not in visit.user_id.groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a field engineer: give him the group "
                        "Field engineer first.",
                        user=visit.user_id.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("helpdesk.visit") or "New"
                )
        corrected = self._check_recorded_create(vals_list)
        visits = super().create(vals_list)
        for visit in visits:
            visit.message_subscribe(partner_ids=visit.user_id.partner_id.ids)
        if corrected:
            visits._log_recorded_changes(
                {visit.id: dict.fromkeys(corrected, "") for visit in visits}
            )
        return visits

    def write(self, vals):
        corrected = self._check_recorded_write(vals)
        before = self._snapshot_recorded(corrected) if corrected else {}
        res = super().write(vals)
        if vals.get("user_id"):
            self.message_subscribe(partner_ids=self.user_id.partner_id.ids)
        if corrected:
            self._log_recorded_changes(before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda v: v.state not in ("planned", "cancelled"))
        if started:
            raise UserError(
                self.env._(
                    "%(visits)s have started: cancel them instead of deleting them.",
                    visits=", ".join(started.mapped("name")),
                )
            )

    @api.depends("name", "ticket_id.ticket_ref")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = " ".join(
                part for part in (visit.name, visit.ticket_id.ticket_ref) if part
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for visit in self:
            visit.access_url = f"/my/visits/{visit.id}/report"

    # ------------------------------------------------------------ helpers
    def _get_photo_domain(self):
        return [
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
            ("mimetype", "=like", "image/%"),
        ]

    def _get_proposed_minutes(self, date_start, date_stop):
        """Labour minutes for a stay on site: rounded per the ticket's team like
        its timers, the exact minutes (rounded up) without a team."""
        self.ensure_one()
        if self.team_id:
            return round(self.team_id._get_timer_hours(date_start, date_stop) * 60)
        seconds = max(0, int((date_stop - date_start).total_seconds()))
        return -(-seconds // 60)

    def _get_engineer_employee(self):
        """The engineer's employee in the ticket's company (sudo record)."""
        self.ensure_one()
        return self.ticket_id._get_timesheet_employee(self.user_id)

    def _check_state(self, states, action):
        for visit in self:
            if visit.state not in states:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: it cannot be %(action)s.",
                        visit=visit.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[visit.state].lower(),
                        action=action,
                    )
                )

    # ------------------------------------------------------------ actions
    def action_cancel(self):
        self._check_state(("planned", "on_the_way"), self.env._("cancelled"))
        self._write_recorded({"state": "cancelled"})
        return True

    def action_reset_planned(self):
        self._check_state(("cancelled",), self.env._("planned again"))
        self._write_recorded({"state": "planned"})
        return True

    def action_open_works(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_billing.helpdesk_ticket_work_action"
        )
        action.update(
            domain=[("visit_id", "=", self.id)],
            context={
                "default_ticket_id": self.ticket_id.id,
                "default_visit_id": self.id,
                "default_user_id": self.user_id.id,
            },
            display_name=self.env._("Works and parts of %(visit)s", visit=self.name),
        )
        return action

    def action_print_report(self):
        return self.env.ref(
            "helpdesk_field.action_report_helpdesk_visit"
        ).report_action(self)

    def _get_report_base_filename(self):
        """The report's file name when the portal prints it (portal.mixin)."""
        self.ensure_one()
        return self.env._(
            "Visit report %(visit)s", visit=(self.name or "").replace("/", "-")
        )
