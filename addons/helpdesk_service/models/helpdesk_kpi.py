import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# where the last refresh keeps "write date mark|time of the refresh|period"
KPI_WATERMARK_PARAM = "helpdesk_service.kpi_watermark"
# the transaction lock (pg_try_advisory_xact_lock) of a refresh: the
# scheduler's lock on its cron row does not cover a refresh started by hand
KPI_LOCK_KEY = 4_801_913_257


class HelpdeskKpi(models.Model):
    """Per-agent and per-team KPI scores over a rolling period, refreshed by a
    scheduled action (hourly by default) and stored, so that dashboards stay fast
    whatever the number of tickets."""

    _name = "helpdesk.kpi"
    _description = "Helpdesk KPI Score"
    _order = "scope, good_percent desc nulls last, id"

    scope = fields.Selection(
        [("agent", "Agent"), ("team", "Team")], required=True, index=True
    )
    user_id = fields.Many2one("res.users", "Agent", index=True, ondelete="cascade")
    team_id = fields.Many2one("helpdesk.team", index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", index=True, ondelete="cascade")
    date_refreshed = fields.Datetime("Refreshed on", required=True)
    period_days = fields.Integer("Period (days)", required=True)
    open_ticket_count = fields.Integer("Open tickets")
    resolved_count = fields.Integer("Resolved")
    avg_ack_minutes = fields.Float("Avg. time to acknowledge (min)", aggregator="avg")
    avg_resolve_hours = fields.Float("Avg. time to resolve (h)", aggregator="avg")
    avg_contacts = fields.Float("Avg. contacts per ticket", aggregator="avg")
    sla_target_count = fields.Integer("SLA targets due")
    sla_met_percent = fields.Float("SLA met (%)", aggregator="avg")
    sla_suppressed_minutes = fields.Float(
        "SLA minutes suppressed",
        help="Working minutes of announced planned maintenance not counted "
        "against the SLA targets due in the period.",
    )
    rating_count = fields.Integer("Ratings")
    good_percent = fields.Float("Good ratings (%)", aggregator="avg")
    bad_count = fields.Integer("Bad ratings")
    complaint_count = fields.Integer("Complaints")
    # incoming phone calls rung in the period (helpdesk.ticket.call): an
    # agent's are the calls he took, a team's all those of its tickets
    inbound_call_count = fields.Integer("Incoming calls")
    answered_call_count = fields.Integer("Answered calls")
    missed_call_count = fields.Integer("Missed calls")
    missed_call_percent = fields.Float(
        "Missed calls (%)",
        aggregator="avg",
        help="Missed calls out of the incoming calls that were answered or missed.",
    )
    avg_pickup_seconds = fields.Float(
        "Avg. pickup time (s)",
        aggregator="avg",
        help="Average time from ringing to pickup of the answered incoming calls.",
    )

    @api.depends("scope", "user_id", "team_id")
    def _compute_display_name(self):
        for kpi in self:
            kpi.display_name = (
                kpi.user_id.name if kpi.scope == "agent" else kpi.team_id.name
            ) or ""

    @api.model
    def _get_period_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("helpdesk_service.kpi_period_days", "30")
        )
        try:
            return max(1, int(value))
        except ValueError:
            return 30

    @api.model
    def _cron_refresh(self, full=False):
        """Recompute the scores with a few grouped queries and replace the
        stored rows in one batch: only the rows of the agents and teams whose
        tickets, SLA targets, ratings or calls changed since the last run (or
        left the period), or all of them with `full`, on the first run, or when
        the period changed. One refresh at a time: a second one started
        meanwhile does nothing."""
        if not self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s)", KPI_LOCK_KEY)
        )[0][0]:
            _logger.info("helpdesk.kpi: a refresh is already running, skipped")
            return self.browse()
        now = fields.Datetime.now()
        days = self._get_period_days()
        since = now - timedelta(days=days)
        # what the next run compares write dates with: the start of the oldest
        # transaction still open, whose changes this run may not see yet
        mark = self.env.execute_query(
            SQL(
                "SELECT LEAST(now(), (SELECT min(xact_start) FROM pg_stat_activity"
                " WHERE datname = current_database())) AT TIME ZONE 'UTC'"
            )
        )[0][0]
        last = None if full else self._get_kpi_watermark(now, days)
        keys = (
            None
            if last is None
            else self._get_stale_keys(last[0], last[1] - timedelta(days=days), since)
        )
        rows = self._compute_rows(now, days, since, keys)
        Kpi = self.sudo()
        if keys is None:
            Kpi.search([]).unlink()  # pylint: disable=no-search-all
            # pylint: disable-next=no-search-all
            self.env["helpdesk.kpi.stale"].sudo().search([]).unlink()
        else:
            Kpi.search(
                expression.OR(
                    [
                        [("scope", "=", "agent"), ("user_id", "in", keys["agent"])],
                        [("scope", "=", "team"), ("team_id", "in", keys["team"])],
                    ]
                )
            ).unlink()
            # the other scores are still right as of now
            Kpi.search([]).write({"date_refreshed": now})  # pylint: disable=no-search-all
        self.env["ir.config_parameter"].sudo().set_param(
            KPI_WATERMARK_PARAM,
            f"{fields.Datetime.to_string(mark)}|{fields.Datetime.to_string(now)}|{days}",
        )
        return Kpi.create(list(rows.values()))

    @api.model
    def _get_kpi_watermark(self, now, days):
        """(write date mark, time) of the last refresh, or None when a full
        rebuild is due: no refresh yet, another period, or a clock gone back."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param(KPI_WATERMARK_PARAM) or ""
        )
        try:
            mark, refreshed, period = value.split("|")
            mark = fields.Datetime.to_datetime(mark)
            refreshed = fields.Datetime.to_datetime(refreshed)
            period = int(period)
        except ValueError:
            return None
        if period != days or refreshed > now:
            return None
        return mark, refreshed

    @api.model
    def _get_stale_keys(self, mark, last_since, since):
        """{"agent": user ids, "team": team ids} whose scores may have changed:
        tickets, SLA targets, ratings and calls written since `mark` (the new
        owner), the owners a ticket, rating or call left (helpdesk.kpi.stale,
        emptied here), records that left the period (dated between the last
        period start and this one), and agents and teams changed themselves
        (company)."""
        users = set()
        teams = set()

        def collect(Model, domain, user_field, team_field):
            for user, team in Model._read_group(domain, [user_field, team_field]):
                users.add(user.id)
                teams.add(team.id)

        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        collect(
            Ticket,
            expression.OR(
                [
                    [("write_date", ">=", mark)],
                    [
                        ("date_resolved", ">=", last_since),
                        ("date_resolved", "<", since),
                    ],
                    [
                        ("date_received", ">=", last_since),
                        ("date_received", "<", since),
                    ],
                ]
            ),
            "user_id",
            "team_id",
        )
        collect(
            self.env["helpdesk.ticket.sla"].sudo(),
            expression.OR(
                [
                    [("write_date", ">=", mark)],
                    [("deadline", ">=", last_since), ("deadline", "<", since)],
                ]
            ),
            "user_id",
            "team_id",
        )
        collect(
            self.env["rating.rating"].sudo(),
            expression.AND(
                [
                    [("res_model", "=", "helpdesk.ticket")],
                    expression.OR(
                        [
                            [("write_date", ">=", mark)],
                            [
                                ("write_date", ">=", last_since),
                                ("write_date", "<", since),
                            ],
                        ]
                    ),
                ]
            ),
            "helpdesk_user_id",
            "helpdesk_team_id",
        )
        # a few rows: what was reassigned or deleted since the last run
        stale = self.env["helpdesk.kpi.stale"].sudo().search([])  # pylint: disable=no-search-all
        users.update(stale.user_id.ids)
        teams.update(stale.team_id.ids)
        stale.unlink()
        # calls: the agent who took them and the team of their ticket
        collect(
            self.env["helpdesk.ticket.call"].sudo(),
            expression.OR(
                [
                    [("write_date", ">=", mark)],
                    [("date_start", ">=", last_since), ("date_start", "<", since)],
                ]
            ),
            "user_id",
            "team_id",
        )
        users.update(
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search([("write_date", ">=", mark)])
        )
        teams.update(
            self.env["helpdesk.team"]
            .sudo()
            .with_context(active_test=False)
            ._search([("write_date", ">=", mark)])
        )
        users.discard(False)
        teams.discard(False)
        return {"agent": sorted(users), "team": sorted(teams)}

    @api.model
    def _compute_rows(self, now, days, since, keys=None):
        """{(scope, key id, company id): values} of the KPI rows, of every
        agent and team or only of `keys` ({"agent": ids, "team": ids})."""
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        Line = self.env["helpdesk.ticket.sla"].sudo()
        Rating = self.env["rating.rating"].sudo()
        Call = self.env["helpdesk.ticket.call"].sudo()
        rows = {}

        def row(scope, key, company):
            values = rows.setdefault(
                (scope, key.id, company.id),
                {
                    "scope": scope,
                    "user_id": key.id if scope == "agent" else False,
                    "team_id": key.id if scope == "team" else False,
                    "company_id": company.id,
                    "date_refreshed": now,
                    "period_days": days,
                },
            )
            return values

        for scope, field in (("agent", "user_id"), ("team", "team_id")):
            if keys is not None and not keys[scope]:
                continue
            key_leaf = (
                (field, "!=", False) if keys is None else (field, "in", keys[scope])
            )
            for key, company, count in Ticket._read_group(
                [
                    key_leaf,
                    ("is_closed", "=", False),
                    ("active", "=", True),
                ],
                [field, "company_id"],
                ["__count"],
            ):
                row(scope, key, company)["open_ticket_count"] = count
            for key, company, count, ack, resolve, contacts in Ticket._read_group(
                [key_leaf, ("date_resolved", ">=", since)],
                [field, "company_id"],
                [
                    "__count",
                    "time_ack_minutes:avg",
                    "time_resolve_hours:avg",
                    "contact_count:avg",
                ],
            ):
                row(scope, key, company).update(
                    resolved_count=count,
                    avg_ack_minutes=round(ack or 0.0, 2),
                    avg_resolve_hours=round(resolve or 0.0, 2),
                    avg_contacts=round(contacts or 0.0, 2),
                )
            for key, company, count in Ticket._read_group(
                [
                    key_leaf,
                    ("is_complaint", "=", True),
                    ("date_received", ">=", since),
                ],
                [field, "company_id"],
                ["__count"],
            ):
                row(scope, key, company)["complaint_count"] = count
            done = {}
            suppressed = {}
            for key, company, status, count, paused in Line._read_group(
                [
                    key_leaf,
                    ("status", "in", ("met", "failed")),
                    ("deadline", ">=", since),
                ],
                [field, "company_id", "status"],
                ["__count", "paused_minutes:sum"],
            ):
                done.setdefault((key, company), {})[status] = count
                suppressed[key, company] = suppressed.get((key, company), 0.0) + (
                    paused or 0.0
                )
            for (key, company), counts in done.items():
                total = sum(counts.values())
                row(scope, key, company).update(
                    sla_target_count=total,
                    sla_met_percent=round(100.0 * counts.get("met", 0) / total, 1),
                    sla_suppressed_minutes=round(suppressed[key, company], 2),
                )
            rating_field = (
                "helpdesk_user_id" if scope == "agent" else "helpdesk_team_id"
            )
            rating_leaf = (rating_field, *key_leaf[1:])
            for key, count, good in Rating._read_group(
                [
                    rating_leaf,
                    ("res_model", "=", "helpdesk.ticket"),
                    ("consumed", "=", True),
                    ("write_date", ">=", since),
                ],
                [rating_field],
                ["__count", "helpdesk_good_percent:avg"],
            ):
                company = key.company_id
                row(scope, key, company).update(
                    rating_count=count, good_percent=round(good or 0.0, 1)
                )
            for key, count in Rating._read_group(
                [
                    rating_leaf,
                    ("res_model", "=", "helpdesk.ticket"),
                    ("helpdesk_is_bad", "=", True),
                    ("write_date", ">=", since),
                ],
                [rating_field],
                ["__count"],
            ):
                row(scope, key, key.company_id)["bad_count"] = count
            # the call's team is its ticket's (a join); a call without an
            # agent (often a missed one) counts for the team only. On a full
            # rebuild the groups without a key are skipped here rather than
            # filtered out (the team's filter would scan the tickets again)
            calls = {}
            for key, company, missed, count, answered, pickup in Call._read_group(
                [("direction", "=", "in"), ("date_start", ">=", since)]
                + ([] if keys is None else [key_leaf]),
                [field, "company_id", "is_missed"],
                ["__count", "date_answer:count", "pickup_seconds:sum"],
            ):
                if not key:
                    continue
                total = calls.setdefault((key, company), [0, 0, 0, 0.0])
                total[0] += count
                total[1] += answered
                total[2] += count if missed else 0
                total[3] += pickup or 0.0
            for (key, company), (count, answered, missed, pickup) in calls.items():
                ended = answered + missed
                row(scope, key, company).update(
                    inbound_call_count=count,
                    answered_call_count=answered,
                    missed_call_count=missed,
                    missed_call_percent=round(100.0 * missed / ended, 1)
                    if ended
                    else 0.0,
                    avg_pickup_seconds=round(pickup / answered, 1) if answered else 0.0,
                )
        return rows
