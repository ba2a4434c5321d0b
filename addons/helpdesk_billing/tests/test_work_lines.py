from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestWorkLines(HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket(user_id=cls.agent.id)
        cls.no_contract_ticket = cls._ticket(partner=cls.other_contact)

    def test_price_from_contract_then_standard_price_list(self):
        drum = self._work(self.ticket, self.drum)
        self.assertEqual(drum.contract_id, self.contract)
        self.assertEqual(drum.price_unit, 60.0, "the contract's price list")
        visit = self._work(self.ticket, self.visit, quantity=2.0)
        self.assertEqual(
            visit.price_unit, 50.0, "no contract rule: standard, then sales price"
        )
        self.assertEqual(visit.price_subtotal, 100.0)
        other = self._work(self.no_contract_ticket, self.drum)
        self.assertFalse(other.contract_id)
        self.assertEqual(other.price_unit, 90.0, "no contract: the standard price list")
        self.env.company.helpdesk_pricelist_id = False
        other_visit = self._work(self.no_contract_ticket, self.drum)
        self.assertEqual(other_visit.price_unit, 80.0, "no price list: the sales price")

    def test_kind_name_discount_cost(self):
        toner = self._work(self.ticket, self.toner, quantity=2.0, discount=10.0)
        self.assertEqual(toner.kind, "part")
        self.assertEqual(toner.name, "Toner cartridge")
        self.assertEqual(toner.price_unit, 30.0)
        self.assertAlmostEqual(toner.price_subtotal, 54.0)
        self.assertAlmostEqual(toner.cost_amount, 24.0)
        self.assertEqual(self._work(self.ticket, self.drum).kind, "work")

    def test_agent_adds_work_on_the_ticket_form(self):
        ticket = self.ticket.with_user(self.agent)
        with Form(ticket) as form:
            with form.work_ids.new() as line:
                line.product_id = self.drum
                self.assertEqual(line.price_unit, 60.0)
                line.quantity = 2.0
            with form.work_ids.new() as line:
                line.product_id = self.toner
                line.is_billable = False
        works = ticket.work_ids
        self.assertEqual(len(works), 2)
        self.assertEqual(works.mapped("state"), ["draft", "draft"])
        self.assertEqual(works[0].price_subtotal, 120.0)
        self.assertEqual(works.user_id, self.agent)
        self.assertTrue(ticket.has_work_to_approve)

    def test_only_managers_approve(self):
        work = self._work(self.ticket, self.drum).with_user(self.agent)
        with self.assertRaises(AccessError):
            work.action_approve()
        with self.assertRaises(AccessError):
            work.state = "approved"
        with self.assertRaises(AccessError):
            self.Work.with_user(self.agent).create(
                {
                    "ticket_id": self.ticket.id,
                    "product_id": self.drum.id,
                    "state": "approved",
                }
            )
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.agent).action_approve_work()
        work.quantity = 3.0  # a draft line stays editable
        self.ticket.action_approve_work()
        self.assertEqual(work.state, "approved")
        self.assertEqual(work.approver_id, self.env.user)
        self.assertFalse(self.ticket.has_work_to_approve)
        with self.assertRaises(UserError):
            work.quantity = 4.0
        with self.assertRaises(UserError):
            work.unlink()
        work.with_user(self.env.user).quantity = 4.0  # the manager may
        work.with_user(self.env.user).action_reset_draft()
        self.assertEqual(work.state, "draft")
        work.unlink()

    def test_agents_see_the_work_of_the_tickets_they_see(self):
        private_team = self.env["helpdesk.team"].create(
            {"name": "Private", "visibility": "members"}
        )
        hidden = self._ticket(team_id=private_team.id)
        hidden_work = self._work(hidden, self.drum)
        Work = self.Work.with_user(self.agent)
        self.assertFalse(Work.search([("id", "=", hidden_work.id)]))
        with self.assertRaises(AccessError):
            Work.create({"ticket_id": hidden.id, "product_id": self.drum.id})
        own = Work.create({"ticket_id": self.ticket.id, "product_id": self.drum.id})
        self.assertEqual(Work.search([("ticket_id", "=", self.ticket.id)]), own)
        # accountants read every line, write none
        lines = self.Work.with_user(self.accountant).search(
            [("id", "in", (hidden_work | own).ids)]
        )
        self.assertEqual(len(lines), 2)
        with self.assertRaises(AccessError):
            lines.write({"quantity": 2.0})
        portal = new_test_user(self.env, login="hb_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Work.with_user(portal).search([])

    def test_contract_change_moves_the_open_lines(self):
        work = self._work(self.ticket, self.drum)
        other = self._contract(name="Second", helpdesk_pricelist_id=False)
        self.ticket.contract_id = other
        self.assertEqual(work.contract_id, other)
        self.assertEqual(work.price_unit, 90.0, "repriced with the new contract")
