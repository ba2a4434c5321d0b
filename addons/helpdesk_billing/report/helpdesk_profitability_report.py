from odoo import api, fields, models
from odoo.tools import SQL


def _months(date_start, date_end):
    """The first days of the months from `date_start` to `date_end` (or this
    month), as a set-returning SQL expression."""
    return SQL(
        "generate_series(date_trunc('month', %s), "
        "date_trunc('month', LEAST(COALESCE(%s, CURRENT_DATE), CURRENT_DATE)), "
        "interval '1 month')",
        date_start,
        date_end,
    )


def _rate(currency_id, company_id, day):
    """The rate of the currency on `day`, as res.currency._get_rates reads it:
    the last one before the day (else the first one) of the company's root
    company or shared by all companies; 1 without rates."""
    rates = SQL(
        "FROM res_currency_rate r WHERE r.currency_id = %s AND (r.company_id IS NULL "
        "OR r.company_id = (SELECT split_part(rc.parent_path, '/', 1)::int "
        "FROM res_company rc WHERE rc.id = %s))",
        currency_id,
        company_id,
    )
    return SQL(
        "COALESCE((SELECT r.rate %s AND r.name <= %s ORDER BY r.company_id, "
        "r.name DESC LIMIT 1), (SELECT r.rate %s ORDER BY r.company_id, r.name "
        "LIMIT 1), 1.0)",
        rates,
        day,
        rates,
    )


def _to_company_currency(amount, currency_id, company_id, day):
    """`amount` in the currency `currency_id` converted into the currency of
    the company at the rates of `day` (res.currency._convert), as SQL."""
    company_currency_id = SQL(
        "(SELECT rc.currency_id FROM res_company rc WHERE rc.id = %s)", company_id
    )
    return SQL(
        "CASE WHEN %(currency)s IS NULL OR %(currency)s = %(company_currency)s "
        "THEN %(amount)s ELSE %(amount)s * %(to_rate)s / %(from_rate)s END",
        currency=currency_id,
        company_currency=company_currency_id,
        amount=amount,
        to_rate=_rate(company_currency_id, company_id, day),
        from_rate=_rate(currency_id, company_id, day),
    )


