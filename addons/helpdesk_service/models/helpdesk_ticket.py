import json
import logging
import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, is_html_empty

from ..const import PRIORITIES, TARGET_DATE_FIELD
from ..tools.sla_clock import SlaClock

_logger = logging.getLogger(__name__)

# the cursor cache's stack of frames that gather the notifications, followers
# and look-ups of the tickets being created (see _notify_later_token)
_CREATE_FRAMES = "helpdesk_create_frames"

CHANNELS = [
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("web", "Web form"),
    ("internal", "Internal"),
]

# changes that move service-level deadlines
SLA_TRIGGER_FIELDS = {
    "team_id",
    "type_id",
    "priority",
    "is_vip",
    "partner_id",
    "stage_id",
    "company_id",
}

# channels where the client opened the ticket himself: he gets an acknowledgement
CLIENT_CHANNELS = ("email", "portal", "web")


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _description = "Helpdesk Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
        "helpdesk.recorded.mixin",
        "helpdesk.cron.job.mixin",
    ]
    _order = "priority_effective desc, id desc"
    _rec_names_search = ["ticket_ref", "name", "partner_id.name"]
    _primary_email = "partner_email"
    _check_company_auto = True
    # portal contacts who can read a ticket may write in its conversation
    _mail_post_access = "read"
    # the facts the SLA, KPI and follow-up figures come from: set by the
    # actions and the mail gateway only (see helpdesk.recorded.mixin)
    _helpdesk_recorded_fields = (
        "date_received",
        "date_ack",
        "date_first_response",
        "date_resolved",
        "date_closed",
        "date_last_stage_update",
        "date_last_contact",
        "date_last_agent_update",
        "date_followup_agent",
        "date_followup_client",
        "reopen_count",
        "client_message_count",
        "agent_reply_count",
        "time_ack_work_minutes",
        "time_report_work_minutes",
        "time_resolve_work_hours",
        "merged_into_id",
    )

    # searched through the unique (ticket_ref, company_id) index
    ticket_ref = fields.Char(
        "Number", readonly=True, copy=False, default=lambda self: "New"
    )
    # searched by a part of the subject (Japanese subjects have no spaces
    # between words): the trigram index serves the ORM's ilike
    name = fields.Char("Subject", required=True, tracking=True, index="trigram")
    date_received = fields.Datetime(
        "Received on",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        default=fields.Datetime.now,
        help="When the request arrived: the start of every service-level clock.",
    )
    description = fields.Html(sanitize=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    # client
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        tracking=True,
        index=True,
        check_company=True,
        help="The client's contact person who opened the ticket.",
    )
    # precomputed (and the site): the contract look-up of helpdesk_billing
    # reads them before the insert
    commercial_partner_id = fields.Many2one(
        "res.partner",
        "Client",
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    partner_name = fields.Char(
        "Contact name", compute="_compute_partner_info", store=True, readonly=False
    )
    partner_email = fields.Char(
        "E-mail", compute="_compute_partner_info", store=True, readonly=False
    )
    partner_phone = fields.Char(
        "Phone", compute="_compute_partner_info", store=True, readonly=False
    )
    # dispatching
    team_id = fields.Many2one(
        "helpdesk.team", tracking=True, index=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Assigned to",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_id = fields.Many2one(
        "helpdesk.stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
    )
    # the stages the form offers (its statusbar's domain); not in the list and
    # kanban views, which would compute it for every row
    available_stage_ids = fields.Many2many(
        "helpdesk.stage",
        compute="_compute_available_stage_ids",
        groups="base.group_user",
    )
    stage_kind = fields.Selection(related="stage_id.kind", store=True)
    # open tickets are searched through the partial indexes made in init()
    is_closed = fields.Boolean(related="stage_id.is_closing", store=True)
    priority = fields.Selection(PRIORITIES, default="1", required=True, tracking=True)
    is_vip = fields.Boolean(
        "VIP / executive",
        compute="_compute_is_vip",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        groups="base.group_user",
        help="Requests of VIP clients and of executives are served first: "
        "the effective priority is one level above the ticket's priority.",
    )
    priority_effective = fields.Integer(
        "Effective priority",
        compute="_compute_priority_effective",
        store=True,
        precompute=True,
        aggregator=False,
        groups="base.group_user",
    )
    type_id = fields.Many2one("helpdesk.ticket.type")
    tag_ids = fields.Many2many(
        "helpdesk.ticket.tag", string="Tags", groups="base.group_user"
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="internal", tracking=True
    )
    kanban_state = fields.Selection(
        [("normal", "In progress"), ("done", "Ready"), ("blocked", "Blocked")],
        string="Status",
        default="normal",
        copy=False,
        groups="base.group_user",
    )
    color = fields.Integer(groups="base.group_user")
    date_deadline = fields.Datetime("Deadline", tracking=True, index=True)
    resolution = fields.Html(sanitize=True, copy=False)
    related_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "helpdesk_ticket_related_rel",
        "ticket_id",
        "related_id",
        string="Related tickets",
    )
    # major incidents
    is_major_incident = fields.Boolean(
        tracking=True, index=True, groups="base.group_user"
    )
    parent_id = fields.Many2one(
        "helpdesk.ticket",
        "Major incident",
        index=True,
        tracking=True,
        domain="[('is_major_incident', '=', True), ('id', '!=', id)]",
        groups="base.group_user",
        help="The major incident this ticket is one case of.",
    )
    child_ids = fields.One2many(
        "helpdesk.ticket", "parent_id", "Linked tickets", groups="base.group_user"
    )
    child_count = fields.Integer(
        compute="_compute_child_count", groups="base.group_user"
    )
    open_child_count = fields.Integer(
        compute="_compute_child_count", groups="base.group_user"
    )
    relay_to_children = fields.Boolean(
        "Relay replies to linked tickets",
        default=True,
        groups="base.group_user",
        help="A public reply posted on the major incident is posted on every open "
        "linked ticket too, so that all affected clients hear of it at once.",
    )
    merged_into_id = fields.Many2one(
        "helpdesk.ticket", readonly=True, copy=False, index=True
    )
    # timeline and derived figures
    event_ids = fields.One2many(
        "helpdesk.ticket.event", "ticket_id", "Timeline", groups="base.group_user"
    )
    call_ids = fields.One2many(
        "helpdesk.ticket.call", "ticket_id", "Calls", groups="base.group_user"
    )
    date_ack = fields.Datetime("Acknowledged on", readonly=True, copy=False)
    date_first_response = fields.Datetime(
        "First response on", readonly=True, copy=False
    )
    date_resolved = fields.Datetime(
        "Resolved on", readonly=True, copy=False, index=True
    )
    date_closed = fields.Datetime("Closed on", readonly=True, copy=False, index=True)
    date_last_stage_update = fields.Datetime(
        "Last stage update", readonly=True, copy=False, default=fields.Datetime.now
    )
    date_last_contact = fields.Datetime(
        "Last contact",
        readonly=True,
        copy=False,
        index=True,
        help="Last client message, public reply or phone call.",
    )
    date_last_agent_update = fields.Datetime(
        "Last agent update",
        readonly=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="Last public reply of an agent or change of stage. The assignee is "
        "reminded when it is older than the team's follow-up delay.",
    )
    date_followup_agent = fields.Datetime(
        "Assignee reminded on", readonly=True, copy=False, groups="base.group_user"
    )
    date_followup_client = fields.Datetime(
        "Client reminded on", readonly=True, copy=False, groups="base.group_user"
    )
    # internal figures: clients read what the portal shows, not these
    reopen_count = fields.Integer(
        "Reopened", readonly=True, copy=False, groups="base.group_user"
    )
    client_message_count = fields.Integer(
        "Client messages", readonly=True, copy=False, groups="base.group_user"
    )
    agent_reply_count = fields.Integer(
        "Agent replies", readonly=True, copy=False, groups="base.group_user"
    )
    call_count = fields.Integer(
        "Number of calls",
        compute="_compute_call_count",
        store=True,
        compute_sudo=True,
        groups="base.group_user",
    )
    contact_count = fields.Integer(
        "Contacts",
        compute="_compute_contact_count",
        store=True,
        groups="base.group_user",
        help="Client messages, agents' public replies and phone calls.",
    )
    # the same number as a float, so that its average keeps its decimals in
    # the pivot, graph and list (an averaged integer is shown rounded)
    contacts_per_ticket = fields.Float(
        "Contacts per ticket",
        compute="_compute_contact_count",
        store=True,
        aggregator="avg",
        groups="base.group_user",
        help="Average of the contacts (client messages, agents' public replies and "
        "phone calls) of the tickets.",
    )
    # service level
    sla_id = fields.Many2one(
        "helpdesk.sla",
        "SLA policy",
        compute="_compute_sla_id",
        store=True,
        groups="base.group_user",
        help="The first policy, by sequence, that covers the ticket's team, type, "
        "effective priority and client.",
    )
    sla_line_ids = fields.One2many(
        "helpdesk.ticket.sla", "ticket_id", "SLA targets", groups="base.group_user"
    )
    sla_deadline = fields.Datetime(
        "SLA deadline",
        compute="_compute_sla_summary",
        store=True,
        index=True,
        help="The nearest deadline of the targets still running.",
    )
    sla_status = fields.Selection(
        [("ongoing", "Ongoing"), ("met", "Met"), ("failed", "Failed")],
        "SLA status",
        compute="_compute_sla_summary",
        store=True,
    )
    sla_failed = fields.Boolean(
        "SLA failed", compute="_compute_sla_summary", store=True
    )
    date_eta = fields.Datetime(
        "ETA",
        tracking=True,
        copy=False,
        help="When the agent expects the request to be solved; given to the client "
        "with the first report.",
    )
    # KPIs: wall-clock and working time from arrival
    time_ack_minutes = fields.Float(
        "Time to acknowledge (min)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_report_minutes = fields.Float(
        "Time to first report (min)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_resolve_hours = fields.Float(
        "Time to resolve (h)",
        compute="_compute_kpi_wall",
        store=True,
        aggregator="avg",
        groups="base.group_user",
    )
    time_ack_work_minutes = fields.Float(
        "Working time to acknowledge (min)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    time_report_work_minutes = fields.Float(
        "Working time to first report (min)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    time_resolve_work_hours = fields.Float(
        "Working time to resolve (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    # serviced equipment
    equipment_ids = fields.Many2many(
        "helpdesk.equipment",
        "helpdesk_ticket_equipment_rel",
        "ticket_id",
        "equipment_id",
        domain="[('partner_id', '=?', commercial_partner_id)]",
    )
    site_id = fields.Many2one(
        "helpdesk.site",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        domain="[('partner_id', '=?', commercial_partner_id)]",
    )
    is_under_warranty = fields.Boolean(
        "Equipment under warranty",
        compute="_compute_is_under_warranty",
        store=True,
        help="Some of the ticket's equipment was under warranty when it arrived.",
    )
    # tariff, complaints
    tariff_id = fields.Many2one(
        "res.partner.category",
        compute="_compute_tariff_id",
        store=True,
        readonly=False,
        domain=[("is_helpdesk_tariff", "=", True)],
        groups="base.group_user",
        help="The client's tariff (a client tag marked as tariff), for reports.",
    )
    is_complaint = fields.Boolean(
        "Complaint",
        tracking=True,
        index=True,
        groups="base.group_user",
        help="The client complained: the team lead follows up.",
    )
    complaint_reason_id = fields.Many2one(
        "helpdesk.complaint.reason",
        "Complaint reason",
        tracking=True,
        groups="base.group_user",
    )
    # client history
    client_ticket_count = fields.Integer(compute="_compute_client_tickets")
    client_ticket_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_client_tickets", string="Client's tickets"
    )
    # labour time (hr_timesheet): timesheets and timers
    timesheet_ids = fields.One2many(
        "account.analytic.line",
        "helpdesk_ticket_id",
        "Timesheets",
        groups="base.group_user",
    )
    planned_hours = fields.Float(
        "Allocated hours",
        tracking=True,
        groups="base.group_user",
        help="Time planned for the ticket: the remaining hours count down from it.",
    )
    effective_hours = fields.Float(
        "Hours spent",
        compute="_compute_timesheet_totals",
        store=True,
        groups="base.group_user",
        help="Sum of the ticket's timesheets.",
    )
    remaining_hours = fields.Float(
        compute="_compute_remaining_hours",
        store=True,
        groups="base.group_user",
        help="Allocated hours minus hours spent (0 when no hours are allocated).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    labour_cost = fields.Monetary(
        compute="_compute_timesheet_totals",
        store=True,
        groups="helpdesk_service.group_helpdesk_manager",
        help="Sum of the timesheets' hours times the hourly cost of their employees.",
    )
    timer_running = fields.Boolean(
        compute="_compute_timer",
        groups="base.group_user",
        help="You have a timer running on this ticket.",
    )
    timer_date_start = fields.Datetime(
        "Timer started on", compute="_compute_timer", groups="base.group_user"
    )

    _sql_constraints = [
        (
            "ticket_ref_company_uniq",
            "unique(ticket_ref, company_id)",
            "The ticket number must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("team_id")
    def _compute_company_id(self):
        for ticket in self:
            ticket.company_id = (
                ticket.team_id.company_id or ticket.company_id or self.env.company
            )

    @api.depends("partner_id")
    def _compute_partner_info(self):
        for ticket in self:
            if ticket.partner_id:
                ticket.partner_name = ticket.partner_id.name
                ticket.partner_email = ticket.partner_id.email
                ticket.partner_phone = (
                    ticket.partner_id.phone or ticket.partner_id.mobile
                )
            else:
                ticket.partner_name = ticket.partner_name
                ticket.partner_email = ticket.partner_email
                ticket.partner_phone = ticket.partner_phone

    @api.depends("team_id")
    def _compute_stage_id(self):
        first_stages = {}  # per team: one look-up for a batch of new tickets
        for ticket in self:
            team = ticket.team_id
            if team:
                if not ticket.stage_id or (
                    team.stage_ids and ticket.stage_id not in team.stage_ids
                ):
                    if team not in first_stages:
                        first_stages[team] = team._get_first_stage()
                    ticket.stage_id = first_stages[team]
            elif not ticket.stage_id:
                ticket.stage_id = self.env["helpdesk.stage"].search(
                    [("team_ids", "=", False)], limit=1
                ) or self.env["helpdesk.stage"].search([], limit=1)

    @api.depends("team_id")
    def _compute_available_stage_ids(self):
        # stages are a short configuration list: a team without stages uses them all
        all_stages = self.env["helpdesk.stage"].search([])  # pylint: disable=no-search-all
        for team, tickets in self.grouped("team_id").items():
            tickets.available_stage_ids = team.stage_ids or all_stages

    @api.depends("equipment_ids.site_id")
    def _compute_site_id(self):
        for ticket in self:
            sites = ticket.equipment_ids.site_id
            if sites and ticket.site_id not in sites:
                ticket.site_id = sites[:1]

    @api.depends("equipment_ids.date_warranty_end", "date_received")
    def _compute_is_under_warranty(self):
        for ticket in self:
            day = (ticket.date_received or fields.Datetime.now()).date()
            ticket.is_under_warranty = any(
                end and end >= day
                for end in ticket.equipment_ids.mapped("date_warranty_end")
            )

    @api.onchange("equipment_ids")
    def _onchange_equipment_ids(self):
        """Choosing equipment first fills the client."""
        if not self.partner_id and self.equipment_ids:
            self.partner_id = self.equipment_ids[:1].partner_id

    @api.depends("partner_id")
    def _compute_tariff_id(self):
        for ticket in self:
            tags = (
                ticket.partner_id.commercial_partner_id.category_id
                | ticket.partner_id.category_id
            )
            ticket.tariff_id = tags.filtered("is_helpdesk_tariff")[:1]

    @api.depends("partner_id")
    def _compute_is_vip(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.is_vip = bool(partner) and (
                partner.is_helpdesk_vip
                or partner.commercial_partner_id.is_helpdesk_vip
                or partner.helpdesk_role == "executive"
            )

    @api.depends("priority", "is_vip")
    def _compute_priority_effective(self):
        for ticket in self:
            ticket.priority_effective = min(
                3, int(ticket.priority or 1) + (1 if ticket.is_vip else 0)
            )

    @api.depends("team_id", "type_id", "priority_effective", "partner_id", "company_id")
    def _compute_sla_id(self):
        Sla = self.env["helpdesk.sla"]
        policies = Sla.browse(Sla._get_active_policy_ids())
        for ticket in self:
            ticket.sla_id = Sla._get_policy(ticket, policies)

    @api.depends("sla_line_ids.status", "sla_line_ids.deadline")
    def _compute_sla_summary(self):
        for ticket in self:
            lines = ticket.sla_line_ids
            statuses = set(lines.mapped("status"))
            running = lines.filtered(lambda line: line.status == "ongoing")
            deadlines = [d for d in running.mapped("deadline") if d]
            ticket.sla_deadline = min(deadlines) if deadlines else False
            ticket.sla_failed = "failed" in statuses
            if "failed" in statuses:
                ticket.sla_status = "failed"
            elif "ongoing" in statuses:
                ticket.sla_status = "ongoing"
            elif statuses:
                ticket.sla_status = "met"
            else:
                ticket.sla_status = False

    @api.depends("date_received", "date_ack", "date_first_response", "date_resolved")
    def _compute_kpi_wall(self):
        for ticket in self:
            start = ticket.date_received

            def minutes(end, start=start):
                return (
                    round((end - start).total_seconds() / 60, 2)
                    if start and end
                    else 0.0
                )

            ticket.time_ack_minutes = minutes(ticket.date_ack)
            ticket.time_report_minutes = minutes(ticket.date_first_response)
            ticket.time_resolve_hours = round(minutes(ticket.date_resolved) / 60, 3)

    @api.depends("call_ids")
    def _compute_call_count(self):
        counts = {
            ticket.id: count
            for ticket, count in self.env["helpdesk.ticket.call"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        }
        for ticket in self:
            ticket.call_count = counts.get(ticket.id, 0)

    @api.depends("client_message_count", "agent_reply_count", "call_count")
    def _compute_contact_count(self):
        for ticket in self:
            ticket.contact_count = (
                ticket.client_message_count
                + ticket.agent_reply_count
                + ticket.call_count
            )
            ticket.contacts_per_ticket = ticket.contact_count

    @api.depends("child_ids.is_closed")
    def _compute_child_count(self):
        groups = self._read_group(
            [("parent_id", "in", self.ids)], ["parent_id", "is_closed"], ["__count"]
        )
        total, still_open = {}, {}
        for parent, closed, count in groups:
            total[parent.id] = total.get(parent.id, 0) + count
            if not closed:
                still_open[parent.id] = count
        for ticket in self:
            ticket.child_count = total.get(ticket.id, 0)
            ticket.open_child_count = still_open.get(ticket.id, 0)

    @api.depends("commercial_partner_id")
    def _compute_client_tickets(self):
        clients = self.commercial_partner_id
        counts = {
            partner.id: count
            for partner, count in self._read_group(
                [("commercial_partner_id", "in", clients.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        }
        for ticket in self:
            client = ticket.commercial_partner_id
            if not client:
                ticket.client_ticket_count = 0
                ticket.client_ticket_ids = False
                continue
            ticket.client_ticket_count = counts.get(client.id, 0)
            ticket.client_ticket_ids = self.search(
                [
                    ("commercial_partner_id", "=", client.id),
                    ("id", "!=", ticket.id or 0),
                ],
                order="date_received desc, id desc",
                limit=10,
            )

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.labour_cost")
    def _compute_timesheet_totals(self):
        saved = self.filtered("id")
        totals = {}
        if saved:
            totals = {
                ticket.id: (hours, cost)
                for ticket, hours, cost in self.env[
                    "account.analytic.line"
                ]._read_group(
                    [("helpdesk_ticket_id", "in", saved.ids)],
                    ["helpdesk_ticket_id"],
                    ["unit_amount:sum", "labour_cost:sum"],
                )
            }
        for ticket in self:
            if ticket.id:
                hours, cost = totals.get(ticket.id, (0.0, 0.0))
            else:  # a form being edited: its lines are in memory only
                lines = ticket.timesheet_ids
                hours = sum(lines.mapped("unit_amount"))
                cost = sum(lines.mapped("labour_cost"))
            ticket.effective_hours = hours
            ticket.labour_cost = cost

    @api.depends("planned_hours", "effective_hours")
    def _compute_remaining_hours(self):
        for ticket in self:
            ticket.remaining_hours = (
                ticket.planned_hours - ticket.effective_hours
                if ticket.planned_hours > 0
                else 0.0
            )

    @api.depends_context("uid")
    def _compute_timer(self):
        # only the user's own timers, which the record rules let him read anyway
        timers = {
            timer.ticket_id.id: timer
            for timer in self.env["helpdesk.ticket.timer"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", self._origin.ids),
                    ("user_id", "=", self.env.uid),
                ]
            )
        }
        for ticket in self:
            timer = timers.get(ticket._origin.id)
            ticket.timer_running = bool(timer)
            ticket.timer_date_start = timer.date_start if timer else False

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.depends("ticket_ref", "name")
    def _compute_display_name(self):
        for ticket in self:
            if ticket.ticket_ref and ticket.ticket_ref != "New":
                ticket.display_name = f"{ticket.ticket_ref} {ticket.name or ''}".strip()
            else:
                ticket.display_name = ticket.name or ""

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return stages.search(
                ["|", ("team_ids", "in", [team_id]), ("team_ids", "=", False)]
            )
        return stages.search([])  # pylint: disable=no-search-all

    # ------------------------------------------------------------ constraints
    @api.constrains("stage_id", "team_id")
    def _check_stage_team(self):
        for ticket in self:
            team = ticket.team_id
            if team.stage_ids and ticket.stage_id not in team.stage_ids:
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s is not used by team %(team)s: choose one of "
                        "its stages (%(stages)s).",
                        stage=ticket.stage_id.name,
                        team=team.name,
                        stages=", ".join(team.stage_ids.mapped("name")),
                    )
                )

    @api.constrains("equipment_ids", "site_id", "partner_id")
    def _check_equipment_client(self):
        for ticket in self:
            client = ticket.commercial_partner_id
            if not client:
                continue
            foreign = ticket.equipment_ids.filtered(
                lambda e, c=client: e.partner_id != c
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(items)s belong to another client than %(client)s.",
                        items=", ".join(foreign.mapped("display_name")),
                        client=client.name,
                    )
                )
            if ticket.site_id and ticket.site_id.partner_id != client:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s belongs to %(owner)s, not to %(client)s.",
                        site=ticket.site_id.name,
                        owner=ticket.site_id.partner_id.name,
                        client=client.name,
                    )
                )

    @api.constrains("parent_id", "is_major_incident")
    def _check_parent_id(self):
        for ticket in self:
            if not ticket.parent_id:
                continue
            if ticket.parent_id == ticket:
                raise ValidationError(
                    self.env._(
                        "A ticket cannot be linked to itself as a major incident."
                    )
                )
            if not ticket.parent_id.is_major_incident:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s can only be linked to a major incident: "
                        "mark %(parent)s as a major incident first.",
                        ticket=ticket.display_name,
                        parent=ticket.parent_id.display_name,
                    )
                )
            if ticket.is_major_incident:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s is a major incident itself and cannot be linked "
                        "to another one.",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("is_major_incident")
    def _check_major_incident_children(self):
        for ticket in self:
            if not ticket.is_major_incident and ticket.child_ids:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s still has %(count)s linked tickets: unlink them "
                        "before it stops being a major incident.",
                        ticket=ticket.display_name,
                        count=len(ticket.child_ids),
                    )
                )

    def init(self):
        res = super().init()
        # the ticket list's first page: its default order, walked until a page
        # of visible tickets is found, instead of sorting all of them
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket_list_order_idx",
            self._table,
            ["priority_effective DESC", "id DESC"],
        )
        # the open tickets (the actions' default filter), in indexes of their
        # own: the predicate is the SQL of [("active", "=", True), ("is_closed",
        # "=", False)], so that PostgreSQL matches it
        open_tickets = "active AND (is_closed IS NULL OR NOT is_closed)"
        # the list's first page, walked in its default order
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket_open_order_idx",
            self._table,
            ["priority_effective DESC", "id DESC"],
            where=open_tickets,
        )
        # their count and the lists grouped by stage or agent (with the list's
        # sums), from the index alone: company, team and agent are what the
        # record rules filter on
        if not tools.index_exists(self.env.cr, "helpdesk_ticket_open_idx"):
            # raw SQL: tools.create_index() has no INCLUDE columns
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX helpdesk_ticket_open_idx ON %s "
                    "(company_id, team_id, user_id) "
                    "INCLUDE (stage_id, contact_count, effective_hours) WHERE %s",
                    SQL.identifier(self._table),
                    SQL(open_tickets),
                )
            )
        return res

    # ------------------------------------------------------------ CRUD
    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        # the lists grouped by agent, in the agents' order (by name): PostgreSQL
        # would join every ticket to its agent's name and sort them all before
        # summing up (past work_mem on disk); sum up by the column alone, then
        # order the few groups
        if (
            tuple(groupby) != ("user_id",)
            or having
            or (order or "").replace(" ", "").lower() not in ("user_id", "user_idasc")
        ):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        rows = super()._read_group(domain, groupby, aggregates)
        by_user = {row[0].id: row for row in rows}
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", [uid for uid in by_user if uid])])
        )
        # tickets without agent last, as PostgreSQL sorts NULL names
        ordered = [by_user[uid] for uid in users.ids]
        if False in by_user:
            ordered.append(by_user[False])
        end = offset + limit if limit else None
        return ordered[offset:end]

    @api.model_create_multi
    def create(self, vals_list):
        corrected = self._check_recorded_create(vals_list)
        Sequence = self.env["ir.sequence"]
        sequences = {}
        now = fields.Datetime.now()
        for vals in vals_list:
            received = (
                vals.get("date_received")
                or self.env.context.get("default_date_received")
                or now
            )
            vals.setdefault("date_received", received)
            vals.setdefault("date_last_agent_update", received)
            # the portal link's token, made now rather than by the first page
            # that shows the link (a write in a GET, waiting for any lock)
            vals.setdefault("access_token", str(uuid.uuid4()))
            if vals.get("ticket_ref", "New") == "New":
                company_id = vals.get("company_id") or self.env.company.id
                # the sequence is looked up once per company for the batch
                if company_id not in sequences:
                    sequences[company_id] = Sequence.with_company(company_id).search(
                        [
                            ("code", "=", "helpdesk.ticket"),
                            ("company_id", "in", [company_id, False]),
                        ],
                        order="company_id",
                        limit=1,
                    )
                seq = sequences[company_id]
                vals["ticket_ref"] = (seq and seq.next_by_id()) or "New"
            if "channel" not in vals and self.env.context.get("helpdesk_channel"):
                vals["channel"] = self.env.context["helpdesk_channel"]
        # the agent is chosen now and inserted with the ticket: no UPDATE,
        # tracking and follower pass after the insert
        auto_assigned = self._assign_on_create(vals_list)
        # the notices of the new tickets (to the team's followers, to the
        # assigned agent, the client's acknowledgement) are queued for the
        # scheduled-messages cron, which renders and sends them right after the
        # commit: see _notify_thread; their followers are added in one batch
        # (see _message_auto_subscribe)
        context = self.env.context
        creator = (
            not context.get("mail_create_nosubscribe")
            and not context.get("tracking_disable")
            and self.env.user.active
            and self.env.user.partner_id
        )
        # the frame's key is its depth: creations one after another share
        # their contexts, hence their environments (see _notify_later_token)
        token = self._notify_later_token()
        try:
            live = self.with_context(helpdesk_notify_later=token)
            tickets = (
                super(
                    HelpdeskTicket,
                    live.with_context(
                        helpdesk_subscribe_later=token, mail_create_nosubscribe=True
                    ),
                )
                .create(vals_list)
                .with_env(live.env)
            )
            tickets._subscribe_on_create(token, creator)
            now = fields.Datetime.now()
            # the agent of an auto-assigned ticket comes with its 'assigned' row
            events = [
                tickets._prepare_event_vals(
                    ticket,
                    "received",
                    date=now,
                    **({"agent_id": False} if index in auto_assigned else {}),
                )
                for index, ticket in enumerate(tickets)
            ]
            # a ticket created beyond 'New' (an agent logging a call he is handling)
            # is acknowledged at once
            handled = tickets.filtered(lambda t: t.stage_kind not in ("new", False))
            if handled:
                super(HelpdeskTicket, handled).write({"date_ack": now})
                done = handled.filtered("is_closed")
                if done:
                    super(HelpdeskTicket, done).write({"date_resolved": now})
                closed = done.filtered(lambda t: t.stage_kind == "closed")
                if closed:
                    super(HelpdeskTicket, closed).write({"date_closed": now})
                assigned_ids = {tickets[index].id for index in auto_assigned}
                events += [
                    tickets._prepare_event_vals(
                        ticket,
                        "acknowledged",
                        date=now,
                        **({"agent_id": False} if ticket.id in assigned_ids else {}),
                    )
                    for ticket in handled
                ]
            for index, team in auto_assigned.items():
                ticket = tickets[index]
                events.append(tickets._prepare_assigned_event_vals(ticket, team, now))
            # tickets whose team came from elsewhere (a default, an override)
            events += tickets._auto_assign(now)
            self.env["helpdesk.ticket.event"].sudo().create(events)
            tickets._sla_sync(now)
            tickets._send_acknowledgement()
            self._send_queued_notifications(token)
        finally:
            # a failed creation leaves no open frame behind
            self._close_notify_frame(token)
        if corrected:
            # an administrator's figures: logged as corrections from nothing
            tickets._log_recorded_changes(
                {ticket.id: dict.fromkeys(corrected, "") for ticket in tickets}
            )
        return tickets.with_env(self.env)

    def write(self, vals):
        corrected = self._check_recorded_write(vals)
        before_corrected = self._snapshot_recorded(corrected) if corrected else {}
        tracked = {"stage_id", "user_id", "priority", "is_vip"} & set(vals)
        before = {}
        if tracked:
            before = {
                ticket.id: (
                    ticket.stage_id,
                    ticket.user_id,
                    ticket.priority,
                    ticket.priority_effective,
                )
                for ticket in self
            }
        if "stage_id" in vals:
            vals.setdefault("date_last_stage_update", fields.Datetime.now())
            vals.setdefault("date_last_agent_update", vals["date_last_stage_update"])
            stage = self.env["helpdesk.stage"].browse(vals["stage_id"])
            if stage.kind == "closed":
                vals.setdefault("date_closed", fields.Datetime.now())
        res = super().write(vals)
        if tracked:
            self._log_changes(before)
        if "stage_id" in vals:
            self._close_children_with_parent(before)
        if SLA_TRIGGER_FIELDS & set(vals):
            self._sla_sync()
        if corrected:
            self._log_recorded_changes(before_corrected)
        return res

    def _get_recorded_ticket(self):
        self.ensure_one()
        return self

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        with_time = set(
            self.env["account.analytic.line"]
            .sudo()
            .search([("helpdesk_ticket_id", "in", self.ids)])
            .helpdesk_ticket_id.ids
        )
        for ticket in self:
            if (
                ticket.contact_count
                or ticket.stage_kind not in ("new", False)
                or ticket.id in with_time
            ):
                raise UserError(
                    self.env._(
                        "%(ticket)s has a history with the client and cannot be "
                        "deleted: archive it instead.",
                        ticket=ticket.display_name,
                    )
                )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for ticket, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%s (copy)", ticket.name))
        return vals_list

    def _order_to_sql(self, order, query, alias=None, reverse=False):
        # clients may not read the effective priority (it tells VIPs), which
        # the default order sorts by (searches, and x2many fields of tickets
        # read by a client): theirs sorts by the priority they see
        order = order or self._order
        if "priority_effective" in order and not self._fields[
            "priority_effective"
        ].is_accessible(self.env):
            order = order.replace("priority_effective", "priority")
        return super()._order_to_sql(order, query, alias=alias, reverse=reverse)

    # ------------------------------------------------------------ timeline
    def _prepare_event_vals(self, ticket, event_type, **kw):
        vals = {
            "ticket_id": ticket.id,
            "event_type": event_type,
            "date": kw.pop("date", None) or fields.Datetime.now(),
            "user_id": kw.pop("user_id", self.env.uid),
            "team_id": ticket.team_id.id,
            "stage_id": ticket.stage_id.id,
            "agent_id": ticket.user_id.id,
        }
        vals.update(kw)
        return vals

    @api.model
    def _assign_on_create(self, vals_list):
        """Choose the agents of new tickets of teams that assign automatically,
        in their values (before the insert), in batch per team. Returns
        {index in vals_list: team} of the tickets it assigned."""
        context = self.env.context
        pending = {}
        for index, vals in enumerate(vals_list):
            if vals.get("user_id") or (
                "user_id" not in vals and context.get("default_user_id")
            ):
                continue
            team_id = vals.get("team_id", context.get("default_team_id"))
            if team_id:
                pending.setdefault(team_id, []).append(index)
        Team = self.env["helpdesk.team"]
        Type = self.env["helpdesk.ticket.type"]
        assigned = {}
        for team_id, indexes in pending.items():
            team = Team.browse(team_id)
            if team.assign_method in (False, "manual"):
                continue
            types = [
                Type.browse(
                    vals_list[index].get("type_id", context.get("default_type_id"))
                )
                for index in indexes
            ]
            users = team._assign_users_by_type(types)
            for index, user in zip(indexes, users, strict=False):
                vals_list[index]["user_id"] = user.id
                assigned[index] = team
        return assigned

    def _prepare_assigned_event_vals(self, ticket, team, now):
        return self._prepare_event_vals(
            ticket,
            "assigned",
            date=now,
            new_value=ticket.user_id.name,
            note=self.env._(
                "Assigned automatically (%(method)s)", method=team.assign_method
            ),
        )

    def _auto_assign(self, now):
        """Give an agent to the unassigned tickets of teams that assign
        automatically. Returns the timeline rows to create."""
        events = []
        unassigned = self.filtered(
            lambda t: not t.user_id and t.team_id.assign_method not in (False, "manual")
        )
        for team, tickets in unassigned.grouped("team_id").items():
            assignment = team._assign_users(tickets)
            by_user = {}
            for ticket, user in assignment.items():
                by_user.setdefault(user, self.browse())
                by_user[user] |= ticket
            for user, user_tickets in by_user.items():
                # plain super().write: the timeline rows are built here, in batch
                super(HelpdeskTicket, user_tickets).write({"user_id": user.id})
                events += [
                    self._prepare_assigned_event_vals(t, team, now)
                    for t in user_tickets
                ]
        return events

    def _log_changes(self, before):
        """Timeline rows and derived dates after a write of tracked fields."""
        now = fields.Datetime.now()
        events = []
        reopened = self.browse()
        for ticket in self:
            old_stage, old_user, old_priority, old_effective = before[ticket.id]
            stage = ticket.stage_id
            if stage != old_stage:
                events += ticket._stage_change_events(old_stage, now)
                if old_stage.is_closing and not stage.is_closing:
                    reopened |= ticket
            if ticket.user_id != old_user:
                events.append(
                    self._prepare_event_vals(
                        ticket,
                        "reassigned" if old_user else "assigned",
                        date=now,
                        old_value=old_user.name or False,
                        new_value=ticket.user_id.name or False,
                    )
                )
            if (
                ticket.priority != old_priority
                or ticket.priority_effective != old_effective
            ):
                labels = dict(PRIORITIES)
                events.append(
                    self._prepare_event_vals(
                        ticket,
                        "priority",
                        date=now,
                        old_value=labels.get(old_priority),
                        new_value=labels.get(ticket.priority),
                        note=self.env._(
                            "Effective priority %(old)s → %(new)s",
                            old=old_effective,
                            new=ticket.priority_effective,
                        ),
                    )
                )
        if events:
            self.env["helpdesk.ticket.event"].sudo().create(events)
        # derived dates: one UPDATE per group of identical values
        to_ack = self.filtered(
            lambda t: (
                not t.date_ack
                and t.stage_id != before[t.id][0]
                and t.stage_kind != "new"
            )
        )
        if to_ack:
            super(HelpdeskTicket, to_ack).write({"date_ack": now})
        resolved = self.filtered(
            lambda t: (
                t.is_closed and not before[t.id][0].is_closing and not t.date_resolved
            )
        )
        if resolved:
            super(HelpdeskTicket, resolved).write({"date_resolved": now})
        for ticket in reopened:
            super(HelpdeskTicket, ticket).write(
                {
                    "reopen_count": ticket.reopen_count + 1,
                    "date_resolved": False,
                    "date_closed": False,
                }
            )
        return True

    def _stage_change_events(self, old_stage, now):
        self.ensure_one()
        stage = self.stage_id
        kind_event = {
            "in_progress": "work_started",
            "waiting": "waiting",
            "resolved": "resolved",
            "closed": "closed",
        }
        events = []
        if old_stage.is_closing and not stage.is_closing:
            event_type = "reopened"
        elif stage.kind == "in_progress" and old_stage.kind == "waiting":
            event_type = "stage"
        else:
            event_type = kind_event.get(stage.kind, "stage")
        if stage.kind != "new" and not self.date_ack:
            events.append(self._prepare_event_vals(self, "acknowledged", date=now))
        events.append(
            self._prepare_event_vals(
                self,
                event_type,
                date=now,
                old_value=old_stage.name,
                new_value=stage.name,
            )
        )
        return events

    # ------------------------------------------------------------ service level
    def _sla_sync(self, now=None):
        """Bring the SLA target lines of the tickets in line with their policy and
        their timeline: create, update or drop lines, in batch. Also stores the
        working-time KPIs of the targets reached."""
        if not self:
            return True
        now = now or fields.Datetime.now()
        Line = self.env["helpdesk.ticket.sla"].sudo()
        # no flush of the tickets: the searches below flush what they read, the
        # rest is read from memory (stored computes stay pending until the
        # request's flush, all tickets at once)
        existing = {
            (line.ticket_id.id, line.target): line for line in self.sudo().sla_line_ids
        }
        events_by_ticket = (
            self.sudo().event_ids.sorted(lambda e: (e.date, e.id)).grouped("ticket_id")
        )
        no_events = self.env["helpdesk.ticket.event"]
        clocks = {}
        to_create = []
        kpis = {}
        for ticket in self:
            sla = ticket.sla_id
            calendar = (
                sla.resource_calendar_id if sla else ticket.team_id.resource_calendar_id
            )
            clock = clocks.setdefault(calendar.id, SlaClock(calendar))
            events = events_by_ticket.get(ticket, no_events)
            targets = sla._get_target_minutes() if sla else {}
            kpi = {}
            for target, field in TARGET_DATE_FIELD.items():
                line = existing.pop((ticket.id, target), None)
                minutes = targets.get(target)
                if not minutes:
                    if line:
                        line.unlink()
                    if ticket[field]:
                        kpi[target] = clock.working_minutes(
                            ticket.date_received, ticket[field]
                        )
                    continue
                vals = Line._compute_values(
                    ticket, sla, target, minutes, clock, events, now
                )
                if vals["date_reached"]:
                    kpi[target] = vals["spent_minutes"]
                if line:
                    if line.sla_id != sla or line.target_minutes != minutes:
                        vals.update(
                            sla_id=sla.id,
                            target_minutes=minutes,
                            is_warned=False,
                            is_escalated=False,
                        )
                    changed = {
                        k: v
                        for k, v in vals.items()
                        if line._fields[k].convert_to_write(line[k], line) != v
                    }
                    if changed:
                        line.write(changed)
                else:
                    to_create.append(
                        dict(
                            vals,
                            ticket_id=ticket.id,
                            sla_id=sla.id,
                            target=target,
                            target_minutes=minutes,
                        )
                    )
            kpis[ticket] = {
                "time_ack_work_minutes": round(kpi.get("ack", 0.0), 2),
                "time_report_work_minutes": round(kpi.get("report", 0.0), 2),
                "time_resolve_work_hours": round(kpi.get("resolve", 0.0) / 60, 3),
            }
        if to_create:
            Line.create(to_create)
        for ticket, values in kpis.items():
            changed = {k: v for k, v in values.items() if ticket[k] != v}
            if changed:
                super(HelpdeskTicket, ticket).write(changed)
        return True

    # ------------------------------------------------------------ follow-up
    @api.model
    def _get_followup_agent_domain(self, team, now):
        """Open, assigned tickets of `team` without an agent update (public
        reply, change of stage) for the team's number of hours."""
        limit = now - timedelta(hours=team.followup_agent_hours)
        return [
            ("team_id", "=", team.id),
            ("is_closed", "=", False),
            ("stage_kind", "not in", ("waiting", "resolved")),
            ("user_id", "!=", False),
            "|",
            ("date_last_agent_update", "<=", limit),
            "&",
            ("date_last_agent_update", "=", False),
            ("date_received", "<=", limit),
        ]

    @api.model
    def _get_followup_client_domain(self, team, now):
        """Tickets of `team` waiting for the client's answer for the team's
        number of hours."""
        return [
            ("team_id", "=", team.id),
            ("stage_kind", "=", "waiting"),
            ("partner_id", "!=", False),
            (
                "date_last_stage_update",
                "<=",
                now - timedelta(hours=team.followup_client_hours),
            ),
        ]

    @api.model
    def _get_autoclose_domain(self, team, now):
        """Tickets of `team` resolved for the team's number of days."""
        return [
            ("team_id", "=", team.id),
            ("stage_kind", "=", "resolved"),
            ("date_resolved", "<=", now - timedelta(days=team.autoclose_days)),
        ]

    @api.model
    def _get_followup_condition(self, job):
        """What a domain cannot say (one column against another): the ticket was
        not handled yet since its last update."""

        def column(name):
            return SQL.identifier(self._table, name)

        if job == "agent":
            return SQL(
                "(%(reminded)s IS NULL "
                "OR %(reminded)s < COALESCE(%(update)s, %(received)s))",
                reminded=column("date_followup_agent"),
                update=column("date_last_agent_update"),
                received=column("date_received"),
            )
        if job == "client":
            # no client message since the ticket entered the waiting stage
            Event = self.env["helpdesk.ticket.event"]
            return SQL(
                "(%(reminded)s IS NULL OR %(reminded)s < %(entered)s) "
                "AND NOT EXISTS (SELECT 1 FROM %(event)s "
                "WHERE %(event_ticket)s = %(id)s "
                "AND %(event_type)s = 'client_message' "
                "AND %(event_date)s >= %(entered)s)",
                reminded=column("date_followup_client"),
                entered=column("date_last_stage_update"),
                id=column("id"),
                event=SQL.identifier(Event._table),
                event_ticket=SQL.identifier(Event._table, "ticket_id"),
                event_type=SQL.identifier(Event._table, "event_type"),
                event_date=SQL.identifier(Event._table, "date"),
            )
        return None

    @api.model
    def _get_followup_query(self, team, job, now):
        domain = {
            "agent": self._get_followup_agent_domain,
            "client": self._get_followup_client_domain,
            "autoclose": self._get_autoclose_domain,
        }[job](team, now)
        query = self._search(domain, order="id")
        condition = self._get_followup_condition(job)
        if condition:
            query.add_where(condition)
        return query

    @api.model
    def _get_followup_jobs(self, team):
        """The follow-up jobs `team` has turned on."""
        jobs = []
        if team.followup_agent_hours > 0:
            jobs.append("agent")
        if team.followup_client_hours > 0:
            jobs.append("client")
        if team.autoclose_days > 0 and team._get_stage_of_kind("closed"):
            jobs.append("autoclose")
        return jobs

    @api.model
    def _followup_fetch(self, team, job, now, limit, ids=None):
        """Up to `limit` tickets due for `job` (among `ids` if given), locked for
        this transaction; tickets another transaction holds are left for the
        next run."""
        if limit <= 0 or ids is not None and not ids:
            return self.browse()
        query = self._get_followup_query(team, job, now)
        if query.is_empty():
            return self.browse()
        if ids is not None:
            query.add_where(
                SQL("%s IN %s", SQL.identifier(self._table, "id"), tuple(ids))
            )
        query.limit = limit
        self._flush_followup()
        rows = self.env.execute_query(
            tools.SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                query.select(),
                tools.SQL.identifier(self._table),
            )
        )
        return self.browse(row[0] for row in rows)

    @api.model
    def _flush_followup(self):
        """The conditions of _get_followup_condition read columns the ORM does
        not know of: write them out first."""
        self.flush_model()
        self.env["helpdesk.ticket.event"].flush_model(
            ["ticket_id", "event_type", "date"]
        )

    @api.model
    def _cron_followup(self, batch_size=500):
        """Per team: remind assignees of tickets without an agent update, remind
        clients of tickets waiting for their answer, close tickets resolved long
        enough. Each ticket is marked in the same transaction (reminder date,
        closed stage), so a rerun does nothing until the ticket moves again.
        Returns how many tickets it handled or handed to jobs.

        More tickets due than a job takes (_cron_job_chunk_size) are shared out
        as queue jobs (_job_followup), per team and follow-up; tickets already
        in a job not done yet are left to it. Fewer are handled here at once: a
        job would only add its latency. If that fails, they are handed to jobs
        too, which set the failing ticket apart."""
        now = fields.Datetime.now()
        teams = self.env["helpdesk.team"].search(
            [
                "|",
                "|",
                ("followup_agent_hours", ">", 0),
                ("followup_client_hours", ">", 0),
                ("autoclose_days", ">", 0),
            ]
        )
        busy = self._cron_job_busy_ids("_job_followup")
        due = []
        for team in teams:
            Ticket = self.with_company(team.company_id)
            for job in Ticket._get_followup_jobs(team):
                ids = [
                    ticket_id
                    for ticket_id in Ticket._followup_due_ids(team, job, now)
                    if ticket_id not in busy
                ]
                if ids:
                    due.append((team, Ticket, job, ids))
        total = sum(len(ids) for _team, _ticket, _job, ids in due)
        size = self._cron_job_chunk_size()
        if size and total > size:
            return self._enqueue_followup(due, size)
        done = 0
        try:
            with self.env.cr.savepoint():
                for team, Ticket, job, ids in due:
                    tickets = Ticket._followup_fetch(
                        team, job, now, batch_size - done, ids=ids
                    )
                    if tickets:
                        getattr(tickets, self._get_followup_handler(job))(team, now)
                        done += len(tickets)
        except Exception:
            if not size:
                raise
            _logger.warning(
                "Follow-up failed: the tickets are handed to jobs", exc_info=True
            )
            return self._enqueue_followup(due, size)
        remaining = max(0, total - done) if done else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _get_followup_handler(self, job):
        """The method doing the follow-up `job` on tickets."""
        return {
            "agent": "_followup_remind_agent",
            "client": "_followup_remind_client",
            "autoclose": "_followup_autoclose",
        }[job]

    @api.model
    def _followup_due_ids(self, team, job, now):
        """Ids of the tickets due for `job` (ids only, no lock: a cheap query)."""
        query = self._get_followup_query(team, job, now)
        if query.is_empty():
            return []
        self._flush_followup()
        return [row[0] for row in self.env.execute_query(query.select())]

    @api.model
    def _enqueue_followup(self, due, size):
        """Jobs of up to `size` tickets for the (team, model, job, ids) of `due`;
        returns how many tickets they take."""
        total = 0
        for team, Ticket, job, ids in due:
            for chunk in tools.split_every(size, ids):
                Ticket.browse(chunk)._cron_job_enqueue("_job_followup", team, job)
            total += len(ids)
        self.env["ir.cron"]._notify_progress(done=total, remaining=0)
        _logger.info("Follow-up: %s tickets handed to jobs", total)
        return total

    def _job_followup(self, team, job):
        """Queue job: the follow-up `job` of `team` on these tickets, those
        still due when it runs (locked, SKIP LOCKED), in its own transaction."""

        def work(records):
            if not team.exists() or job not in records._get_followup_jobs(team):
                return "turned off"
            now = fields.Datetime.now()
            tickets = records._followup_fetch(
                team, job, now, len(records), ids=records.ids
            )
            if tickets:
                getattr(tickets, records._get_followup_handler(job))(team, now)
            return f"{len(tickets)} tickets"

        return self._cron_job_isolate(work, "_job_followup", team, job)

    def _cron_job_description(self, method, *args):
        if method == "_job_followup":
            team, job = args
            return self.env._(
                "Follow-up (%(job)s) of %(count)s tickets of %(team)s",
                job=job,
                count=len(self),
                team=team.name,
            )
        return super()._cron_job_description(method, *args)

    def _followup_remind_agent(self, team, now):
        """A to-do for the assignee of each ticket, created at once."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        # in each assignee's language
        summaries = {
            lang: self.with_context(lang=lang).env._(
                "No update for %(hours)s hours", hours=team.followup_agent_hours
            )
            for lang in {ticket.user_id.lang for ticket in self}
        }
        today = fields.Date.context_today(self, now)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "user_id": ticket.user_id.id,
                    "summary": summaries[ticket.user_id.lang],
                    "date_deadline": today,
                }
                for ticket in self
            ]
        )
        self._write_recorded({"date_followup_agent": now})
        return True

    def _followup_remind_client(self, team, now):
        """A public message to the client (follower), which is no contact."""
        template = self.env.ref(
            "helpdesk_service.mail_template_followup_client", raise_if_not_found=False
        )
        if template:
            self.with_context(helpdesk_no_contact=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="auto_comment",
            )
        self._write_recorded({"date_followup_client": now})
        return True

    def _followup_autoclose(self, team, now):
        """Close the tickets and tell the clients how to reopen them."""
        self.write({"stage_id": team._get_stage_of_kind("closed").id})
        template = self.env.ref(
            "helpdesk_service.mail_template_autoclose", raise_if_not_found=False
        )
        if template:
            self.with_context(helpdesk_no_contact=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="auto_comment",
            )
        return True

    # ------------------------------------------------------------ mail
    @api.model
    def _notify_later_token(self):
        """Open a frame that gathers the notifications of the messages posted
        on tickets in an env whose context has its key as
        `helpdesk_notify_later` (see _notify_thread), until
        _send_queued_notifications(key); _close_notify_frame(key) drops it. The
        key is the frame's depth (creations nest): tickets created one after
        another in a transaction share their contexts, hence their
        environments. A key per creation would leave an environment per ticket
        alive until the commit (mail's tracking callbacks hold its records),
        and Odoo looks every new environment up among the live ones."""
        frames = self.env.cr.cache.setdefault(_CREATE_FRAMES, [])
        frames.append({"notify": [], "subscribe": [], "lookup": {}, "new_ids": set()})
        return len(frames)

    @api.model
    def _get_notify_frame(self, token):
        """The open frame of `token`, or None: messages posted once it is
        closed (at the commit, say) are notified as usual."""
        frames = self.env.cr.cache.get(_CREATE_FRAMES) or ()
        if not token or len(frames) < token:
            return None
        return frames[token - 1]

    @api.model
    def _close_notify_frame(self, token):
        """Drop the frame of `token` (and any left open inside it); return it,
        or None if it was closed already."""
        frame = self._get_notify_frame(token)
        if frame is not None:
            del self.env.cr.cache[_CREATE_FRAMES][token - 1 :]
        return frame

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        # while tickets are created, their followers are gathered and added in
        # one batch (see _subscribe_on_create)
        frame = self._get_notify_frame(self.env.context.get("helpdesk_subscribe_later"))
        if frame is None or not self:
            return super()._message_auto_subscribe(
                updated_values, followers_existing_policy=followers_existing_policy
            )
        frame["subscribe"].append((self.ids, dict(updated_values)))
        # the tickets mail.thread's create is about to post the creation
        # message of (see _message_compute_parent_id)
        frame["new_ids"].update(self.ids)
        return True

    def _subscribe_on_create(self, token, creator=False):
        """Add the followers of new tickets in one batch: their creator (the
        `creator` partner, if any), those mail.thread's auto-subscription asks
        for (the team's followers, the assigned agent, who gets the assignment
        notice) and the client's contact. Mirrors mail.thread's create and
        _message_auto_subscribe, with one query per step for all tickets."""
        frame = self._get_notify_frame(token)
        entries = frame["subscribe"] if frame else []
        if frame:
            frame["subscribe"] = []
            frame["new_ids"].clear()
        if not self:
            return
        Subtype = self.env["mail.message.subtype"]
        default, _internal, external = Subtype.default_subtypes(self._name)
        auto_subtypes = Subtype._get_auto_subscription_subtypes(self._name)
        relation = auto_subtypes[4]
        parent_followers = self._get_parent_followers(entries, auto_subtypes)
        wanted = {
            ticket_id: {creator.id: set(default.ids)} if creator else {}
            for ticket_id in self.ids
        }
        notify = {}
        for ids, values in entries:
            subtypes = {}
            for res_model, fnames in relation.items():
                for fname in fnames:
                    if values.get(fname):
                        subtypes.update(
                            parent_followers.get((res_model, values[fname]), {})
                        )
            templates = {}
            for pid, sids, template in self.browse(
                ids
            )._message_auto_subscribe_followers(values, auto_subtypes[1]):
                subtypes.setdefault(
                    pid, set(auto_subtypes[1] if sids is False else sids)
                )
                if template:
                    lang = self.env["res.partner"].browse(pid).lang
                    templates.setdefault((template, lang), []).append(pid)
            for key, pids in templates.items():
                notify.setdefault((*key, tuple(pids)), []).extend(ids)
            for ticket_id in ids:
                followers = wanted.setdefault(ticket_id, {})
                for pid, sids in subtypes.items():
                    followers[pid] = followers.get(pid, set()) | set(sids)
        # the client's contact, with the subtypes of a customer if he is one
        for ticket in self:
            partner = ticket.partner_id.sudo()
            if partner.active:
                subtypes = external if partner.partner_share else default
                wanted[ticket.id].setdefault(partner.id, set(subtypes.ids))
        self._insert_wanted_followers(wanted)
        # the assignment notices, as mail.thread sends them, as superuser: the
        # ticket's creator may create them (mail.message's access check, a
        # query per notice, is skipped) and is still their author
        for (template, lang, pids), ids in notify.items():
            self.browse(ids).sudo().with_context(
                lang=lang
            )._message_auto_subscribe_notify(list(pids), template)

    @api.model
    def _get_parent_followers(self, entries, auto_subtypes):
        """{(model, id): {partner id: subtype ids}}: what the followers of the
        documents the new tickets link to (their team) pass on to them, as
        mail.thread's _message_auto_subscribe computes it; one query per model."""
        child_ids, _def_ids, int_ids, parent, relation = auto_subtypes
        result = {}
        for res_model, fnames in relation.items():
            doc_ids = {
                values[fname]
                for _ids, values in entries
                for fname in fnames
                if values.get(fname)
            }
            if not doc_ids:
                continue
            rows = self.env["mail.followers"]._get_subscription_data(
                [(res_model, list(doc_ids))],
                None,
                include_pshare=True,
                include_active=True,
            )
            for _fid, res_id, pid, sids, pshare, active in rows:
                if not pid or not active:
                    continue
                sids = {parent[sid] for sid in sids if parent.get(sid)} | {
                    sid for sid in sids if sid not in parent and sid in child_ids
                }
                result.setdefault((res_model, res_id), {})[pid] = (
                    sids - set(int_ids) if pshare else sids
                )
        return result

    @api.model
    def _insert_wanted_followers(self, wanted):
        """Subscribe {ticket id: {partner id: subtype ids}} in one insert;
        a partner already following a ticket gets the missing subtypes."""
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (res_id, pid): (fid, set(sids))
            for fid, res_id, pid, sids in Followers._get_subscription_data(
                [(self._name, list(wanted))], None
            )
            if pid
        }
        to_create = []
        for ticket_id, followers in wanted.items():
            for pid, sids in followers.items():
                if (ticket_id, pid) not in existing:
                    to_create.append(
                        {
                            "res_model": self._name,
                            "res_id": ticket_id,
                            "partner_id": pid,
                            "subtype_ids": [Command.set(sorted(sids))],
                        }
                    )
                    continue
                fid, old = existing[(ticket_id, pid)]
                if sids - old:
                    Followers.browse(fid).write(
                        {"subtype_ids": [Command.link(sid) for sid in sids - old]}
                    )
        if to_create:
            Followers.with_context(default_partner_id=False).create(to_create)

    def _message_compute_parent_id(self, parent_id):
        # the creation message of a ticket being created is its first message:
        # no search for an earlier one to attach it to
        frame = self._get_notify_frame(self.env.context.get("helpdesk_notify_later"))
        if (
            frame is not None
            and not parent_id
            and len(self) == 1
            and self.id in frame["new_ids"]
        ):
            frame["new_ids"].discard(self.id)
            return False
        return super()._message_compute_parent_id(parent_id)

    def _notify_get_reply_to(self, default=None):
        # while tickets are created, the reply-to addresses of their creation
        # messages and notices are looked up once for the batch (the tickets
        # the posting one was created with), not once per message
        return self._helpdesk_batch_lookup(
            "_notify_get_reply_to", default, default=default
        )

    def _mail_get_alias_domains(self, default_company=False):
        # the same for the alias domains of their messages
        return self._helpdesk_batch_lookup(
            "_mail_get_alias_domains",
            default_company and default_company.id,
            default_company=default_company,
        )

    def _helpdesk_batch_lookup(self, method, key, **kwargs):
        """{ticket id: value} of mail.thread's per-record look-up `method`
        (called with kwargs), computed once for all the tickets being created
        with self (its prefetch) and kept until the end of their creation."""
        frame = self._get_notify_frame(self.env.context.get("helpdesk_notify_later"))
        parent = getattr(super(), method)
        if frame is None or not self:
            return parent(**kwargs)
        known = frame["lookup"].setdefault((method, key), {})
        if any(ticket_id not in known for ticket_id in self.ids):
            batch_ids = {
                ticket_id
                for ticket_id in self._prefetch_ids
                if isinstance(ticket_id, int) and ticket_id not in known
            }
            todo = self.browse(sorted(batch_ids | set(self.ids) - set(known)))
            known.update(getattr(super(HelpdeskTicket, todo), method)(**kwargs))
        return {ticket_id: known[ticket_id] for ticket_id in self.ids}

    @api.model
    def _send_queued_notifications(self, token):
        """Close the frame of `token` and hand its queued notifications to the
        scheduled-messages job (one batch insert; the job is triggered for
        now)."""
        frame = self._close_notify_frame(token)
        if frame and frame["notify"]:
            self.env["mail.message.schedule"].sudo().create(frame["notify"])

    def _notify_thread(self, message, msg_vals=False, **kwargs):
        """Queue the notifications of the messages posted while tickets are
        created (the creation notice to the team's followers, the assignment
        notice, the client's acknowledgement) for the scheduled-messages cron,
        triggered for now: creating a ticket, by an agent, the portal or the
        mail gateway, then costs no e-mail rendering. Odoo's own scheduled
        messages take the same way. The messages themselves are created at
        once, in the ticket's conversation."""
        if self._is_silent_creation(message, msg_vals):
            # nobody to tell (see _notify_get_recipients): nothing to compute
            # or to queue
            return []
        frame = self._get_notify_frame(self.env.context.get("helpdesk_notify_later"))
        if frame is None or kwargs.get("scheduled_date"):
            return super()._notify_thread(message, msg_vals=msg_vals, **kwargs)
        frame["notify"].append(
            {
                "scheduled_datetime": fields.Datetime.now(),
                "mail_message_id": message.id,
                "notification_parameters": json.dumps(kwargs),
            }
        )
        return []

    def _send_acknowledgement(self):
        """Tell the client his request is registered, with its number. Tickets
        of known contacts get it in their conversation; tickets kept with an
        address only get a plain e-mail, so that no contact is created."""
        to_ack = self.filtered(
            lambda t: (
                t.channel in CLIENT_CHANNELS
                and t.team_id.ack_template_id
                and (t.partner_id.email or t.partner_email)
            )
        )
        for ticket in to_ack.filtered("partner_id"):
            # a subtype no follower has: the client only gets it (see
            # _notify_get_recipients), never the agents following the team
            ticket.with_context(helpdesk_no_contact=True).message_post_with_source(
                ticket.team_id.ack_template_id,
                subtype_xmlid="helpdesk_service.mt_ticket_ack",
                message_type="auto_comment",
            )
        for template, tickets in (
            (to_ack - to_ack.filtered("partner_id"))
            .grouped(lambda t: t.team_id.ack_template_id)
            .items()
        ):
            template.send_mail_batch(tickets.ids)

    # who gets the notifications of a ticket's messages, and with what: the
    # client's acknowledgement goes to the client only, the 'Ticket created'
    # notice follows the team's setting, the rating links of an answer go to
    # the ticket's client contacts only
    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if len(self) != 1 or not recipients:
            return recipients
        subtype_id = (msg_vals or {}).get("subtype_id") or message.subtype_id.id
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        is_ack = subtype_id == xmlid_to_res_id("helpdesk_service.mt_ticket_ack")
        is_silent_creation = (
            subtype_id == xmlid_to_res_id("helpdesk_service.mt_ticket_new")
            and not self.sudo().team_id.notify_new_tickets
        )
        if is_ack or is_silent_creation:
            # only the message's own recipients, none of the followers
            explicit = set(message.sudo().partner_ids.ids)
            recipients = [data for data in recipients if data["id"] in explicit]
        return recipients

    def _is_silent_creation(self, message, msg_vals=False):
        """Whether `message` is the creation message of a ticket whose team
        does not announce new tickets, addressed to nobody in particular: it
        notifies nobody."""
        if len(self) != 1:
            return False
        msg_vals = msg_vals or {}
        subtype_id = msg_vals.get("subtype_id") or message.subtype_id.id
        if subtype_id != self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_service.mt_ticket_new"
        ):
            return False
        if self.sudo().team_id.notify_new_tickets:
            return False
        if "partner_ids" in msg_vals:
            return not msg_vals["partner_ids"]
        return not message.sudo().partner_ids

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The recipients who belong to the ticket's client get a copy of each
        group (same buttons) with the answer's rating links; everybody else, the
        agents following the ticket first, gets the e-mail without them."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if len(self) != 1 or not self.partner_id or not message:
            return groups
        links = self._helpdesk_rating_links(message)
        if not links:
            return groups
        client_ids = set(self._helpdesk_client_partners(message).ids)

        def is_client(pdata):
            return pdata["id"] in client_ids

        rating_groups = []
        for name, func, data in groups:
            rating_data = dict(data, helpdesk_rating_links=links)
            rating_data.pop("recipients", None)
            rating_groups.append(
                [
                    f"helpdesk_rating_{name}",
                    lambda pdata, func=func: is_client(pdata) and func(pdata),
                    rating_data,
                ]
            )
        return rating_groups + groups

    def _notify_by_email_render_layout(
        self, message, recipients_group, msg_vals=False, render_values=None
    ):
        links = recipients_group.get("helpdesk_rating_links")
        if links:
            render_values = dict(render_values or {})
            render_values["subtitles"] = [*render_values.get("subtitles", []), links]
            render_values["email_notification_force_header"] = True
        return super()._notify_by_email_render_layout(
            message, recipients_group, msg_vals=msg_vals, render_values=render_values
        )

    def _helpdesk_client_partners(self, message):
        """The possible recipients (followers, the message's recipients) who
        belong to the ticket's client: its contact, and the contacts of the
        client company that are no internal users."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        candidates = self.sudo().message_partner_ids | message.sudo().partner_ids
        return self.partner_id | candidates.filtered(
            lambda p: (
                p.commercial_partner_id == client
                and not p.user_ids.filtered(lambda u: not u.share)
            )
        )

    def _helpdesk_rating_links(self, message):
        """The 'Was this answer helpful? Good · Bad' line of an answer that is
        still to rate, or None."""
        self.ensure_one()
        rating = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [("helpdesk_message_id", "=", message.id), ("consumed", "=", False)],
                limit=1,
            )
        )
        if not rating:
            return None
        base = rating.get_base_url()
        link = Markup('<a href="%s/rate/%s/%s">%s</a>')
        return Markup("%s %s · %s") % (
            self.env._("Was this answer helpful?"),
            link % (base, rating.access_token, 5, self.env._("Good")),
            link % (base, rating.access_token, 1, self.env._("Bad")),
        )

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in changes and ticket.stage_id.template_id:
            res["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("helpdesk_service.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _creation_subtype(self):
        # cached xmlid look-up: env.ref() would check that it exists, a query
        # per created ticket
        return self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("helpdesk_service.mt_ticket_new")
        )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from an e-mail sent to a team's alias."""
        values = dict(custom_values or {})
        team = self.env["helpdesk.team"].browse(values.get("team_id"))
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            name, email = tools.parse_contact_from_email(msg_dict["email_from"])
            if team.create_unknown_partner and email:
                msg_dict["author_id"] = (
                    self.env["res.partner"]
                    .sudo()
                    .create({"name": name or email, "email": email})
                    .id
                )
            else:
                values.setdefault("partner_email", email or msg_dict["email_from"])
                values.setdefault("partner_name", name or email)
        values.setdefault("name", msg_dict.get("subject") or self.env._("No subject"))
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        if msg_dict.get("author_id"):
            values.setdefault("partner_id", msg_dict["author_id"])
        return super(
            HelpdeskTicket, self.with_context(mail_create_nolog=True)
        ).message_new(msg_dict, custom_values=values)

    @api.model
    def _route_foreign_reply(self, route, message_dict):
        """Mail gateway route of a reply to a ticket: a contact of another
        client (e.g. one who got the e-mail forwarded and answered it) would
        become a follower of the ticket and read the whole conversation on
        the portal. His message opens a new ticket of the same team instead.
        Returns the route to follow."""
        model, thread_id, _custom_values, user_id, alias = route
        ticket = self.sudo().browse(thread_id).exists()
        author = self.env["res.partner"].sudo().browse(message_dict.get("author_id"))
        if not ticket or not ticket._is_foreign_author(author):
            return route
        values = {"team_id": ticket.team_id.id, "company_id": ticket.company_id.id}
        return (model, False, values, user_id, alias)

    def _is_foreign_author(self, partner):
        """Whether ``partner`` is a contact of another client than the
        ticket's, who neither follows the ticket nor is an agent."""
        self.ensure_one()
        client = self.commercial_partner_id
        if not partner or not client:
            return False
        if partner.user_ids.filtered(lambda user: not user.share):
            return False
        return (
            partner.commercial_partner_id != client
            and partner not in self.message_partner_ids
        )

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("helpdesk_no_contact") or len(self) != 1:
            return res
        if message.message_type not in ("comment", "email"):
            return res
        if not message.subtype_id or message.subtype_id.internal:
            return res  # internal notes are not contacts with the client
        author = message.author_id
        is_agent = bool(author.user_ids.filtered(lambda u: not u.share))
        if is_agent:
            self._on_agent_reply(message)
        else:
            self._on_client_message(message)
        return res

    def _on_agent_reply(self, message):
        self.ensure_one()
        now = fields.Datetime.now()
        vals = {
            "agent_reply_count": self.agent_reply_count + 1,
            "date_last_contact": now,
            "date_last_agent_update": now,
        }
        events = []
        if not self.date_ack:
            vals["date_ack"] = now
            events.append(self._prepare_event_vals(self, "acknowledged", date=now))
        event_type = "reply"
        if not self.date_first_response:
            vals["date_first_response"] = now
            event_type = "first_reply"
        events.append(
            self._prepare_event_vals(
                self,
                event_type,
                date=now,
                message_id=message.id,
                author_id=message.author_id.id,
            )
        )
        super().write(vals)
        self.env["helpdesk.ticket.event"].sudo().create(events)
        self._sla_sync()
        self._create_answer_rating(message)
        if self.is_major_incident and self.relay_to_children:
            self._relay_to_children(message)
        return True

    def _on_client_message(self, message):
        self.ensure_one()
        super().write(
            {
                "client_message_count": self.client_message_count + 1,
                "date_last_contact": fields.Datetime.now(),
            }
        )
        self.env["helpdesk.ticket.event"].sudo().create(
            self._prepare_event_vals(
                self,
                "client_message",
                message_id=message.id,
                author_id=message.author_id.id,
                user_id=message.author_id.user_ids[:1].id or False,
            )
        )
        if self.stage_kind == "waiting":
            stage = self.team_id._get_stage_of_kind("in_progress")
            if stage:
                self.sudo().stage_id = stage
        return True

    def _relay_to_children(self, message):
        """Post a major incident's public reply on its open linked tickets."""
        children = self.child_ids.filtered(lambda t: not t.is_closed)
        for child in children:
            child.message_post(
                body=message.body,
                subject=message.subject,
                author_id=message.author_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=message.attachment_ids.copy(
                    {"res_model": child._name, "res_id": child.id}
                ).ids
                if message.attachment_ids
                else [],
            )

    def _close_children_with_parent(self, before):
        """A major incident entering a closing stage, however it gets there
        (status bar, kanban, Resolve wizard, import), takes its linked tickets
        along: the same kind of stage in each one's team and the incident's
        resolution; the incident's chatter says which. The Resolve wizard's
        "this ticket alone" sets the context key helpdesk_keep_children."""
        if self.env.context.get("helpdesk_keep_children"):
            return
        parents = self.filtered(
            lambda t: (
                t.is_major_incident
                and t.stage_id.is_closing
                and t.stage_id != before[t.id][0]
            )
        )
        for parent in parents:
            kind = parent.stage_id.kind
            children = parent.child_ids.filtered(
                lambda c, kind=kind: (
                    not c.stage_id.is_closing
                    or (kind == "closed" and c.stage_kind == "resolved")
                )
            )
            if not children:
                continue
            vals = {}
            if not is_html_empty(parent.resolution):
                vals["resolution"] = parent.resolution
            for team, team_children in children.grouped("team_id").items():
                stage = team._get_stage_of_kind(kind) or parent.stage_id
                team_children.write(dict(vals, stage_id=stage.id))
            parent._message_log(
                body=self.env._(
                    "%(count)s linked tickets followed the major incident to "
                    "%(stage)s: %(tickets)s",
                    count=len(children),
                    stage=parent.stage_id.name,
                    tickets=", ".join(children.mapped("ticket_ref")),
                )
            )

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    # ------------------------------------------------------------ ratings
    def _create_answer_rating(self, message):
        """A rating request for one public answer, attributed to its author: the
        client rates it good or bad from the notification e-mail or the portal."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["rating.rating"]
        author_user = message.author_id.user_ids.filtered(lambda u: not u.share)[:1]
        return (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "partner_id": self.partner_id.id,
                    "rated_partner_id": message.author_id.id,
                    "helpdesk_kind": "answer",
                    "helpdesk_message_id": message.id,
                    "helpdesk_team_id": self.team_id.id,
                    "helpdesk_user_id": author_user.id,
                    "is_internal": False,
                }
            )
        )

    def _rating_get_access_token(self, partner=None):
        """The token of the ticket's own rating (on resolution), never one of the
        ratings of single answers."""
        # not super(): rating's mail.thread hands out any pending rating of the
        # client, and the rating of an answer is one; it has no hook to narrow
        # its search. Otherwise the same steps (access check, operator).
        self.check_access("read")
        partner = partner or self._rating_get_partner()
        rating = self.rating_ids.sudo().filtered(
            lambda r: (
                r.partner_id == partner
                and not r.consumed
                and r.helpdesk_kind == "ticket"
            )
        )[:1]
        if not rating:
            rating = (
                self.env["rating.rating"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "rated_partner_id": self._rating_get_operator().id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "is_internal": False,
                        "helpdesk_kind": "ticket",
                        "helpdesk_team_id": self.team_id.id,
                        "helpdesk_user_id": self.user_id.id,
                    }
                )
            )
        return rating.access_token

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        # the rating's chatter message is not a contact with the client
        rating = super(
            HelpdeskTicket, self.with_context(helpdesk_no_contact=True)
        ).rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating.helpdesk_is_bad and (feedback or "").strip():
            self._on_negative_feedback(rating)
        return rating

    def _on_negative_feedback(self, rating):
        """A bad rating with a comment is a complaint: flag the ticket and give
        the team lead a follow-up activity."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_complaint:
            ticket.is_complaint = True
        lead = ticket.team_id.user_id or ticket.user_id
        if lead:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lead.id,
                summary=self.env._("Complaint: follow up with the client"),
                note=rating.feedback,
            )
        self.env["helpdesk.ticket.event"].sudo().create(
            self._prepare_event_vals(
                ticket,
                "complaint",
                author_id=rating.partner_id.id,
                user_id=False,
                note=(rating.feedback or "")[:200],
            )
        )
        return True

    # ------------------------------------------------------------ portal
    @api.model
    def _prepare_portal_ticket_vals(
        self,
        partner,
        subject,
        description,
        site=None,
        equipment=None,
        ticket_type=None,
        priority="1",
    ):
        """Values of a ticket a client opens on the portal (already validated)."""
        company = partner.company_id or self.env.company
        team = company._get_helpdesk_request_team()
        return {
            "name": subject,
            "description": description,
            "partner_id": partner.id,
            "team_id": team.id,
            "company_id": company.id,
            "channel": "portal",
            "priority": priority,
            "type_id": ticket_type.id if ticket_type else False,
            "site_id": site.id if site else False,
            "equipment_ids": [Command.set(equipment.ids)] if equipment else [],
        }

    def _portal_reopen_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("helpdesk_service.portal_reopen_days", "14")
        )
        try:
            return int(value)
        except ValueError:
            return 14

    def _portal_can_reopen(self):
        self.ensure_one()
        # an archived ticket (a merged duplicate) stays closed
        if not self.is_closed or not self.active:
            return False
        done = self.date_closed or self.date_resolved
        if not done:
            return True
        return fields.Datetime.now() <= done + timedelta(
            days=self._portal_reopen_days()
        )

    def _portal_close(self, partner):
        """The client confirms a resolved ticket: it is closed."""
        self.ensure_one()
        if self.stage_kind != "resolved":
            raise UserError(self.env._("Only a resolved ticket can be closed."))
        stage = self.team_id._get_stage_of_kind("closed")
        if stage:
            self.stage_id = stage
        self.with_context(helpdesk_no_contact=True).message_post(
            body=self.env._(
                "%(client)s confirmed the resolution.", client=partner.name
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _portal_reopen(self, partner, reason):
        """The client reopens a closed ticket, with a reason, within the window."""
        self.ensure_one()
        if self.merged_into_id:
            raise UserError(
                self.env._(
                    "%(ticket)s was merged into %(target)s: reopen %(target)s instead.",
                    ticket=self.ticket_ref,
                    target=self.merged_into_id.ticket_ref,
                )
            )
        if not self.active:
            raise UserError(
                self.env._(
                    "%(ticket)s is archived and cannot be reopened.",
                    ticket=self.ticket_ref,
                )
            )
        if not self._portal_can_reopen():
            raise UserError(self.env._("This ticket can no longer be reopened."))
        stage = self.team_id._get_stage_of_kind("in_progress")
        self.stage_id = stage
        self.message_post(
            body=self.env._(
                "Reopened by %(client)s: %(reason)s", client=partner.name, reason=reason
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # ------------------------------------------------------------ actions
    def action_acknowledge(self):
        """The agent takes note of the ticket: the acknowledgement clock stops."""
        todo = self.filtered(lambda t: not t.date_ack)
        if not todo:
            raise UserError(self.env._("These tickets are already acknowledged."))
        now = fields.Datetime.now()
        vals = {"date_ack": now}
        super(HelpdeskTicket, todo).write(vals)
        todo.filtered(lambda t: not t.user_id).write({"user_id": self.env.uid})
        self.env["helpdesk.ticket.event"].sudo().create(
            [self._prepare_event_vals(t, "acknowledged", date=now) for t in todo]
        )
        todo._sla_sync(now)
        return True

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})
        return True

    def action_start(self):
        for ticket in self:
            stage = ticket.team_id._get_stage_of_kind("in_progress")
            if not stage:
                raise UserError(
                    self.env._(
                        "The team of %(ticket)s has no 'In progress' stage.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.stage_id = stage
        return True

    def action_close(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve %(ticket)s", ticket=self.ticket_ref),
            "res_model": "helpdesk.ticket.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_client_tickets(self):
        self.ensure_one()
        return self.commercial_partner_id.action_open_helpdesk_tickets()

    def action_open_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=[("parent_id", "=", self.id)],
            context={"default_parent_id": self.id, "default_team_id": self.team_id.id},
            display_name=self.env._("Linked to %(ticket)s", ticket=self.ticket_ref),
        )
        return action

    def action_create_article(self):
        """Turn a solved ticket into a draft knowledge-base article."""
        self.ensure_one()
        if self.stage_kind not in ("resolved", "closed"):
            raise UserError(
                self.env._("Write an article from a resolved or closed ticket.")
            )
        body = self.description or ""
        if not is_html_empty(self.resolution):
            body += Markup("<h3>%s</h3>") % self.env._("Solution") + self.resolution
        article = self.env["helpdesk.article"].create(
            {
                "name": self.name,
                "body": body,
                "type_ids": [Command.set(self.type_id.ids)],
                "source_ticket_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.article",
            "res_id": article.id,
            "view_mode": "form",
        }

    def action_announce(self):
        """Prepare an announcement of a major incident to its clients."""
        self.ensure_one()
        clients = (self | self.child_ids).commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.announcement",
            "view_mode": "form",
            "context": {
                "default_name": self.name,
                "default_kind": "incident",
                "default_ticket_id": self.id,
                "default_partner_ids": clients.ids,
                "default_company_id": self.company_id.id,
            },
        }

    def action_merge(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge tickets"),
            "res_model": "helpdesk.ticket.merge",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_timer_start(self):
        """Start the current user's timer on the ticket."""
        self.ensure_one()
        timer = self._get_my_timer()
        if timer:
            raise UserError(
                self.env._(
                    "Your timer already runs on %(ticket)s (started on %(start)s).",
                    ticket=self.display_name,
                    start=fields.Datetime.to_string(
                        fields.Datetime.context_timestamp(self, timer.date_start)
                    ),
                )
            )
        # fail now rather than when the timer stops
        self._get_timesheet_employee()
        self._get_timesheet_project()
        self.env["helpdesk.ticket.timer"].create(
            {"ticket_id": self.id, "user_id": self.env.uid}
        )
        return True

    def action_timer_stop(self):
        """Record the time of the current user's timer as one timesheet line of
        the ticket, rounded per the team's rules, and remove the timer."""
        self.ensure_one()
        timer = self._get_my_timer()
        if not timer:
            raise UserError(
                self.env._(
                    "You have no timer running on %(ticket)s.",
                    ticket=self.display_name,
                )
            )
        employee = self._get_timesheet_employee()
        hours = self.team_id._get_timer_hours(timer.date_start, fields.Datetime.now())
        if hours:
            self.env["account.analytic.line"].create(
                self._prepare_timesheet_vals(employee, timer.date_start, hours)
            )
        timer.unlink()
        return True

    def action_timer_cancel(self):
        """Drop the current user's timer without recording any time."""
        self.ensure_one()
        self._get_my_timer().unlink()
        return True

    # ------------------------------------------------------------ timesheets
    def _get_my_timer(self):
        self.ensure_one()
        return self.env["helpdesk.ticket.timer"].search(
            [("ticket_id", "=", self.id), ("user_id", "=", self.env.uid)], limit=1
        )

    def _get_timesheet_employee(self, user=None):
        """The employee of ``user`` (default: the current user) in the ticket's
        company, as a sudo record; a clear error when there is none."""
        self.ensure_one()
        user = user or self.env.user
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        if not employee:
            raise UserError(
                self.env._(
                    "%(user)s has no employee in %(company)s, so time cannot be "
                    "recorded. An administrator must create one in the Employees "
                    "app, with %(user)s as its related user.",
                    user=user.name,
                    company=self.company_id.name,
                )
            )
        return employee

    def _get_timesheet_project(self):
        """{ticket id: project.project} receiving each ticket's timesheets: the
        project of its team, created if the team has none yet."""
        no_team = self.filtered(lambda t: not t.team_id)
        if no_team:
            raise UserError(
                self.env._(
                    "Set a team on %(tickets)s first: the time spent on a ticket is "
                    "recorded in its team's project.",
                    tickets=", ".join(no_team.mapped("display_name")),
                )
            )
        self.team_id._ensure_project()
        return {ticket.id: ticket.team_id.project_id for ticket in self}

    def _prepare_timesheet_vals(self, employee, date_start, hours):
        self.ensure_one()
        return {
            "helpdesk_ticket_id": self.id,
            "employee_id": employee.id,
            "date": fields.Date.context_today(self, timestamp=date_start),
            "unit_amount": hours,
            "name": self.display_name,
        }
