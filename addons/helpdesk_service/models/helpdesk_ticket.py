"""The service ticket: what it is, who it is for, where it stands; its
concerns (timeline, assignment, service level, notifications, mail gateway,
ratings, portal, major incidents, equipment, timesheets, follow-up, actions)
live in the helpdesk_ticket_<concern>.py files beside this one."""

import logging
import uuid

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..const import (
    CHANNELS,
    PRIORITIES,
    SLA_TRIGGER_FIELDS,
    TICKET_SEQUENCE_CODE,
)

_logger = logging.getLogger(__name__)


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
        "helpdesk.notify.batch.mixin",
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
        # a site's address contact is no person
        domain="[('helpdesk_address_site_ids', '=', False)]",
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
    _sql_constraints = [
        (
            "ticket_ref_company_uniq",
            "unique(ticket_ref, company_id)",
            "The ticket number must be unique per company.",
        ),
    ]

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

    @api.model
    @tools.ormcache("company_id")
    def _get_ticket_sequence_id(self, company_id):
        """The id of the sequence numbering the company's tickets (its own,
        else a shared one), or False; kept until an ir.sequence of tickets
        changes (see ir_sequence.py)."""
        return (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", TICKET_SEQUENCE_CODE),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            .id
        )

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
                # the sequence is known per company (until a sequence changes)
                if company_id not in sequences:
                    sequences[company_id] = Sequence.browse(
                        self._get_ticket_sequence_id(company_id)
                    )
                seq = sequences[company_id]
                vals["ticket_ref"] = (seq and seq.next_by_id()) or "New"
            if "channel" not in vals and self.env.context.get("helpdesk_channel"):
                vals["channel"] = self.env.context["helpdesk_channel"]
        # the agent is chosen now and inserted with the ticket: no UPDATE,
        # tracking and follower pass after the insert
        auto_assigned = self._assign_on_create(vals_list)
        # the e-mails of the new tickets' notices (to the team's followers, to
        # the assigned agent, the client's acknowledgement) are rendered and
        # sent by the scheduled-messages job right after the commit (see
        # helpdesk.notify.batch.mixin); their followers are added in one batch
        # (see _message_auto_subscribe)
        context = self.env.context
        creator = (
            not context.get("mail_create_nosubscribe")
            and not context.get("tracking_disable")
            and self.env.user.active
            and self.env.user.partner_id
        )
        # constant context keys: creations one after another share their
        # environments (Odoo looks every new one up among the live ones)
        live = self._with_email_later()
        tickets = self.browse()
        try:
            tickets = super(
                HelpdeskTicket,
                live.with_context(
                    helpdesk_subscribe_later=True,
                    helpdesk_subscribe_creator=creator and creator.id,
                    mail_create_nosubscribe=True,
                ),
            ).create(vals_list)
            # the followers of tickets created without a creation message
            tickets._subscribe_pending()
            tickets._send_folded_notices_left()
            tickets = tickets.with_env(live.env)
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
        finally:
            # their later messages are posted as usual
            tickets._new_records_close()
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
