from odoo import fields, models, tools
from odoo.tools import SQL

# the timeline rows that record a stage: the first one (its stage at arrival)
# and every stage change (see helpdesk.ticket._stage_change_events)
STAGE_EVENT_TYPES = (
    "received",
    "stage",
    "work_started",
    "waiting",
    "resolved",
    "closed",
    "reopened",
)
WEEKS = 26


class HelpdeskBacklogReport(models.Model):
    """The backlog over time: one row per week, team, stage and company with
    the tickets open at the end of that week (received before it ended, not
    closed nor resolved by then) in the stage they were in at that moment, over the last
    26 ISO weeks (Monday to Sunday, in UTC) including the current one.

    The stage at a date is the one recorded by the ticket's latest timeline
    row of arrival or stage change before the week's end (before the first
    row: the first stage recorded; no row at all: the current stage). A
    ticket in a closing stage (Resolved, Closed) at that moment does not
    count, as in the open tickets' counters, even if reopened since (its
    closing date is cleared when it reopens). The
    team is the ticket's current team. Archived and merged tickets are left
    out, as in the other reports."""

    _name = "helpdesk.backlog.report"
    _description = "Helpdesk Backlog over Time"
    _auto = False
    _order = "week desc, team_id, stage_id"
    _rec_name = "week"
    _depends = {
        "helpdesk.stage": ["is_closing"],
        "helpdesk.ticket": [
            "date_received",
            "date_closed",
            "date_last_stage_update",
            "is_closed",
            "active",
            "merged_into_id",
            "team_id",
            "stage_id",
            "company_id",
        ],
        "helpdesk.ticket.event": ["ticket_id", "event_type", "date", "stage_id"],
    }

    week = fields.Date(readonly=True, help="Monday of the week (UTC).")
    team_id = fields.Many2one("helpdesk.team", readonly=True)
    stage_id = fields.Many2one("helpdesk.stage", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_count = fields.Integer(
        "Open tickets",
        readonly=True,
        help="Tickets open at the end of the week, in the stage they were in.",
    )

    def _get_query(self):
        return SQL(
            """
            WITH week AS (
                SELECT (b.monday - make_interval(weeks => n.n))::date AS week,
                       b.monday - make_interval(weeks => n.n - 1) AS week_end
                  FROM (SELECT date_trunc('week', now() AT TIME ZONE 'UTC')
                               AS monday) b,
                       generate_series(0, %(last)s) AS n(n)
            ), ticket AS (
                SELECT t.id, t.team_id, t.stage_id, t.company_id,
                       t.date_received, t.date_closed
                  FROM helpdesk_ticket t
                 WHERE t.active AND t.merged_into_id IS NULL
                   AND t.date_received < (SELECT max(week_end) FROM week)
                   AND (t.date_closed IS NULL
                        OR t.date_closed >= (SELECT min(week_end) FROM week))
                   -- resolved or closed since before the first week's end,
                   -- and not moved since: out of every week (most of the
                   -- tickets of a database with years of history)
                   AND NOT (COALESCE(t.is_closed, FALSE)
                            AND COALESCE(t.date_last_stage_update, 'infinity')
                                < (SELECT min(week_end) FROM week))
            ), span AS (
                -- the stage of a ticket from each row until the next one; the
                -- first row's stage also covers the time before it
                SELECT e.ticket_id, e.stage_id,
                       CASE WHEN row_number() OVER w = 1
                            THEN '-infinity'::timestamp
                            ELSE e.date END AS date_from,
                       COALESCE(lead(e.date) OVER w, 'infinity'::timestamp)
                           AS date_to
                  FROM helpdesk_ticket_event e
                  JOIN ticket t ON t.id = e.ticket_id
                 WHERE e.event_type IN %(types)s AND e.stage_id IS NOT NULL
                WINDOW w AS (PARTITION BY e.ticket_id ORDER BY e.date, e.id)
            ), backlog AS (
                SELECT w.week, t.team_id, t.company_id,
                       COALESCE(s.stage_id, t.stage_id) AS stage_id
                  FROM week w
                  JOIN ticket t
                    ON t.date_received < w.week_end
                   AND (t.date_closed IS NULL OR t.date_closed >= w.week_end)
                  LEFT JOIN span s
                    ON s.ticket_id = t.id
                   AND s.date_from < w.week_end AND s.date_to >= w.week_end
            )
            SELECT row_number() OVER (
                       ORDER BY b.week, b.team_id, b.stage_id, b.company_id
                   ) AS id,
                   b.week, b.team_id, b.stage_id, b.company_id,
                   COUNT(*) AS ticket_count
              FROM backlog b
              -- open = not in a closing stage (Resolved, Closed) at that
              -- moment, as the open tickets' counters; a ticket reopened
              -- since has no date_closed any more, its timeline tells
              LEFT JOIN helpdesk_stage st ON st.id = b.stage_id
             WHERE st.is_closing IS NOT TRUE
             GROUP BY b.week, b.team_id, b.stage_id, b.company_id
            """,
            last=WEEKS - 1,
            types=STAGE_EVENT_TYPES,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._get_query(),
            )
        )
