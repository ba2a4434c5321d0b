from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestContractAssignment(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the general contract (cls.contract) and two narrower ones
        cls.printer_contract = cls._contract(
            name="Printers", helpdesk_equipment_ids=[(6, 0, cls.printer.ids)]
        )
        cls.warehouse_contract = cls._contract(
            name="Warehouse", helpdesk_site_ids=[(6, 0, cls.site_b.ids)]
        )

    def test_client_ticket_gets_the_general_contract(self):
        ticket = self._ticket()
        self.assertEqual(ticket.contract_id, self.contract)
        self.assertFalse(ticket.is_without_contract)

    def test_equipment_then_site_decide(self):
        on_printer = self._ticket(equipment_ids=[(6, 0, self.printer.ids)])
        self.assertEqual(on_printer.site_id, self.site_a)
        self.assertEqual(on_printer.contract_id, self.printer_contract)
        at_warehouse = self._ticket(site_id=self.site_b.id)
        self.assertEqual(at_warehouse.contract_id, self.warehouse_contract)
        at_shop = self._ticket(site_id=self.site_a.id)
        self.assertEqual(at_shop.contract_id, self.contract)
        # moving the ticket to the warehouse moves it to that contract
        at_shop.site_id = self.site_b
        self.assertEqual(at_shop.contract_id, self.warehouse_contract)

    def test_only_narrow_contracts(self):
        self.contract.active = False
        at_shop = self._ticket(site_id=self.site_a.id)
        self.assertFalse(at_shop.contract_id, "no contract covers the main shop")
        self.assertTrue(at_shop.is_without_contract)
        anywhere = self._ticket()
        self.assertIn(
            anywhere.contract_id,
            self.printer_contract | self.warehouse_contract,
            "no site: one of the client's contracts",
        )

    def test_client_without_contract_is_flagged(self):
        ticket = self._ticket(partner=self.other_contact)
        self.assertFalse(ticket.contract_id)
        self.assertTrue(ticket.is_without_contract)
        found = self.Ticket.search(
            [("is_without_contract", "=", True), ("id", "=", ticket.id)]
        )
        self.assertEqual(found, ticket)
        no_client = self.Ticket.create({"name": "Anonymous"})
        self.assertFalse(no_client.is_without_contract)

    def test_contract_must_run_on_the_ticket_date(self):
        contracts = self.contract | self.printer_contract | self.warehouse_contract
        contracts.contract_line_ids.date_end = date(2025, 3, 31)
        self.assertEqual(self.contract.date_end, date(2025, 3, 31))
        self.assertEqual(self._ticket(day=date(2025, 3, 31)).contract_id, self.contract)
        self.assertFalse(self._ticket(day=date(2025, 4, 1)).contract_id)
        self.assertFalse(self._ticket(day=date(2024, 12, 31)).contract_id)

    def test_agent_changes_the_contract(self):
        ticket = self._ticket()
        with Form(ticket) as form:
            form.contract_id = self.warehouse_contract
        self.assertEqual(ticket.contract_id, self.warehouse_contract)
        # kept while the ticket's client, site and equipment stay
        ticket.name = "Printer jammed again"
        self.assertEqual(ticket.contract_id, self.warehouse_contract)
        other = self._contract(partner=self.other_client, name="Bluebird")
        with self.assertRaises(ValidationError):
            ticket.contract_id = other
        ticket.partner_id = self.other_contact
        self.assertEqual(ticket.contract_id, other)

    def test_contract_service_level(self):
        Sla = self.env["helpdesk.sla"]
        gold = Sla.create(
            {"name": "Gold contract", "sequence": 99, "resolve_hours": 4.0}
        )
        generic = Sla.create({"name": "Everybody", "sequence": 1, "ack_minutes": 30})
        self.contract.helpdesk_sla_ids = gold
        self.assertEqual(gold.contract_ids, self.contract)
        ticket = self._ticket()
        self.assertEqual(ticket.sla_id, gold, "the contract's policy comes first")
        self.assertEqual(ticket.sla_line_ids.target, "resolve")
        other = self._ticket(partner=self.other_contact)
        self.assertNotEqual(other.sla_id, gold, "bound to its contract only")
        # among this test's policies only: gold never covers another client
        self.assertFalse(Sla._get_policy(other, policies=gold))
        self.assertEqual(Sla._get_policy(other, policies=gold | generic), generic)
        self.assertEqual(Sla._get_policy(ticket, policies=generic | gold), gold)
        # a contract without service level: the general policies
        ticket.contract_id = self.warehouse_contract
        self.assertNotEqual(ticket.sla_id, gold)
        self.assertNotIn("resolve", ticket.sla_line_ids.mapped("target"))
        ticket.contract_id = self.contract
        self.assertEqual(ticket.sla_id, gold)
        # changing the contract's service level moves its open tickets
        self.contract.helpdesk_sla_ids = generic
        self.assertEqual(ticket.sla_id, generic)
        self.assertEqual(ticket.sla_line_ids.sla_id, generic)

    def test_agent_reads_the_contract_but_cannot_change_it(self):
        ticket = self._ticket().with_user(self.agent)
        self.assertEqual(ticket.contract_id.name, "Support contract")
        self.assertEqual(ticket.contract_id.helpdesk_included_hours, 10.0)
        with self.assertRaises(AccessError):
            ticket.contract_id.helpdesk_included_hours = 20.0
        with self.assertRaises(AccessError):
            ticket.contract_id.contract_line_ids.read(["price_unit"])

    def test_new_contract_covers_the_waiting_tickets(self):
        ticket = self._ticket(partner=self.other_contact)
        closed_earlier = self._ticket(partner=self.other_contact, day=date(2024, 6, 1))
        self.assertTrue(ticket.is_without_contract)
        contract = self._contract(partner=self.other_client, name="Bluebird")
        self.assertEqual(ticket.contract_id, contract)
        self.assertFalse(ticket.is_without_contract)
        self.assertFalse(closed_earlier.contract_id, "before the contract started")
