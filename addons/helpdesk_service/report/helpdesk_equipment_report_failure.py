from odoo import fields, models, tools
from odoo.tools import SQL

# days in a (Julian) year: tickets per item per year = tickets / years in service
DAYS_PER_YEAR = 365.25


class HelpdeskEquipmentReportFailure(models.Model):
    """Failure statistics of the serviced equipment: one row per item and
    calendar year of service, with the days the item was in service in that
    year and the tickets linked to it that arrived in that year. The pivot,
    the graph and the list group the rows per equipment model, manufacturer,
    type, client or year; the ratios (tickets per item per year, MTBF, MTTR,
    warranty share) are computed on each group's totals, not averaged."""

    _name = "helpdesk.equipment.report.failure"
    _description = "Equipment Failure Statistics"
    _auto = False
    _order = "tickets_per_year desc, id"
    _rec_name = "equipment_id"
    _depends = {
        "helpdesk.equipment": [
            "model_id",
            "manufacturer_id",
            "type_id",
            "partner_id",
            "company_id",
            "date_installed",
            "date_warranty_end",
            "state",
        ],
        "helpdesk.ticket": [
            "date_received",
            "date_resolved",
            "time_resolve_hours",
            "active",
            "merged_into_id",
            "equipment_ids",
        ],
    }

    date = fields.Date("Year", readonly=True)
    equipment_id = fields.Many2one("helpdesk.equipment", readonly=True)
    model_id = fields.Many2one("helpdesk.equipment.model", readonly=True)
    manufacturer_id = fields.Many2one("helpdesk.equipment.manufacturer", readonly=True)
    type_id = fields.Many2one("helpdesk.equipment.type", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    item_count = fields.Integer(
        "Items in service",
        readonly=True,
        help="Items of equipment in service during the period.",
    )
    service_days = fields.Float("Days in service", readonly=True)
    ticket_count = fields.Integer("Tickets", readonly=True)
    resolved_count = fields.Integer("Resolved tickets", readonly=True)
    repair_hours = fields.Float(
        "Repair time (h)",
        readonly=True,
        help="Hours from the arrival of the resolved tickets to their resolution.",
    )
    warranty_count = fields.Integer(
        "Tickets under warranty",
        readonly=True,
        help="Tickets that arrived while the item was under warranty.",
    )
    tickets_per_year = fields.Float(
        "Tickets per item per year",
        readonly=True,
        digits=(16, 2),
        help="Tickets over the items' years in service.",
    )
    mtbf_days = fields.Float(
        "MTBF (days)",
        readonly=True,
        digits=(16, 1),
        help="Mean time between failures: days in service per ticket "
        "(0 without tickets).",
    )
    mttr_hours = fields.Float(
        "MTTR (h)",
        readonly=True,
        digits=(16, 1),
        help="Mean time to repair: average hours from the arrival of a ticket "
        "to its resolution.",
    )
    warranty_percent = fields.Float(
        "Under warranty (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the tickets that arrived while the item was under warranty.",
    )

    def _get_ratio_sql(self, fname, query):
        """The SQL aggregate of a ratio measure over a group of rows (its
        totals' ratio), or None if `fname` is not a ratio."""

        def total(name):
            return SQL("SUM(%s)", self._field_to_sql(self._table, name, query))

        if fname == "item_count":
            return SQL(
                "COUNT(DISTINCT CASE WHEN %s > 0 THEN %s END)",
                self._field_to_sql(self._table, "service_days", query),
                self._field_to_sql(self._table, "equipment_id", query),
            )
        ratios = {
            "tickets_per_year": (
                SQL("%s * %s", total("ticket_count"), DAYS_PER_YEAR),
                total("service_days"),
            ),
            "mtbf_days": (total("service_days"), total("ticket_count")),
            "mttr_hours": (total("repair_hours"), total("resolved_count")),
            "warranty_percent": (
                SQL("%s * 100.0", total("warranty_count")),
                total("ticket_count"),
            ),
        }
        if fname not in ratios:
            return None
        numerator, denominator = ratios[fname]
        return SQL(
            "COALESCE(ROUND((%s)::numeric / NULLIF(%s, 0), 2), 0)",
            numerator,
            denominator,
        )

    def _read_group_select(self, aggregate_spec, query):
        """Ratios of a group are the ratio of its totals, whatever the
        aggregate asked (the pivot, the graph and the grouped list)."""
        ratio = self._get_ratio_sql(aggregate_spec.split(":")[0], query)
        if ratio is not None:
            return ratio
        return super()._read_group_select(aggregate_spec, query)

    def _get_query(self):
        return SQL(
            """
            WITH item AS (
                SELECT e.id, e.model_id, e.manufacturer_id, e.type_id,
                       e.partner_id, e.company_id, e.date_warranty_end,
                       COALESCE(e.date_installed, e.create_date::date) AS date_start,
                       -- a decommissioned item left service at its last change
                       CASE WHEN e.state = 'decommissioned'
                            THEN LEAST(e.write_date::date, CURRENT_DATE)
                            ELSE CURRENT_DATE END AS date_end
                  FROM helpdesk_equipment e
            ), span AS (
                SELECT i.id, i.date_start, i.date_end,
                       EXTRACT(YEAR FROM i.date_start)::int AS year_start,
                       EXTRACT(YEAR FROM i.date_end)::int AS year_end
                  FROM item i
            ), service AS (
                SELECT i.id AS equipment_id, make_date(y.year, 1, 1) AS date,
                       GREATEST(
                           LEAST(i.date_end, make_date(y.year + 1, 1, 1))
                           - GREATEST(i.date_start, make_date(y.year, 1, 1)), 0
                       ) AS service_days
                  FROM span i
                  -- constant bounds: PostgreSQL knows the series' length and
                  -- does not estimate millions of rows (nor compile the query)
                  JOIN generate_series(1950, EXTRACT(YEAR FROM CURRENT_DATE)::int)
                       AS y(year) ON y.year BETWEEN i.year_start AND i.year_end
            ), failure AS (
                SELECT r.equipment_id,
                       date_trunc('year', t.date_received)::date AS date,
                       COUNT(*) AS ticket_count,
                       COUNT(t.date_resolved) AS resolved_count,
                       COALESCE(SUM(t.time_resolve_hours)
                           FILTER (WHERE t.date_resolved IS NOT NULL), 0)
                           AS repair_hours,
                       COUNT(*) FILTER (
                           WHERE i.date_warranty_end >= t.date_received::date
                       ) AS warranty_count
                  FROM helpdesk_ticket_equipment_rel r
                  JOIN helpdesk_ticket t ON t.id = r.ticket_id
                  JOIN item i ON i.id = r.equipment_id
                 WHERE t.active AND t.merged_into_id IS NULL
                 GROUP BY r.equipment_id, date_trunc('year', t.date_received)
            ), cell AS (
                SELECT COALESCE(s.equipment_id, f.equipment_id) AS equipment_id,
                       COALESCE(s.date, f.date) AS date,
                       COALESCE(s.service_days, 0) AS service_days,
                       COALESCE(f.ticket_count, 0) AS ticket_count,
                       COALESCE(f.resolved_count, 0) AS resolved_count,
                       COALESCE(f.repair_hours, 0) AS repair_hours,
                       COALESCE(f.warranty_count, 0) AS warranty_count
                  FROM service s
                  FULL JOIN failure f
                    ON f.equipment_id = s.equipment_id AND f.date = s.date
            )
            SELECT c.equipment_id::bigint * 10000
                       + EXTRACT(YEAR FROM c.date)::bigint AS id,
                   c.date, c.equipment_id, i.model_id, i.manufacturer_id,
                   i.type_id, i.partner_id, i.company_id,
                   CASE WHEN c.service_days > 0 THEN 1 ELSE 0 END AS item_count,
                   c.service_days, c.ticket_count, c.resolved_count,
                   c.repair_hours, c.warranty_count,
                   COALESCE(ROUND(c.ticket_count * %(year)s::numeric
                       / NULLIF(c.service_days, 0), 2), 0) AS tickets_per_year,
                   COALESCE(ROUND(c.service_days::numeric
                       / NULLIF(c.ticket_count, 0), 2), 0) AS mtbf_days,
                   COALESCE(ROUND(c.repair_hours::numeric
                       / NULLIF(c.resolved_count, 0), 2), 0) AS mttr_hours,
                   COALESCE(ROUND(c.warranty_count * 100.0
                       / NULLIF(c.ticket_count, 0), 2), 0) AS warranty_percent
              FROM cell c
              JOIN item i ON i.id = c.equipment_id
            """,
            year=DAYS_PER_YEAR,
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
