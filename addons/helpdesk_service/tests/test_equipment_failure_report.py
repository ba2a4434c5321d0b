from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin

MEASURES = [
    "item_count",
    "service_days",
    "ticket_count",
    "tickets_per_year",
    "mtbf_days",
    "mttr_hours",
    "warranty_percent",
]


@tagged("helpdesk_service")
class TestEquipmentFailureReport(HelpdeskCommonMixin, TransactionCase):
    """Failure statistics per equipment model, on closed years only (the
    running year ends today, on the database's clock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        env = cls.env
        kind = env["helpdesk.equipment.type"].create({"name": "Printer (failures)"})
        epson = env["helpdesk.equipment.manufacturer"].create(
            {"name": "Epson (failures)"}
        )
        hp = env["helpdesk.equipment.manufacturer"].create({"name": "HP (failures)"})
        cls.model_a, cls.model_b = env["helpdesk.equipment.model"].create(
            [
                {"name": "TM-F1", "manufacturer_id": epson.id, "type_id": kind.id},
                {"name": "M-F2", "manufacturer_id": hp.id, "type_id": kind.id},
            ]
        )
        cls.item1, cls.item2, cls.item3 = env["helpdesk.equipment"].create(
            [
                {
                    "partner_id": cls.client.id,
                    "model_id": cls.model_a.id,
                    "serial_number": "F-1",
                    "date_installed": "2024-01-01",
                    "date_warranty_end": "2024-12-31",
                },
                {
                    "partner_id": cls.client.id,
                    "model_id": cls.model_a.id,
                    "serial_number": "F-2",
                    "date_installed": "2025-01-01",
                },
                {
                    "partner_id": cls.other_client.id,
                    "model_id": cls.model_b.id,
                    "serial_number": "F-3",
                    "date_installed": "2025-07-02",
                    "date_warranty_end": "2026-07-01",
                    "state": "decommissioned",
                },
            ]
        )
        # item 3 left service on 2025-12-01 (its last change)
        env.flush_all()
        env.cr.execute(
            "UPDATE helpdesk_equipment SET write_date = '2025-12-01 10:00' "
            "WHERE id = %s",
            [cls.item3.id],
        )
        specs = [
            # (items, received, resolved)
            (cls.item1, "2024-06-01 08:00", "2024-06-01 12:00"),  # 4 h, warranty
            (cls.item1, "2025-03-01 08:00", "2025-03-02 08:00"),  # 24 h
            (cls.item2, "2025-05-01 08:00", False),  # open
            (cls.item1 | cls.item2, "2025-08-01 10:00", "2025-08-01 12:00"),  # 2 h
            (cls.item3, "2025-09-01 08:00", "2025-09-01 14:00"),  # 6 h, warranty
        ]
        cls.tickets = cls.Ticket.create(
            [
                {
                    "name": f"Failure {i}",
                    "partner_id": items.partner_id.id,
                    "team_id": cls.team.id,
                    "equipment_ids": [(6, 0, items.ids)],
                    "date_received": received,
                }
                for i, (items, received, _resolved) in enumerate(specs)
            ]
        )
        for ticket, (_items, _received, resolved) in zip(
            cls.tickets, specs, strict=True
        ):
            if resolved:
                ticket.date_resolved = resolved
        # an archived ticket is no failure
        archived = cls.Ticket.create(
            {
                "name": "Archived failure",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
                "equipment_ids": [(6, 0, cls.item1.ids)],
                "date_received": "2025-04-01 08:00",
            }
        )
        archived.active = False
        cls.Report = env["helpdesk.equipment.report.failure"]
        cls.domain = [
            ("model_id", "in", (cls.model_a | cls.model_b).ids),
            ("date", "<=", "2025-01-01"),
        ]

    def _by_model(self, domain=(), user=None, order=None):
        Report = self.Report.with_user(user) if user else self.Report
        groups = Report.read_group(
            self.domain + list(domain), MEASURES, ["model_id"], orderby=order
        )
        return {group["model_id"][0]: group for group in groups}, groups

    def _assert_measures(self, group, expected):
        for name, value in expected.items():
            self.assertAlmostEqual(group[name], value, places=2, msg=name)

    def test_rows_per_item_and_year(self):
        rows = self.Report.search(self.domain + [("equipment_id", "=", self.item1.id)])
        self.assertEqual(
            [
                (str(r.date), r.service_days, r.ticket_count)
                for r in rows.sorted("date")
            ],
            [("2024-01-01", 366, 1), ("2025-01-01", 365, 2)],
        )
        first = rows.filtered(lambda r: str(r.date) == "2024-01-01")
        self.assertEqual(first.warranty_count, 1)
        self.assertEqual(first.model_id, self.model_a)
        self.assertEqual(first.partner_id, self.client)

    def test_figures_per_model(self):
        groups, _ordered = self._by_model()
        # model A: 366 + 365 + 365 days, 5 tickets (one on both items),
        # 4 resolved in 4 + 24 + 2 + 2 hours, 1 under warranty
        self._assert_measures(
            groups[self.model_a.id],
            {
                "item_count": 2,
                "service_days": 1096,
                "ticket_count": 5,
                "tickets_per_year": 5 * 365.25 / 1096,
                "mtbf_days": 1096 / 5,
                "mttr_hours": 8,
                "warranty_percent": 20,
            },
        )
        # model B: decommissioned after 152 days, 1 ticket under warranty
        self._assert_measures(
            groups[self.model_b.id],
            {
                "item_count": 1,
                "service_days": 152,
                "ticket_count": 1,
                "tickets_per_year": 365.25 / 152,
                "mtbf_days": 152,
                "mttr_hours": 6,
                "warranty_percent": 100,
            },
        )

    def test_period_and_client_filters(self):
        groups, _ordered = self._by_model([("date", "=", "2025-01-01")])
        self._assert_measures(
            groups[self.model_a.id],
            {
                "item_count": 2,
                "service_days": 730,
                "ticket_count": 4,
                "tickets_per_year": 4 * 365.25 / 730,
                "mtbf_days": 182.5,
                "mttr_hours": 28 / 3,
                "warranty_percent": 0,
            },
        )
        groups, _ordered = self._by_model([("partner_id", "=", self.other_client.id)])
        self.assertEqual(list(groups), [self.model_b.id])

    def test_top_failing_models_first(self):
        """The list opens grouped per model, ranked by tickets per item per year."""
        _groups, ordered = self._by_model(order="tickets_per_year desc")
        self.assertEqual(
            [group["model_id"][0] for group in ordered],
            [self.model_b.id, self.model_a.id],
        )
        _groups, ordered = self._by_model(order="tickets_per_year asc")
        self.assertEqual(ordered[0]["model_id"][0], self.model_a.id)
        action = self.env.ref(
            "helpdesk_service.helpdesk_equipment_report_failure_action"
        )
        self.assertIn("search_default_group_model", action.context)

    def test_access(self):
        groups, _ordered = self._by_model(user=self.agent_a)
        self.assertEqual(groups[self.model_a.id]["ticket_count"], 5)
        groups, _ordered = self._by_model(user=self.manager)
        self.assertEqual(groups[self.model_b.id]["ticket_count"], 1)
        self.assertFalse(self.Report.with_user(self.agent_a).has_access("write"))
        portal = new_test_user(
            self.env, login="hd_failure_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(portal).search(self.domain)

    def test_one_query(self):
        """All the measures of all the models come from a single query."""
        aggregates = [f"{name}:sum" for name in MEASURES]
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            rows = self.Report._read_group(self.domain, ["model_id"], aggregates)
        self.assertEqual(len(rows), 2)
