#!/usr/bin/env python3
"""Write the spreadsheet JSON of the Helpdesk dashboards (Odoo's Community
`spreadsheet_dashboard`, Dashboards > Helpdesk):

- addons/helpdesk_service/data/files/helpdesk_dashboard.json: backlog, SLA,
  response and resolution times, ratings per agent, contacts per ticket;
- addons/helpdesk_billing/data/files/helpdesk_profitability_dashboard.json:
  labour hours, revenue, cost and margin per contract.

The committed JSON is what Odoo loads; edit this script and run it again
(`python3 scripts/generate_dashboards.py`) rather than editing the JSON by hand.
Every data source only groups by and sums stored fields, so that the test
(helpdesk_service/tests/test_dashboard.py) can replay it with read_group.

Translatable terms (chart titles, `_t("...")` in formulas, markdown link labels,
filter labels) are exported by Odoo into the addon's .pot as JavaScript terms.
"""

import json
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = uuid.UUID("6f1c1f52-3f0e-4c36-9f55-3b1d1d3c0a21")

# layout: six columns, the first one wider; figures are placed in pixels
COLS = {0: 250, 1: 150, 2: 150, 3: 150, 4: 150, 5: 150}
WIDTH = sum(COLS.values())
ROW_HEIGHT = 23
CHART_HEIGHT = 330
GAP = 20


def uid(name):
    """A stable id, so that running the script again changes nothing."""
    return str(uuid.uuid5(NAMESPACE, name))


