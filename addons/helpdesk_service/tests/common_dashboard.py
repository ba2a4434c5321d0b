import json
import re
from datetime import date, datetime, time, timedelta

from odoo.osv import expression

PIVOT_FORMULA = re.compile(r'PIVOT\.(VALUE|HEADER)\((\d+),"([^"]+)"')


class DashboardTestMixin:
    """Reads a spreadsheet dashboard shipped as data and replays its data
    sources (pivots, Odoo charts, lists) the way the web client loads them:
    read_group(domain, measure:aggregator, groupby) on stored fields."""

    def _dashboard_json(self, xmlid):
        dashboard = self.env.ref(xmlid)
        return json.loads(dashboard.spreadsheet_data)

    def _data_sources(self, data):
        """(kind, name, model, domain, groupby, measures, field matching) of
        every data source of the spreadsheet."""
        sources = []
        for pivot in data.get("pivots", {}).values():
            groupby = [
                f"{dim['fieldName']}:{dim['granularity']}"
                if dim.get("granularity")
                else dim["fieldName"]
                for dim in pivot["rows"] + pivot["columns"]
            ]
            sources.append(
                {
                    "kind": "pivot",
                    "name": pivot["name"],
                    "model": pivot["model"],
                    "domain": pivot["domain"],
                    "groupby": groupby,
                    "measures": [m["fieldName"] for m in pivot["measures"]],
                    "matching": pivot.get("fieldMatching", {}),
                }
            )
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                if figure["tag"] != "chart" or not chart["type"].startswith("odoo_"):
                    continue
                sources.append(
                    {
                        "kind": "chart",
                        "name": chart["title"]["text"],
                        "model": chart["metaData"]["resModel"],
                        "domain": chart["searchParams"]["domain"],
                        "groupby": chart["metaData"]["groupBy"],
                        "measures": [chart["metaData"]["measure"]],
                        "matching": chart.get("fieldMatching", {}),
                    }
                )
        for odoo_list in data.get("lists", {}).values():
            sources.append(
                {
                    "kind": "list",
                    "name": odoo_list["name"],
                    "model": odoo_list["model"],
                    "domain": odoo_list["domain"],
                    "groupby": [],
                    "measures": [],
                    "columns": odoo_list["columns"],
                    "matching": odoo_list.get("fieldMatching", {}),
                }
            )
        return sources

    def _measure_specs(self, model, measures):
        Model = self.env[model]
        specs = []
        for measure in measures:
            if measure == "__count":
                specs.append("__count")
            else:
                specs.append(f"{measure}:{Model._fields[measure].aggregator}")
        return specs

    def _check_field(self, model, name, label):
        Model = self.env[model]
        field = Model._fields.get(name)
        self.assertTrue(field, f"{label}: {model}.{name} does not exist")
        self.assertTrue(field.store, f"{label}: {model}.{name} is not stored")
        return field

    def _assert_sources_valid(self, data):
        """Every model, field and filter of the spreadsheet exists; grouped
        fields are stored and groupable, measures stored and aggregatable, and
        read_group answers each data source; formulas use existing pivots,
        measures and rows; scorecards point at existing cells."""
        filters = {f["id"]: f for f in data.get("globalFilters", [])}
        sources = self._data_sources(data)
        self.assertTrue(sources)
        for source in sources:
            self._assert_source_valid(source, filters)
        self._assert_formulas_valid(data)
        return sources

    def _assert_source_valid(self, source, filters):
        model, label = source["model"], f"{source['kind']} {source['name']!r}"
        self.assertIn(model, self.env, f"{label}: no model {model}")
        Model = self.env[model]
        described = Model.fields_get(attributes=["groupable", "aggregator"])
        for spec in source["groupby"]:
            name = spec.split(":")[0]
            self._check_field(model, name, label)
            self.assertTrue(
                described[name]["groupable"], f"{label}: {spec} is not groupable"
            )
        for measure in source["measures"]:
            if measure != "__count":
                self._check_field(model, measure, label)
                self.assertTrue(
                    described[measure].get("aggregator"),
                    f"{label}: {measure} is not aggregatable",
                )
        for column in source.get("columns", []):
            self.assertIn(column, Model._fields, f"{label}: no column {column}")
        self._assert_matching_valid(source, filters, label)
        # as the web client asks for it; raises on a bad field or domain
        Model.read_group(
            source["domain"],
            self._measure_specs(model, source["measures"]) or ["__count"],
            source["groupby"],
            lazy=False,
        )

    def _assert_matching_valid(self, source, filters, label):
        """The global filters a data source follows apply to stored fields of
        the right type (dates) or comodel (relations)."""
        for filter_id, match in source["matching"].items():
            self.assertIn(filter_id, filters, f"{label}: unknown filter")
            if not match.get("chain"):
                continue
            field = self._check_field(source["model"], match["chain"], label)
            global_filter = filters[filter_id]
            if global_filter["type"] == "date":
                self.assertIn(field.type, ("date", "datetime"), label)
                self.assertEqual(match["type"], field.type, label)
            elif global_filter["type"] == "relation":
                self.assertEqual(field.comodel_name, global_filter["modelName"], label)

    def _assert_formulas_valid(self, data):
        pivots = data.get("pivots", {})
        cells = {}
        for sheet in data["sheets"]:
            for ref, cell in sheet["cells"].items():
                cells[f"{sheet['name']}!{ref}"] = cell.get("content", "")
        for ref, content in cells.items():
            for kind, pivot_id, name in PIVOT_FORMULA.findall(content):
                self.assertIn(pivot_id, pivots, f"{ref}: no pivot {pivot_id}")
                pivot = pivots[pivot_id]
                if kind == "VALUE":
                    measures = [m["fieldName"] for m in pivot["measures"]]
                    self.assertIn(name, measures, f"{ref}: {content}")
                else:
                    rows = [dim["fieldName"] for dim in pivot["rows"]]
                    self.assertIn(name.lstrip("#"), rows, f"{ref}: {content}")
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                key = figure["data"].get("keyValue")
                if key:
                    self.assertTrue(cells.get(key), f"scorecard on empty {key}")

    def _source(self, data, name, kind=None):
        found = [
            s
            for s in self._data_sources(data)
            if s["name"] == name and (kind is None or s["kind"] == kind)
        ]
        self.assertEqual(len(found), 1, f"one data source named {name!r}")
        return found[0]

    def _filter_domain(self, data, source, values):
        """The domain the dashboard's global filters add to a data source,
        `values` by filter label: (first day, last day) for a date filter,
        a recordset for a relation filter."""
        filters = {f["id"]: f for f in data.get("globalFilters", [])}
        domains = []
        for filter_id, match in source["matching"].items():
            global_filter = filters[filter_id]
            value = values.get(global_filter["label"])
            if value is None or not match.get("chain"):
                continue
            chain = match["chain"]
            if global_filter["type"] == "date":
                start, end = value
                end = end + timedelta(days=1)
                if match["type"] == "datetime":
                    start = datetime.combine(start, time.min)
                    end = datetime.combine(end, time.min)
                domains.append([(chain, ">=", start), (chain, "<", end)])
            else:
                domains.append([(chain, "in", value.ids)])
        return expression.AND(domains) if domains else []

    def _figures(self, data, name, filters=None, kind=None):
        """What the data source named `name` shows with these filter values:
        {group key: value per measure} (a single value for one measure), the
        key a tuple of ids (many2one), first days (dates) or raw values."""
        source = self._source(data, name, kind)
        Model = self.env[source["model"]]
        domain = expression.AND(
            [source["domain"], self._filter_domain(data, source, filters or {})]
        )
        groups = Model.read_group(
            domain,
            self._measure_specs(source["model"], source["measures"]),
            source["groupby"],
            lazy=False,
        )
        result = {}
        for group in groups:
            key = []
            for spec in source["groupby"]:
                value = group[spec]
                if ":" in spec:
                    bounds = group["__range"][spec]
                    value = bounds and date.fromisoformat(bounds["from"][:10])
                elif isinstance(value, tuple):
                    value = value[0]
                key.append(value)
            values = tuple(
                round(group[measure], 2) if measure != "__count" else group[measure]
                for measure in source["measures"]
            )
            result[tuple(key)] = values[0] if len(values) == 1 else values
        return result
