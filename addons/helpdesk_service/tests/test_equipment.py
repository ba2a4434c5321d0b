from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import file_open, mute_logger

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestEquipment(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        env = cls.env
        cls.type_printer = env["helpdesk.equipment.type"].create(
            {"name": "Receipt printer (test)", "icon": "fa-print"}
        )
        cls.ip = env["helpdesk.equipment.attribute"].create(
            {"name": "IP address", "type_id": cls.type_printer.id}
        )
        cls.epson = env["helpdesk.equipment.manufacturer"].create(
            {"name": "Epson (test)"}
        )
        cls.hp = env["helpdesk.equipment.manufacturer"].create({"name": "HP (test)"})
        cls.tm20 = env["helpdesk.equipment.model"].create(
            {
                "name": "TM-T20III",
                "manufacturer_id": cls.epson.id,
                "type_id": cls.type_printer.id,
            }
        )
        cls.m404 = env["helpdesk.equipment.model"].create(
            {
                "name": "M404",
                "manufacturer_id": cls.hp.id,
                "type_id": cls.type_printer.id,
            }
        )
        cls.site = env["helpdesk.site"].create(
            {"name": "Main shop", "partner_id": cls.client.id, "city": "Springfield"}
        )
        cls.other_site = env["helpdesk.site"].create(
            {"name": "HQ", "partner_id": cls.other_client.id}
        )
        cls.Equipment = env["helpdesk.equipment"]

    def _item(self, **vals):
        values = {
            "partner_id": self.client.id,
            "site_id": self.site.id,
            "model_id": self.tm20.id,
            "serial_number": "X5Y0001",
        }
        values.update(vals)
        return self.Equipment.create(values)

    def test_item_defaults_from_model(self):
        item = self._item()
        self.assertEqual(item.name, "Epson (test) TM-T20III X5Y0001")
        self.assertEqual(item.manufacturer_id, self.epson)
        self.assertEqual(item.type_id, self.type_printer)
        self.assertEqual(item.type_icon, "fa-print")
        item.name = "Till 1 printer"
        item.serial_number = "X5Y0002"
        self.assertEqual(item.name, "Till 1 printer", "a given name stays")
        found = self.Equipment.name_search("X5Y0002")
        self.assertEqual([r[0] for r in found], [item.id])

    def test_constraints_have_clear_messages(self):
        self._item()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self._item()
        # same serial number, other model: fine
        self._item(model_id=self.m404.id)
        # without a model, the manufacturer and the serial number must be unique
        self._item(model_id=False, manufacturer_id=self.epson.id, serial_number="NM1")
        with self.assertRaisesRegex(
            ValidationError, "NM1 of Epson .* already registered"
        ):
            self._item(
                model_id=False, manufacturer_id=self.epson.id, serial_number="NM1"
            )
        with self.assertRaisesRegex(ValidationError, "is made by Epson"):
            self._item(serial_number="Z1", manufacturer_id=self.hp.id)
        with self.assertRaisesRegex(ValidationError, "belongs to Other Client Inc"):
            self._item(serial_number="Z2", site_id=self.other_site.id)
        with self.assertRaisesRegex(ValidationError, "do not work for"):
            self.site.contact_ids = self.env["res.partner"].create({"name": "Stranger"})
        with self.assertRaisesRegex(ValidationError, "name, a model or a serial"):
            self.Equipment.create({"partner_id": self.client.id})
        parent = self._item(serial_number="P1")
        child = self._item(serial_number="C1", parent_id=parent.id)
        with self.assertRaises(ValidationError):
            parent.parent_id = child
        other_type = self.env["helpdesk.equipment.type"].create(
            {"name": "Router (test)"}
        )
        wan = self.env["helpdesk.equipment.attribute"].create(
            {"name": "WAN", "type_id": other_type.id}
        )
        item = self._item(serial_number="A1")
        item.attribute_value_ids = [
            (0, 0, {"attribute_id": self.ip.id, "value": "10.0.0.5"})
        ]
        with self.assertRaisesRegex(ValidationError, "belongs to type Router"):
            item.attribute_value_ids = [(0, 0, {"attribute_id": wan.id, "value": "x"})]

    def test_ticket_equipment_flow(self):
        with freeze_time("2026-03-02 09:00:00"):
            covered = self._item(date_warranty_end=date(2026, 12, 31))
            expired = self._item(
                serial_number="OLD1", date_warranty_end=date(2025, 1, 1)
            )
            form = Form(self.Ticket.with_user(self.agent_a))
            form.name = "Printer prints blank receipts"
            form.equipment_ids.add(covered)
            self.assertEqual(
                form.partner_id, self.client, "the equipment fills the client"
            )
            self.assertEqual(form.site_id, self.site, "and the site")
            ticket = form.save()
        self.assertTrue(ticket.is_under_warranty)
        self.assertEqual(covered.ticket_count, 1)
        self.assertEqual(covered.ticket_ids, ticket)
        self.assertEqual(self.site.ticket_count, 1)
        self.assertEqual(self.site.equipment_count, 2)
        self.assertEqual(self.client.helpdesk_equipment_count, 2)
        self.assertEqual(self.contact.helpdesk_site_count, 1)
        old = self._ticket(equipment_ids=[(6, 0, expired.ids)])
        self.assertFalse(old.is_under_warranty)
        # find tickets by the equipment's serial number
        found = self.Ticket.search([("equipment_ids.serial_number", "ilike", "OLD1")])
        self.assertEqual(found, old)
        action = covered.action_view_tickets()
        self.assertEqual(self.Ticket.search(action["domain"]), ticket)
        with self.assertRaisesRegex(ValidationError, "belong to another client"):
            self._ticket(
                partner_id=self.other_client.id, equipment_ids=[(6, 0, covered.ids)]
            )

    def test_warranty_filter_and_warning_once(self):
        today = date(2026, 3, 2)
        responsible = self.agent_a
        soon = self._item(
            serial_number="WTY-1",
            date_warranty_end=today + timedelta(days=10),
            user_id=responsible.id,
        )
        self._item(
            serial_number="WTY-2",
            date_warranty_end=today + timedelta(days=90),
            user_id=responsible.id,
        )
        gone = self._item(
            serial_number="WTY-3", date_warranty_end=today - timedelta(days=1)
        )
        later = self.Equipment.search([("serial_number", "=", "WTY-2")])
        with freeze_time("2026-03-02 08:00:00"):
            under = self.Equipment.search(
                [("is_under_warranty", "=", True), ("serial_number", "like", "WTY-%")]
            )
            self.assertNotIn(gone, under)
            self.assertEqual(len(under), 2)
            self.Equipment._cron_warranty_warning()
            self.assertTrue(soon.warranty_warned, "warned by the first run")
            self.assertEqual(len(soon.activity_ids), 1)
            self.Equipment._cron_warranty_warning()
        self.assertTrue(soon.warranty_warned)
        self.assertFalse(later.warranty_warned, "90 days away: not yet")
        self.assertEqual(len(soon.activity_ids), 1, "warned once")
        self.assertEqual(soon.activity_ids.user_id, responsible)
        self.assertIn("Warranty ends", soon.activity_ids.summary)
        # a new warranty end date re-arms the warning
        soon.date_warranty_end = today + timedelta(days=20)
        self.assertFalse(soon.warranty_warned)

    def test_import_sample_file(self):
        """The sample file of the README imports with Odoo's standard import."""
        bakery = self.env["res.partner"].create(
            {"name": "Sample Bakery Ltd", "is_company": True}
        )
        self.env["helpdesk.site"].create(
            {"name": "Sample Bakery - Main shop", "partner_id": bakery.id}
        )
        self.env["helpdesk.equipment.model"].create(
            {
                "name": "ThinkCentre M70q",
                "manufacturer_id": self.hp.id,
                "type_id": self.type_printer.id,
            }
        )
        with file_open(
            "helpdesk_service/static/import/helpdesk_equipment_sample.csv", "rb"
        ) as fh:
            content = fh.read()
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "helpdesk.equipment",
                "file": content,
                "file_type": "text/csv",
                "file_name": "helpdesk_equipment_sample.csv",
            }
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "date_format": "%Y-%m-%d",
        }
        preview = wizard.parse_preview(options)
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = [
            (match or [None])[0] if isinstance(match, list) else match
            for match in (
                preview["matches"].get(i) for i in range(len(preview["headers"]))
            )
        ]
        fields = ["/".join(f) if isinstance(f, list) else f for f in fields]
        self.assertEqual(
            fields,
            [
                "name",
                "partner_id",
                "site_id",
                "model_id",
                "serial_number",
                "inventory_number",
                "date_installed",
                "date_warranty_end",
                "state",
            ],
        )
        result = wizard.execute_import(fields, preview["headers"], options)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertFalse(errors, errors)
        items = self.Equipment.browse(result["ids"])
        self.assertEqual(len(items), 3)
        self.assertEqual(set(items.partner_id.mapped("name")), {"Sample Bakery Ltd"})
        self.assertEqual(
            items.filtered(lambda i: i.serial_number == "PC0A1B2C").state, "repair"
        )
        self.assertEqual(
            sorted(items.model_id.mapped("name")), ["TM-T20III", "ThinkCentre M70q"]
        )
        self.assertTrue(all(items.mapped("manufacturer_id")), "filled from the model")

    def test_rights(self):
        item = self._item()
        item.with_user(self.agent_a).write({"state": "repair"})
        self.assertEqual(item.state, "repair")
        self.env["helpdesk.equipment"].with_user(self.agent_a).create(
            {
                "partner_id": self.client.id,
                "serial_number": "AG1",
                "model_id": self.m404.id,
            }
        )
        for record in (self.type_printer, self.epson, self.tm20, self.ip):
            with self.assertRaises(AccessError):
                record.with_user(self.agent_a).write({"name": "Renamed"})
        self.tm20.with_user(self.manager).write({"name": "TM-T20IV"})

    def test_list_and_picker_cost_no_query_per_row(self):
        self.Equipment.create(
            [
                {
                    "partner_id": self.client.id,
                    "site_id": self.site.id,
                    "model_id": self.tm20.id,
                    "serial_number": f"PERF{i:04d}",
                }
                for i in range(60)
            ]
        )
        spec = {
            name: {}
            for name in (
                "name",
                "serial_number",
                "inventory_number",
                "date_warranty_end",
                "state",
            )
        }
        spec.update(
            {
                name: {"fields": {"display_name": {}}}
                for name in ("partner_id", "site_id", "type_id", "model_id")
            }
        )
        domain = [("serial_number", "like", "PERF%")]
        counts = []
        for limit in (10, 50):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            result = self.Equipment.web_search_read(domain, spec, limit=limit)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(result["records"]), limit)
        self.assertEqual(counts[0], counts[1], f"queries for 10 and 50 rows: {counts}")
        counts = []
        for limit in (5, 40):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            found = self.Equipment.name_search("PERF", limit=limit)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(found), limit)
        self.assertEqual(counts[0], counts[1], f"picker queries for 5 and 40: {counts}")