def col_name(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def odoo_link(label, model, domain, name, view_type="list", context=None):
    """A cell that opens the records behind a table (markdown link)."""
    action = {
        "viewType": view_type,
        "action": {
            "domain": domain,
            "context": context or {},
            "modelName": model,
            "views": [[False, "list"], [False, "pivot"], [False, "form"]],
        },
        "threshold": 0,
        "name": name,
    }
    payload = json.dumps(action, separators=(",", ":"), ensure_ascii=False)
    return f"[{label}](odoo://view/{payload})"


class Dashboard:
    def __init__(self, key, filters):
        self.key = key
        self.filters = filters  # [(id, definition)]
        self.pivots = {}
        self.cells = {}
        self.data_cells = {}
        self.styles = {}
        self.formats = {}
        self.data_formats = {}
        self.figures = []

    # data sources --------------------------------------------------------
    def field_matching(self, matching):
        """`matching`: {filter key: (field, type)} for the filters that apply."""
        result = {}
        for filter_key, (chain, ftype) in matching.items():
            spec = {"chain": chain, "type": ftype}
            if ftype in ("date", "datetime"):
                spec["offset"] = 0
            result[uid(f"{self.key}.filter.{filter_key}")] = spec
        return result

    def pivot(self, name, model, domain, measures, rows=(), matching=None):
        pivot_id = str(len(self.pivots) + 1)
        self.pivots[pivot_id] = {
            "type": "ODOO",
            "fieldMatching": self.field_matching(matching or {}),
            "context": {},
            "domain": domain,
            "id": pivot_id,
            "measures": [{"id": m, "fieldName": m} for m in measures],
            "model": model,
            "name": name,
            "sortedColumn": (
                {"groupId": [[], []], "measure": measures[0], "order": "desc"}
                if rows
                else None
            ),
            "formulaId": pivot_id,
            "columns": [],
            "rows": [{"fieldName": row} for row in rows],
        }
        return pivot_id

    def chart(self, title, kind, model, domain, groupby, measure, place, **options):
        """An Odoo chart: bars/lines/pie over read_group(domain, measure,
        groupby); clicking a bar opens its records."""
        column, row = place
        width = (WIDTH - GAP) // 2
        chart_id = uid(f"{self.key}.chart.{title}")
        data = {
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "legendPosition": "top" if len(groupby) > 1 else "none",
            "metaData": {
                "groupBy": groupby,
                "measure": measure,
                "order": options.get("order"),
                "resModel": model,
                "mode": kind,
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": domain,
                "groupBy": groupby,
                "orderBy": [],
            },
            "type": f"odoo_{kind}",
            "verticalAxisPosition": "left",
            "stacked": options.get("stacked", False),
            "fieldMatching": self.field_matching(options.get("matching", {})),
        }
        if kind == "line":
            data.update(fillArea=True, cumulative=False)
        self.figures.append(
            {
                "id": chart_id,
                "x": column * (width + GAP),
                "y": row,
                "width": width,
                "height": CHART_HEIGHT,
                "tag": "chart",
                "data": data,
            }
        )

    def scorecard(self, title, data_row, index, count):
        width = (WIDTH - GAP * (count - 1)) // count
        self.figures.append(
            {
                "id": uid(f"{self.key}.scorecard.{title}"),
                "x": index * (width + GAP),
                "y": 10,
                "width": width,
                "height": 108,
                "tag": "chart",
                "data": {
                    "baselineColorDown": "#DC6965",
                    "baselineColorUp": "#00A04A",
                    "baselineMode": "text",
                    "title": {"text": title, "bold": True, "color": "#434343"},
                    "type": "scorecard",
                    "background": "#EFF6FF",
                    "keyValue": f"Data!B{data_row}",
                    "humanize": False,
                },
            }
        )

    # tables ----------------------------------------------------------------
    def table(self, top, title_link, pivot_id, row_field, headers, size=10):
        """A title (link to the records), a header line and `size` lines of
        ODOO.PIVOT formulas: a pivot's cells open their records when clicked."""
        self.cells[f"A{top}"] = {"content": title_link}
        self.styles[f"A{top}"] = 1
        for index, (label, measure, fmt) in enumerate(headers):
            column = col_name(index)
            self.cells[f"{column}{top + 1}"] = {"content": f'=_t("{label}")'}
            self.styles[f"{column}{top + 1}"] = 2
            for line in range(size):
                row = top + 2 + line
                if measure is None:
                    content = f'=PIVOT.HEADER({pivot_id},"#{row_field}",{line + 1})'
                else:
                    content = (
                        f'=PIVOT.VALUE({pivot_id},"{measure}",'
                        f'"#{row_field}",{line + 1})'
                    )
                self.cells[f"{column}{row}"] = {"content": content}
                if fmt:
                    self.formats[f"{column}{row}"] = fmt
        return top + 2 + size + 1

    # output ----------------------------------------------------------------
    def to_json(self):
        rows_used = max(
            [int("".join(c for c in ref if c.isdigit())) for ref in self.cells]
            + [
                (figure["y"] + figure["height"]) // ROW_HEIGHT + 1
                for figure in self.figures
            ]
        )
        sheet = {
            "id": uid(f"{self.key}.sheet.dashboard"),
            "name": "Dashboard",
            "colNumber": len(COLS),
            "rowNumber": rows_used + 5,
            "rows": {},
            "cols": {str(index): {"size": size} for index, size in COLS.items()},
            "merges": [],
            "cells": dict(sorted(self.cells.items())),
            "styles": self.styles,
            "formats": self.formats,
            "borders": {},
            "conditionalFormats": [],
            "figures": self.figures,
            "tables": [],
            "areGridLinesVisible": False,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "dataValidationRules": [],
            "comments": {},
        }
        data_sheet = {
            "id": uid(f"{self.key}.sheet.data"),
            "name": "Data",
            "colNumber": 3,
            "rowNumber": max(len(self.data_cells) + 5, 20),
            "rows": {},
            "cols": {"0": {"size": 250}, "1": {"size": 120}},
            "merges": [],
            "cells": dict(sorted(self.data_cells.items())),
            "styles": {},
            "formats": self.data_formats,
            "borders": {},
            "conditionalFormats": [],
            "figures": [],
            "tables": [],
            "areGridLinesVisible": True,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "dataValidationRules": [],
            "comments": {},
        }
        return {
            "version": 21,
            "sheets": [sheet, data_sheet],
            "styles": {
                "1": {"textColor": "#01666b", "fontSize": 16, "bold": True},
                "2": {"textColor": "#434343", "bold": True, "fontSize": 11},
            },
            "formats": {"1": "0", "2": "0.0", "3": "#,##0", "4": "#,##0.00"},
            "borders": {},
            "revisionId": "START_REVISION",
            "uniqueFigureIds": True,
            "settings": {},
            "pivots": self.pivots,
            "pivotNextId": len(self.pivots) + 1,
            "customTableStyles": {},
            "odooVersion": 12,
            "globalFilters": [
                dict(definition, id=uid(f"{self.key}.filter.{key}"))
                for key, definition in self.filters
            ],
            "lists": {},
            "listNextId": 1,
            "chartOdooMenusReferences": {},
        }

    def write(self, path):
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")


def row_y(index):
    """Top of the `index`-th line of charts, under the scorecards."""
    return 140 + index * (CHART_HEIGHT + GAP)


def first_row_below(index):
    """The first spreadsheet row (1-based) below `index` lines of charts."""
    return row_y(index) // ROW_HEIGHT + 2


def service_dashboard():
    dash = Dashboard(
        "helpdesk_service",
        [
            (
                "period",
                {
                    "type": "date",
                    "label": "Period",
                    "defaultValue": "last_three_months",
                    "rangeType": "relative",
                },
            ),
            (
                "team",
                {
                    "type": "relation",
                    "label": "Team",
                    "modelName": "helpdesk.team",
                    "defaultValue": [],
                    "defaultValueDisplayNames": [],
                },
            ),
        ],
    )
    ticket = "helpdesk.ticket"
    sla = "helpdesk.ticket.sla"
    rating = "rating.rating"
    open_domain = [["is_closed", "=", False]]
    sla_domain = [["status", "in", ["met", "failed"]]]
    rating_domain = [
        ["res_model", "=", "helpdesk.ticket"],
        ["consumed", "=", True],
        ["helpdesk_user_id", "!=", False],
        ["rating_text", "!=", "none"],
    ]
    resolved_domain = [["date_resolved", "!=", False]]
    by_team = {"team": ("team_id", "many2one")}

    # backlog: the open tickets, whatever the period
    dash.chart(
        "Open tickets by team and stage",
        "bar",
        ticket,
        open_domain,
        ["team_id", "stage_id"],
        "__count",
        (0, row_y(0)),
        stacked=True,
        matching=by_team,
    )
    dash.chart(
        "Open tickets by week received",
        "bar",
        ticket,
        open_domain,
        ["date_received:week", "stage_id"],
        "__count",
        (1, row_y(0)),
        stacked=True,
        matching=by_team,
    )
    # service level: finished targets, by the week they fell due
    sla_matching = {"period": ("deadline", "datetime"), **by_team}
    dash.chart(
        "SLA met (%) per week",
        "line",
        sla,
        sla_domain,
        ["deadline:week"],
        "met_percent",
        (0, row_y(1)),
        matching=sla_matching,
    )
    dash.chart(
        "SLA met (%) per tariff",
        "bar",
        sla,
        sla_domain,
        ["tariff_id"],
        "met_percent",
        (1, row_y(1)),
        matching=sla_matching,
    )
    # times: acknowledged tickets by week of arrival, resolved ones by week
    # of resolution
    dash.chart(
        "Time to acknowledge (min) per week",
        "line",
        ticket,
        [["date_ack", "!=", False]],
        ["date_received:week"],
        "time_ack_minutes",
        (0, row_y(2)),
        matching={"period": ("date_received", "datetime"), **by_team},
    )
    dash.chart(
        "Time to resolve (h) per week",
        "line",
        ticket,
        resolved_domain,
        ["date_resolved:week"],
        "time_resolve_hours",
        (1, row_y(2)),
        matching={"period": ("date_resolved", "datetime"), **by_team},
    )
    # client side: ratings per agent, contacts per ticket per tariff
    rating_matching = {
        "period": ("write_date", "datetime"),
        "team": ("helpdesk_team_id", "many2one"),
    }
    dash.chart(
        "Ratings per agent",
        "bar",
        rating,
        rating_domain,
        ["helpdesk_user_id", "rating_text"],
        "__count",
        (0, row_y(3)),
        stacked=True,
        matching=rating_matching,
    )
    dash.chart(
        "Contacts per ticket per tariff",
        "bar",
        ticket,
        [["tariff_id", "!=", False]],
        ["tariff_id"],
        "contacts_per_ticket",
        (1, row_y(3)),
        matching={"period": ("date_received", "datetime"), **by_team},
    )
    # backlog over time: the tickets open at the end of each of the last 26
    # weeks, in the stage they were in then (the Period filter does not apply)
    backlog = "helpdesk.backlog.report"
    dash.chart(
        "Backlog by stage over time",
        "bar",
        backlog,
        [],
        ["week:week", "stage_id"],
        "ticket_count",
        (0, row_y(4)),
        stacked=True,
        matching=by_team,
    )
    dash.chart(
        "Backlog by team over time",
        "bar",
        backlog,
        [],
        ["week:week", "team_id"],
        "ticket_count",
        (1, row_y(4)),
        stacked=True,
        matching=by_team,
    )

    # tables: resolved tickets per team (as the KPI scores count them) and
    # ratings per agent
    team_pivot = dash.pivot(
        "Resolved tickets per team",
        ticket,
        resolved_domain,
        [
            "__count",
            "time_ack_minutes",
            "time_report_minutes",
            "time_resolve_hours",
            "contacts_per_ticket",
        ],
        rows=["team_id"],
        matching={"period": ("date_resolved", "datetime"), **by_team},
    )
    top = first_row_below(5)
    top = dash.table(
        top,
        odoo_link(
            "Resolved tickets per team",
            ticket,
            resolved_domain,
            "Tickets",
            view_type="pivot",
        ),
        team_pivot,
        "team_id",
        [
            ("Team", None, None),
            ("Resolved tickets", "__count", 3),
            ("Acknowledge (min)", "time_ack_minutes", 2),
            ("First report (min)", "time_report_minutes", 2),
            ("Resolve (h)", "time_resolve_hours", 2),
            ("Contacts per ticket", "contacts_per_ticket", 4),
        ],
    )
    agent_pivot = dash.pivot(
        "Ratings per agent",
        rating,
        rating_domain,
        ["__count", "helpdesk_good_percent"],
        rows=["helpdesk_user_id"],
        matching=rating_matching,
    )
    dash.table(
        top,
        odoo_link("Ratings per agent", rating, rating_domain, "Ratings"),
        agent_pivot,
        "helpdesk_user_id",
        [
            ("Agent", None, None),
            ("Ratings", "__count", 3),
            ("Good ratings (%)", "helpdesk_good_percent", 2),
        ],
    )

    # scorecards, from totals of pivots without rows (on the Data sheet)
    open_pivot = dash.pivot(
        "Open tickets", ticket, open_domain, ["__count"], matching=by_team
    )
    sla_pivot = dash.pivot(
        "SLA met (%)", sla, sla_domain, ["met_percent"], matching=sla_matching
    )
    cards = [
        ("Open tickets", f'=PIVOT.VALUE({open_pivot},"__count")', 3),
        ("SLA met (%)", f'=PIVOT.VALUE({sla_pivot},"met_percent")', 2),
        ("Acknowledge (min)", f'=PIVOT.VALUE({team_pivot},"time_ack_minutes")', 2),
        ("Resolve (h)", f'=PIVOT.VALUE({team_pivot},"time_resolve_hours")', 2),
        ("Good ratings (%)", f'=PIVOT.VALUE({agent_pivot},"helpdesk_good_percent")', 2),
    ]
    dash.data_cells["A1"] = {"content": '=_t("KPI")'}
    dash.data_cells["B1"] = {"content": '=_t("Value")'}
    for index, (title, formula, fmt) in enumerate(cards):
        row = index + 2
        dash.data_cells[f"A{row}"] = {"content": f'=_t("{title}")'}
        dash.data_cells[f"B{row}"] = {"content": formula}
        dash.data_formats[f"B{row}"] = fmt
        dash.scorecard(title, row, index, len(cards))
    return dash


def billing_dashboard():
    dash = Dashboard(
        "helpdesk_billing",
        [
            (
                "period",
                {
                    "type": "date",
                    "label": "Period",
                    "defaultValue": "year_to_date",
                    "rangeType": "relative",
                },
            ),
            (
                "contract",
                {
                    "type": "relation",
                    "label": "Contract",
                    "modelName": "contract.contract",
                    "defaultValue": [],
                    "defaultValueDisplayNames": [],
                },
            ),
            (
                "team",
                {
                    "type": "relation",
                    "label": "Team",
                    "modelName": "helpdesk.team",
                    "defaultValue": [],
                    "defaultValueDisplayNames": [],
                },
            ),
        ],
    )
    report = "helpdesk.profitability.report"
    matching = {
        "period": ("date", "date"),
        "contract": ("contract_id", "many2one"),
        "team": ("team_id", "many2one"),
    }
    contract_domain = [["contract_id", "!=", False]]
    # a bar per contract is unreadable past a few dozen contracts: the charts
    # show the teams' hours and the contracts in loss; the table below lists
    # every contract
    dash.chart(
        "Labour hours per team",
        "bar",
        report,
        [["team_id", "!=", False]],
        ["team_id"],
        "hours_worked",
        (0, row_y(0)),
        matching=matching,
        order="DESC",
    )
    dash.chart(
        "Contracts in loss: margin",
        "bar",
        report,
        [*contract_domain, ["is_unprofitable", "=", True]],
        ["contract_id"],
        "margin",
        (1, row_y(0)),
        matching=matching,
        order="ASC",
    )
    dash.chart(
        "Revenue per month",
        "bar",
        report,
        [],
        ["date:month"],
        "revenue",
        (0, row_y(1)),
        matching=matching,
    )
    dash.chart(
        "Margin per month",
        "line",
        report,
        [],
        ["date:month"],
        "margin",
        (1, row_y(1)),
        matching=matching,
    )
    contract_pivot = dash.pivot(
        "Profitability per contract",
        report,
        contract_domain,
        ["hours_worked", "hours_included", "revenue", "cost", "margin"],
        rows=["contract_id"],
        matching=matching,
    )
    dash.table(
        first_row_below(2),
        odoo_link(
            "Profitability per contract",
            report,
            contract_domain,
            "Profitability",
            view_type="pivot",
        ),
        contract_pivot,
        "contract_id",
        [
            ("Contract", None, None),
            ("Hours worked", "hours_worked", 4),
            ("Hours included", "hours_included", 4),
            ("Revenue", "revenue", 4),
            ("Cost", "cost", 4),
            ("Margin", "margin", 4),
        ],
        size=15,
    )
    total_pivot = dash.pivot(
        "Profitability",
        report,
        [],
        ["revenue", "cost", "margin", "hours_worked"],
        matching=matching,
    )
    cards = [
        ("Revenue", "revenue"),
        ("Cost", "cost"),
        ("Margin", "margin"),
        ("Hours worked", "hours_worked"),
    ]
    dash.data_cells["A1"] = {"content": '=_t("KPI")'}
    dash.data_cells["B1"] = {"content": '=_t("Value")'}
    for index, (title, measure) in enumerate(cards):
        row = index + 2
        dash.data_cells[f"A{row}"] = {"content": f'=_t("{title}")'}
        dash.data_cells[f"B{row}"] = {
            "content": f'=PIVOT.VALUE({total_pivot},"{measure}")'
        }
        dash.data_formats[f"B{row}"] = 3
        dash.scorecard(title, row, index, len(cards))
    return dash


def main():
    service_dashboard().write(
        ROOT / "addons/helpdesk_service/data/files/helpdesk_dashboard.json"
    )
    billing_dashboard().write(
        ROOT
        / "addons/helpdesk_billing/data/files/helpdesk_profitability_dashboard.json"
    )


if __name__ == "__main__":
    main()
