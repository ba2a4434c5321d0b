import ast
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

ASSIGN_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round robin"),
    ("least_open", "Least open tickets"),
    ("skill", "By skill, then least open tickets"),
]


class HelpdeskTeam(models.Model):
    _name = "helpdesk.team"
    _description = "Helpdesk Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    def _default_stage_ids(self):
        return self.env["helpdesk.stage"].search([("team_ids", "=", False)])

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Html(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        "Team lead",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Receives escalations and follow-ups of complaints.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "helpdesk_team_member_rel",
        "team_id",
        "user_id",
        string="Agents",
        domain="[('share', '=', False)]",
        check_company=True,
    )
    stage_ids = fields.Many2many(
        "helpdesk.stage",
        "helpdesk_team_stage_rel",
        "team_id",
        "stage_id",
        string="Stages",
        default=lambda self: self._default_stage_ids(),
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        "Working hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="The team's working time: service-level clocks count only these hours.",
    )
    assign_method = fields.Selection(
        ASSIGN_METHODS,
        "Assignment",
        required=True,
        default="manual",
        tracking=True,
        help="How new tickets without an agent get one.\n"
        "Round robin: each agent in turn.\n"
        "Least open tickets: the agent with the fewest open tickets.\n"
        "By skill: agents carrying the skill the ticket type requires, then the "
        "fewest open tickets.",
    )
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    visibility = fields.Selection(
        [("members", "Team members only"), ("all", "All helpdesk agents")],
        required=True,
        default="all",
        help="Which agents see the team's tickets. Managers see them all.",
    )
    ack_template_id = fields.Many2one(
        "mail.template",
        "Acknowledgement e-mail",
        domain=[("model", "=", "helpdesk.ticket")],
        default=lambda self: self.env.ref(
            "helpdesk_service.mail_template_ticket_ack", raise_if_not_found=False
        ),
        help="Sent with the ticket number when a client opens a ticket by e-mail or "
        "on the portal. Empty: no acknowledgement.",
    )
    create_unknown_partner = fields.Boolean(
        "Create contacts for unknown senders",
        default=True,
        help="An e-mail from an address no contact has creates the contact. "
        "Otherwise the ticket keeps the address only. To refuse such e-mails, "
        "accept e-mails from known partners only.",
    )
    notify_new_tickets = fields.Boolean(
        "Notify followers of new tickets",
        help="The team's followers who keep the 'Ticket created' subtype are told "
        "of each new ticket, in their inbox or by e-mail as their preferences "
        "say. Off: new tickets are only logged in their chatter. The client's "
        "acknowledgement is never copied to the agents.",
    )
    # follow-up (see helpdesk.ticket._cron_followup)
    followup_agent_hours = fields.Integer(
        "Remind the assignee after (h)",
        default=24,
        help="The assignee gets a to-do when an open ticket has had no public reply "
        "and no change of stage for this many hours. 0: no reminder.",
    )
    followup_client_hours = fields.Integer(
        "Remind the client after (h)",
        default=48,
        help="The client gets an e-mail when a ticket has waited for his answer "
        "this many hours, once per waiting period. 0: no reminder.",
    )
    autoclose_days = fields.Integer(
        "Close resolved tickets after (days)",
        default=7,
        help="Resolved tickets close by themselves after this many days; the client "
        "is told he can still reopen them from the portal. 0: resolved tickets "
        "stay resolved until someone closes them.",
    )
    # timesheets (hr_timesheet): the team's time goes to its project
    project_id = fields.Many2one(
        "project.project",
        "Timesheet project",
        check_company=True,
        copy=False,
        domain="[('allow_timesheets', '=', True)]",
        help="Receives the timesheets of the team's tickets. Created with the team.",
    )
    timesheet_rounding_minutes = fields.Integer(
        "Round timer entries up to (min)",
        default=15,
        help="A stopped timer records its duration rounded up to a multiple of "
        "this many minutes. 0: the exact duration.",
    )
    timesheet_min_minutes = fields.Integer(
        "Minimum timer entry (min)",
        default=15,
        help="A stopped timer records at least this many minutes. 0: no minimum.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "team_id", "Tickets")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    urgent_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    sla_failed_today_count = fields.Integer(
        "SLA failures today", compute="_compute_sla_counts"
    )
    sla_at_risk_count = fields.Integer(
        "SLA at risk",
        compute="_compute_sla_counts",
        help="Targets still running whose deadline is within the next hour.",
    )
    missed_call_today_count = fields.Integer(
        "Missed calls today",
        compute="_compute_missed_call_today_count",
        help="Incoming calls about the team's tickets that rang today and ended "
        "unanswered.",
    )
    kpi_good_percent = fields.Float("Good ratings (%)", compute="_compute_kpi")
    kpi_sla_met_percent = fields.Float("SLA met (%)", compute="_compute_kpi")
    kpi_avg_resolve_hours = fields.Float(
        "Avg. time to resolve (h)", compute="_compute_kpi"
    )
    my_good_percent = fields.Float("My good ratings (%)", compute="_compute_kpi")
    my_sla_met_percent = fields.Float("My SLA met (%)", compute="_compute_kpi")
    my_open_ticket_count = fields.Integer("My open tickets", compute="_compute_kpi")
    # the denominators: a rate over nothing is shown as "no ... yet", not 0 %
    kpi_rating_count = fields.Integer("Ratings counted", compute="_compute_kpi")
    kpi_sla_target_count = fields.Integer("SLA targets due", compute="_compute_kpi")
    kpi_resolved_count = fields.Integer("Resolved", compute="_compute_kpi")
    my_rating_count = fields.Integer("My ratings", compute="_compute_kpi")
    my_sla_target_count = fields.Integer("My SLA targets due", compute="_compute_kpi")
    # the agent's own figures are the same on every card: shown on one only
    is_my_kpi_team = fields.Boolean("Shows my KPI", compute="_compute_is_my_kpi_team")
    mail_stuck_count = fields.Integer(
        "Undelivered e-mails",
        compute="_compute_mail_stuck_count",
        groups="base.group_system",
        help="E-mails of the team's tickets that failed, or wait for a new try "
        "after a delivery failure.",
    )

    _sql_constraints = [
        (
            "followup_delays_positive",
            (
                "CHECK(followup_agent_hours >= 0 AND followup_client_hours >= 0 "
                "AND autoclose_days >= 0)"
            ),
            "Follow-up and auto-close delays cannot be negative (0 turns them off).",
        ),
        (
            "timesheet_minutes_positive",
            "CHECK(timesheet_rounding_minutes >= 0 AND timesheet_min_minutes >= 0)",
            "Timer rounding and minimum cannot be negative (0 turns them off).",
        ),
    ]

    def _compute_ticket_counts(self):
        Ticket = self.env["helpdesk.ticket"]
        base = [("team_id", "in", self.ids), ("is_closed", "=", False)]
        counts = {}
        for key, extra in (
            ("open", []),
            ("urgent", [("priority_effective", ">=", 3)]),
            ("unassigned", [("user_id", "=", False)]),
        ):
            counts[key] = {
                team.id: count
                for team, count in Ticket._read_group(
                    base + extra, ["team_id"], ["__count"]
                )
            }
        for team in self:
            team.open_ticket_count = counts["open"].get(team.id, 0)
            team.urgent_ticket_count = counts["urgent"].get(team.id, 0)
            team.unassigned_ticket_count = counts["unassigned"].get(team.id, 0)

    def _compute_sla_counts(self):
        now = fields.Datetime.now()
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        Line = self.env["helpdesk.ticket.sla"]
        failed = dict(
            Line._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("status", "=", "failed"),
                    ("deadline", ">=", today),
                    ("deadline", "<=", now),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        at_risk = dict(
            Line._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("status", "=", "ongoing"),
                    ("deadline", "<=", now + timedelta(hours=1)),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.sla_failed_today_count = failed.get(team, 0)
            team.sla_at_risk_count = at_risk.get(team, 0)

    def _compute_missed_call_today_count(self):
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        missed = dict(
            self.env["helpdesk.ticket.call"]._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("direction", "=", "in"),
                    ("is_missed", "=", True),
                    ("date_start", ">=", today),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.missed_call_today_count = missed.get(team, 0)

    def _compute_mail_stuck_count(self):
        counts = self._get_stuck_mail_tickets()
        for team in self:
            team.mail_stuck_count = sum(counts.get(team, {}).values())

    def _get_stuck_mail_tickets(self):
        """{team: {ticket id: number of stuck mails}}: few mails are stuck, so
        they are grouped first, then their tickets by team."""
        Mail = self.env["mail.mail"].sudo()
        per_ticket = dict(
            Mail._read_group(
                Mail._get_stuck_domain() + [("model", "=", "helpdesk.ticket")],
                ["res_id"],
                ["__count"],
            )
        )
        if not per_ticket:
            return {}
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        return {
            team: {ticket_id: per_ticket[ticket_id] for ticket_id in ticket_ids}
            for team, ticket_ids in Ticket._read_group(
                [("id", "in", list(per_ticket)), ("team_id", "in", self.ids)],
                ["team_id"],
                ["id:array_agg"],
            )
        }

    @api.depends_context("uid")
    def _compute_kpi(self):
        Kpi = self.env["helpdesk.kpi"].sudo()
        team_rows = {
            kpi.team_id: kpi
            for kpi in Kpi.search([("scope", "=", "team"), ("team_id", "in", self.ids)])
        }
        mine = Kpi.search(
            [("scope", "=", "agent"), ("user_id", "=", self.env.uid)], limit=1
        )
        for team in self:
            kpi = team_rows.get(team, Kpi)
            team.kpi_good_percent = kpi.good_percent
            team.kpi_sla_met_percent = kpi.sla_met_percent
            team.kpi_avg_resolve_hours = kpi.avg_resolve_hours
            team.my_good_percent = mine.good_percent
            team.my_sla_met_percent = mine.sla_met_percent
            team.my_open_ticket_count = mine.open_ticket_count
            team.kpi_rating_count = kpi.rating_count
            team.kpi_sla_target_count = kpi.sla_target_count
            team.kpi_resolved_count = kpi.resolved_count
            team.my_rating_count = mine.rating_count
            team.my_sla_target_count = mine.sla_target_count

    @api.depends_context("uid")
    def _compute_is_my_kpi_team(self):
        """The card that carries the user's own KPI: his first team (member or
        leader), else the first team of the overview."""
        domain = [
            "|",
            ("member_ids", "in", self.env.uid),
            ("user_id", "=", self.env.uid),
        ]
        first = self.search(domain, limit=1) or self.search([], limit=1)
        for team in self:
            team.is_my_kpi_team = team == first

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("helpdesk.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values

    # ------------------------------------------------------------ assignment
    def _get_first_stage(self):
        """The first open stage of the team (or of the shared stages)."""
        self.ensure_one()
        if self.stage_ids:
            return self.stage_ids.sorted("sequence")[:1]
        return self.env["helpdesk.stage"].search([], limit=1)

    def _get_stage_of_kind(self, kind):
        """The first stage of this kind among the team's stages; without a team
        (an empty recordset) or with no stages of its own, among all stages."""
        if len(self) > 1:
            self.ensure_one()
        if self.stage_ids:
            stages = self.stage_ids.filtered(lambda s: s.kind == kind)
            return stages.sorted("sequence")[:1]
        return self.env["helpdesk.stage"].search([("kind", "=", kind)], limit=1)

    def _get_open_ticket_load(self, users):
        """{user_id: number of open tickets} over every team, in one query."""
        groups = self.env["helpdesk.ticket"]._read_group(
            [("user_id", "in", users.ids), ("is_closed", "=", False)],
            ["user_id"],
            ["__count"],
        )
        load = dict.fromkeys(users.ids, 0)
        load.update({user.id: count for user, count in groups})
        return load

    def _get_agent_skill_progress(self, users, skills):
        """{(user id, skill id): level progress} of the given hr_skills skills
        on the users' active employees in the team's company (the best level
        when a user has several there). One query for all the users, on the
        ticket creation path: no query per agent, whoever creates the ticket
        (a client by mail or on the portal reads no employee)."""
        self.ensure_one()
        if not users or not skills:
            return {}
        self.env["hr.employee"].flush_model(["user_id", "company_id", "active"])
        self.env["hr.employee.skill"].flush_model(
            ["employee_id", "skill_id", "skill_level_id"]
        )
        self.env["hr.skill.level"].flush_model(["level_progress"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT employee.user_id, employee_skill.skill_id,
                       MAX(level.level_progress)
                  FROM hr_employee_skill employee_skill
                  JOIN hr_employee employee
                    ON employee.id = employee_skill.employee_id
                  JOIN hr_skill_level level
                    ON level.id = employee_skill.skill_level_id
                 WHERE employee.user_id IN %s
                   AND employee.company_id = %s
                   AND employee.active
                   AND employee_skill.skill_id IN %s
              GROUP BY employee.user_id, employee_skill.skill_id
                """,
                tuple(users.ids),
                self.company_id.id,
                tuple(skills.ids),
            )
        )
        return {(user_id, skill_id): level or 0 for user_id, skill_id, level in rows}

    def _assign_users(self, tickets):
        """Return {ticket: user} for the given unassigned tickets of this team,
        following the team's assignment method. Batch-friendly: one load query
        per team, updated in memory as tickets are handed out."""
        users = self._assign_users_by_type([ticket.type_id for ticket in tickets])
        return dict(zip(tickets, users, strict=False))

    def _assign_users_by_type(self, types):
        """The agents of this team for new tickets of the given types (a list of
        helpdesk.ticket.type records, empty ones allowed), in that order,
        following the team's assignment method; an empty list when the team
        assigns by hand or has no active member. Used before the tickets exist
        (see helpdesk.ticket.create), so that they are inserted with their
        agent."""
        self.ensure_one()
        members = self.member_ids.filtered(lambda u: u.active).sorted("id")
        if self.assign_method == "manual" or not members or not types:
            return []
        result = []
        if self.assign_method == "round_robin":
            ids = members.ids
            last = self.last_assigned_user_id.id
            index = ids.index(last) + 1 if last in ids else 0
            for _ticket_type in types:
                result.append(members[index % len(ids)])
                index += 1
            self.sudo().last_assigned_user_id = result[-1]
            return result
        load = self._get_open_ticket_load(members)
        skills = {}
        if self.assign_method == "skill":
            required = self.env["hr.skill"].union(*(t.skill_id for t in types))
            skills = self._get_agent_skill_progress(members, required)
        for ticket_type in types:
            candidates = members
            skill = ticket_type.skill_id
            if self.assign_method == "skill" and skill:
                level = ticket_type.skill_level_id.level_progress
                skilled = members.filtered(
                    lambda u, s=skill, lv=level: skills.get((u.id, s.id), -1) >= lv
                )
                candidates = skilled or members
            user = min(candidates, key=lambda u: (load[u.id], u.id))
            load[user.id] += 1
            result.append(user)
        return result

    # ------------------------------------------------------------ actions
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {
            "default_team_id": self.id,
            "search_default_filter_open": 1,
        }
        action["display_name"] = self.name
        return action

    def action_view_unassigned(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_filter_unassigned=1)
        return action

    def action_view_sla_failed(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_filter_sla_failed=1)
        return action

    def action_view_sla_at_risk(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_filter_sla_risk=1)
        return action

    def action_view_stuck_mails(self):
        """The undelivered e-mails of the team's tickets (administrators)."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators manage outgoing mail."))
        ticket_ids = list(self._get_stuck_mail_tickets().get(self, {}))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mail.action_view_mail_mail"
        )
        action["domain"] = self.env["mail.mail"]._get_stuck_domain() + [
            ("model", "=", "helpdesk.ticket"),
            ("res_id", "in", ticket_ids),
        ]
        action["context"] = {}
        action["display_name"] = self.env._(
            "Undelivered e-mails: %(team)s", team=self.name
        )
        return action

    def action_view_urgent(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_filter_urgent=1)
        return action

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._clear_visible_teams()
        teams._subscribe_members()
        teams._ensure_project()
        return teams

    def write(self, vals):
        # a project still named after its team follows the team's new name
        old_names = {}
        if vals.get("name"):
            old_names = {team.project_id.sudo(): team.name for team in self}
        res = super().write(vals)
        if "member_ids" in vals or "visibility" in vals:
            self._clear_visible_teams()
        if "member_ids" in vals or "user_id" in vals:
            self._subscribe_members()
        renamed = self.env["project.project"].sudo()
        for project, old_name in old_names.items():
            if project and project.name == old_name:
                renamed |= project
        if renamed:
            renamed.write({"name": vals["name"]})
        return res

    def _clear_visible_teams(self):
        """The agents' record rules hold the teams each agent sees (see
        res.users.helpdesk_visible_team_ids): have them computed again."""
        self.env["res.users"].invalidate_model(["helpdesk_visible_team_ids"])
        self.env.registry.clear_cache()

    # ------------------------------------------------------------ timesheets
    def _prepare_project_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "company_id": self.company_id.id,
            "allow_timesheets": True,
            # internal: ticket timesheets are never shown on the customer portal
            "privacy_visibility": "employees",
            "user_id": self.user_id.id,
        }

    def _ensure_project(self):
        """Give the teams without a timesheet project one (name = team name)."""
        teams = self.filtered(lambda t: not t.project_id)
        if not teams:
            return self.env["project.project"]
        projects = (
            self.env["project.project"]
            .sudo()
            .with_context(mail_create_nosubscribe=True, tracking_disable=True)
            .create([team._prepare_project_vals() for team in teams])
        )
        for team, project in zip(teams, projects, strict=True):
            team.sudo().project_id = project
        return projects

    def _subscribe_members(self):
        for team in self:
            partners = (team.member_ids | team.user_id).partner_id
            if partners:
                team.message_subscribe(partner_ids=partners.ids)

    def _get_timer_hours(self, date_start, date_stop):
        """Hours a timer records: its duration, raised to the team's minimum, then
        rounded up to a multiple of the team's rounding step."""
        self.ensure_one()
        seconds = max(0, int((date_stop - date_start).total_seconds()))
        seconds = max(seconds, self.timesheet_min_minutes * 60)
        step = self.timesheet_rounding_minutes * 60
        if step:
            seconds = -(-seconds // step) * step
        return seconds / 3600
