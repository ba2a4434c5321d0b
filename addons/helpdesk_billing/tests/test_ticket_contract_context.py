from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from .common import HelpdeskBillingCommon

AGENT_VIEW = "helpdesk_billing.contract_contract_view_form_helpdesk_agent"


class TicketContractContextMixin:
    @classmethod
    def _setup_contract_context(cls):
        cls.gold = cls.env["helpdesk.sla"].create(
            {"name": "Gold contract (test)", "sequence": 99, "resolve_hours": 4.0}
        )
        cls.contract.write(
            {
                "helpdesk_sla_ids": [(6, 0, cls.gold.ids)],
                "helpdesk_approval_required": True,
            }
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Context engineer", "user_id": cls.env.user.id}
        )
        cls.ticket = cls._ticket(name="Context: till down", day=date(2025, 1, 10))
        cls.team.member_ids = [(4, cls.agent.id)]

    @classmethod
    def _timesheet(cls, ticket, hours, day):
        return cls.env["account.analytic.line"].create(
            {
                "helpdesk_ticket_id": ticket.id,
                "employee_id": cls.employee.id,
                "name": "Work",
                "date": day,
                "unit_amount": hours,
            }
        )


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestTicketContractContext(TicketContractContextMixin, HelpdeskBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_contract_context()

    @freeze_time("2025-01-20 10:00:00")
    def test_contract_terms_on_ticket(self):
        """An agent sees the terms of the ticket's contract that matter now:
        service level, included hours used and left this month (every agent's
        time on the contract's tickets), approval of extra work, the name of
        the price list of extra works."""
        other = self._ticket(name="Context: printer", day=date(2025, 1, 12))
        self.assertEqual(other.contract_id, self.contract)
        self._timesheet(self.ticket, 4.0, date(2025, 1, 15))
        self._timesheet(other, 2.5, date(2025, 1, 16))
        self._timesheet(self.ticket, 3.0, date(2024, 12, 30))  # last month
        other_contract = self._contract(
            partner=self.other_client, name="Bluebird support"
        )
        elsewhere = self._ticket(partner=self.other_contact, name="Context: Bluebird")
        self.assertEqual(elsewhere.contract_id, other_contract)
        self._timesheet(elsewhere, 5.0, date(2025, 1, 15))

        ticket = self.ticket.with_user(self.agent)
        self.assertEqual(ticket.contract_sla_ids, self.gold)
        self.assertEqual(ticket.contract_included_hours, 10.0)
        self.assertEqual(ticket.contract_hours_used, 6.5)
        self.assertEqual(ticket.contract_hours_left, 3.5)
        self.assertTrue(ticket.contract_approval_required)
        self.assertEqual(
            ticket.contract_pricelist_name, self.contract_pricelist.display_name
        )

        # beyond the included hours nothing is left
        self._timesheet(other, 5.0, date(2025, 1, 18))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.contract_hours_used, 11.5)
        self.assertEqual(ticket.contract_hours_left, 0.0)

    def test_agent_opens_contract_without_prices(self):
        """The contract on the ticket opens for an agent in the form of its
        service terms; invoicing users keep OCA contract's form. The agent's
        form shows no price, line or invoice, which the agent may not read."""
        contract = self.contract.with_user(self.agent)
        action = contract.get_formview_action()
        agent_view = self.env.ref(AGENT_VIEW)
        self.assertEqual(action["views"], [(agent_view.id, "form")])
        accountant_action = self.contract.with_user(
            self.accountant
        ).get_formview_action()
        self.assertNotEqual(accountant_action["views"][0][0], agent_view.id)

        arch = contract.get_views([(agent_view.id, "form")])["views"]["form"]["arch"]
        for hidden in (
            "helpdesk_overage_rate",
            "contract_line",
            "invoice",
            "price_",
        ):
            self.assertNotIn(hidden, arch)
        form = Form(contract, view=AGENT_VIEW)
        self.assertEqual(form.helpdesk_included_hours, 10.0)
        self.assertEqual(form.helpdesk_sla_ids[:], self.gold)
        with self.assertRaises(AccessError):
            contract.contract_line_ids.mapped("price_unit")


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestTicketContractContextUi(
    TicketContractContextMixin, HelpdeskBillingCommon, HttpCase
):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_contract_context()

    def test_contract_block_tour(self):
        """An agent reads the contract block of a ticket and opens the
        contract from it."""
        self.start_tour(
            f"/odoo/helpdesk.ticket/{self.ticket.id}",
            "helpdesk_billing_contract_block_tour",
            login="hb_agent",
        )
