from datetime import timedelta

from odoo import api, fields, models


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
    rating_count = fields.Integer("Ratings")
    good_percent = fields.Float("Good ratings (%)", aggregator="avg")
    bad_count = fields.Integer("Bad ratings")
    complaint_count = fields.Integer("Complaints")

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
    def _cron_refresh(self):
        """Recompute every score with a few grouped queries, then replace the
        stored rows in one batch."""
        now = fields.Datetime.now()
        days = self._get_period_days()
        since = now - timedelta(days=days)
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        Line = self.env["helpdesk.ticket.sla"].sudo()
        Rating = self.env["rating.rating"].sudo()
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
            for key, company, count in Ticket._read_group(
                [
                    (field, "!=", False),
                    ("is_closed", "=", False),
                    ("active", "=", True),
                ],
                [field, "company_id"],
                ["__count"],
            ):
                row(scope, key, company)["open_ticket_count"] = count
            for key, company, count, ack, resolve, contacts in Ticket._read_group(
                [(field, "!=", False), ("date_resolved", ">=", since)],
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
                    (field, "!=", False),
                    ("is_complaint", "=", True),
                    ("date_received", ">=", since),
                ],
                [field, "company_id"],
                ["__count"],
            ):
                row(scope, key, company)["complaint_count"] = count
            done = {}
            for key, company, status, count in Line._read_group(
                [
                    (field, "!=", False),
                    ("status", "in", ("met", "failed")),
                    ("deadline", ">=", since),
                ],
                [field, "company_id", "status"],
                ["__count"],
            ):
                done.setdefault((key, company), {})[status] = count
            for (key, company), counts in done.items():
                total = sum(counts.values())
                row(scope, key, company).update(
                    sla_target_count=total,
                    sla_met_percent=round(100.0 * counts.get("met", 0) / total, 1),
                )
            rating_field = (
                "helpdesk_user_id" if scope == "agent" else "helpdesk_team_id"
            )
            for key, count, good in Rating._read_group(
                [
                    (rating_field, "!=", False),
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
                    (rating_field, "!=", False),
                    ("res_model", "=", "helpdesk.ticket"),
                    ("helpdesk_is_bad", "=", True),
                    ("write_date", ">=", since),
                ],
                [rating_field],
                ["__count"],
            ):
                row(scope, key, key.company_id)["bad_count"] = count
        self.sudo().search([]).unlink()  # pylint: disable=no-search-all
        return self.sudo().create(list(rows.values()))