class HelpdeskProfitabilityReport(models.Model):
    """Revenue against cost of the service desk, per month: one row per source
    (a contract's monthly fee, a work line, an invoiced line of extra hours or
    SLA credit, a timesheet), summed by the pivot per contract, client,
    ticket, team, employee or month."""

    _name = "helpdesk.profitability.report"
    _description = "Helpdesk Profitability"
    _auto = False
    _order = "date desc"
    _rec_name = "date"
    _depends = {
        "contract.contract": [
            "commercial_partner_id",
            "company_id",
            "contract_type",
            "active",
            "date_start",
            "date_end",
            "helpdesk_included_hours",
            "manual_currency_id",
            "journal_id",
            "pricelist_id",
        ],
        "contract.line": [
            "automatic_price",
            "contract_id",
            "monthly_recurring",
            "display_type",
            "is_canceled",
            "date_start",
            "date_end",
        ],
        "helpdesk.ticket.work": [
            "date",
            "contract_id",
            "partner_id",
            "ticket_id",
            "team_id",
            "user_id",
            "company_id",
            "is_billable",
            "price_subtotal",
            "currency_id",
            "cost_amount",
        ],
        "res.currency.rate": ["name", "rate", "currency_id", "company_id"],
        "res.company": ["currency_id", "parent_path"],
        "account.move": ["helpdesk_contract_id", "helpdesk_period_start", "company_id"],
        "account.move.line": [
            "helpdesk_kind",
            "balance",
            "parent_state",
            "helpdesk_is_released",
            "move_id",
        ],
        "account.analytic.line": [
            "date",
            "helpdesk_ticket_id",
            "helpdesk_team_id",
            "employee_id",
            "user_id",
            "company_id",
            "labour_cost",
            "unit_amount",
        ],
        "helpdesk.ticket": ["contract_id", "commercial_partner_id"],
    }

    date = fields.Date("Month", readonly=True)
    contract_id = fields.Many2one("contract.contract", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    team_id = fields.Many2one("helpdesk.team", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    revenue_fee = fields.Monetary("Fee", readonly=True)
    revenue_extra = fields.Monetary(
        "Extra works and parts", readonly=True, help="Billable work lines."
    )
    revenue_overage = fields.Monetary(
        "Extra hours", readonly=True, help="Invoiced hours beyond the included ones."
    )
    revenue_credit = fields.Monetary(
        "SLA compensation", readonly=True, help="Invoiced SLA credits (negative)."
    )
    revenue = fields.Monetary(readonly=True)
    labour_cost = fields.Monetary(readonly=True, help="Timesheets' cost.")
    parts_cost = fields.Monetary(
        "Parts and works cost", readonly=True, help="Cost of the work lines' products."
    )
    cost = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    margin_percent = fields.Float(
        "Margin (%)",
        readonly=True,
        aggregator="avg",
        help="Margin over revenue; computed on each group's totals.",
    )
    hours_worked = fields.Float(readonly=True)
    hours_included = fields.Float(
        readonly=True, help="Hours the contract's fee includes in the month."
    )
    is_unprofitable = fields.Boolean(
        "Unprofitable",
        readonly=True,
        help="The contract (or, without contract, the client) lost money in the month.",
    )

    @property
    def _table_query(self):
        return self._get_query()

    def _get_source_queries(self):
        """SELECTs of the rows, all with the same columns: date, contract_id,
        partner_id, ticket_id, team_id, employee_id, user_id, company_id,
        revenue_fee, revenue_extra, revenue_overage, revenue_credit,
        labour_cost, parts_cost, hours_worked, hours_included."""
        return [
            # the fee of each running month, per contract line
            SQL(
                """
            SELECT month::date, c.id, c.commercial_partner_id, NULL::int, NULL::int,
                   NULL::int, NULL::int, c.company_id,
                   %s, 0, 0, 0, 0, 0, 0, 0
              FROM contract_line cl
              JOIN contract_contract c ON c.id = cl.contract_id
              LEFT JOIN account_journal j ON j.id = c.journal_id
              LEFT JOIN product_pricelist pl ON pl.id = c.pricelist_id
              CROSS JOIN LATERAL %s AS month
             WHERE c.contract_type = 'sale' AND c.active
               AND cl.display_type IS NULL AND NOT COALESCE(cl.is_canceled, FALSE)
               AND cl.date_start IS NOT NULL
            """,
                # in the contract's currency (contract.contract.currency_id),
                # converted at the first day of the month
                _to_company_currency(
                    SQL("COALESCE(cl.monthly_recurring, 0)"),
                    SQL(
                        "COALESCE(c.manual_currency_id, CASE WHEN EXISTS (SELECT 1 "
                        "FROM contract_line x WHERE x.contract_id = c.id AND "
                        "x.automatic_price) THEN pl.currency_id END, j.currency_id)"
                    ),
                    SQL("c.company_id"),
                    SQL("month::date"),
                ),
                _months(SQL("cl.date_start"), SQL("cl.date_end")),
            ),
            # the hours included in each running month
            SQL(
                """
            SELECT month::date, c.id, c.commercial_partner_id, NULL::int, NULL::int,
                   NULL::int, NULL::int, c.company_id,
                   0, 0, 0, 0, 0, 0, 0, c.helpdesk_included_hours
              FROM contract_contract c
              CROSS JOIN LATERAL %s AS month
             WHERE c.contract_type = 'sale' AND c.active
               AND c.helpdesk_included_hours > 0 AND c.date_start IS NOT NULL
            """,
                _months(SQL("c.date_start"), SQL("c.date_end")),
            ),
            # work lines: billable ones are revenue, all cost their product
            SQL(
                """
            SELECT date_trunc('month', w.date)::date, w.contract_id, w.partner_id,
                   w.ticket_id, w.team_id, NULL::int, w.user_id, w.company_id,
                   0, CASE WHEN w.is_billable THEN %s ELSE 0 END, 0, 0,
                   0, COALESCE(w.cost_amount, 0), 0, 0
              FROM helpdesk_ticket_work w
            """,
                # in the work line's currency, converted at its date
                _to_company_currency(
                    SQL("w.price_subtotal"),
                    SQL("w.currency_id"),
                    SQL("w.company_id"),
                    SQL("w.date"),
                ),
            ),
            # invoiced extra hours and SLA credits, in their service month
            SQL(
                """
            SELECT date_trunc('month', m.helpdesk_period_start)::date, c.id,
                   c.commercial_partner_id, NULL::int, NULL::int, NULL::int,
                   NULL::int, m.company_id, 0, 0,
                   CASE WHEN l.helpdesk_kind = 'hours' THEN -l.balance ELSE 0 END,
                   CASE WHEN l.helpdesk_kind = 'sla_credit' THEN -l.balance ELSE 0 END,
                   0, 0, 0, 0
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN contract_contract c ON c.id = m.helpdesk_contract_id
             WHERE l.helpdesk_kind IN ('hours', 'sla_credit')
               AND l.parent_state != 'cancel' AND l.helpdesk_is_released IS NOT TRUE
               AND m.helpdesk_period_start IS NOT NULL
            """
            ),
            # timesheets on tickets
            SQL(
                """
            SELECT date_trunc('month', a.date)::date, t.contract_id,
                   t.commercial_partner_id, a.helpdesk_ticket_id, a.helpdesk_team_id,
                   a.employee_id, a.user_id, a.company_id,
                   0, 0, 0, 0, COALESCE(a.labour_cost, 0), 0, a.unit_amount, 0
              FROM account_analytic_line a
              JOIN helpdesk_ticket t ON t.id = a.helpdesk_ticket_id
            """
            ),
        ]

    def _get_query(self):
        sources = SQL(" UNION ALL ").join(self._get_source_queries())
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY r.date, r.contract_id, r.ticket_id)
                       AS id,
                   r.*,
                   r.revenue - r.cost AS margin,
                   CASE WHEN r.revenue != 0
                        THEN (r.revenue - r.cost) / r.revenue * 100 ELSE 0 END
                       AS margin_percent,
                   SUM(r.revenue - r.cost) OVER (
                       PARTITION BY r.date, COALESCE(r.contract_id, 0),
                       CASE WHEN r.contract_id IS NULL THEN r.partner_id END
                   ) < 0 AS is_unprofitable
              FROM (
                SELECT s.*,
                       s.revenue_fee + s.revenue_extra + s.revenue_overage
                           + s.revenue_credit AS revenue,
                       s.labour_cost + s.parts_cost AS cost
                  FROM (%s) AS s (
                       date, contract_id, partner_id, ticket_id, team_id,
                       employee_id, user_id, company_id, revenue_fee, revenue_extra,
                       revenue_overage, revenue_credit, labour_cost, parts_cost,
                       hours_worked, hours_included)
              ) AS r
            """,
            sources,
        )

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
        """Without PostgreSQL's JIT: the correlated rate look-ups inflate the
        query's estimated cost, so that PostgreSQL spends seconds compiling a
        query that runs in milliseconds (the pivot, the graph and the
        dashboard group this report). Off until the end of the transaction."""
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        return super()._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Margin (%) of a group is its margin over its revenue, not the
        average of its rows'."""
        wants = any(spec.split(":")[0] == "margin_percent" for spec in fields)
        if wants:
            names = {spec.split(":")[0] for spec in fields}
            fields = list(fields) + [
                f"{name}:sum" for name in ("margin", "revenue") if name not in names
            ]
        result = super().read_group(
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        if wants:
            for group in result:
                revenue = group.get("revenue") or 0.0
                margin = group.get("margin") or 0.0
                group["margin_percent"] = margin / revenue * 100 if revenue else 0.0
        return result
