from odoo.tests import Form, tagged

from .common import JAN_END, JAN_START, HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestViews(HelpdeskBillingCommon):
    def test_contract_form_helpdesk_page(self):
        with Form(
            self.contract, view="contract.contract_contract_customer_form_view"
        ) as form:
            form.helpdesk_included_hours = 12.0
            form.helpdesk_site_ids.add(self.site_a)
            form.helpdesk_sla_credit_type = "percent"
            form.helpdesk_sla_credit_value = 3.0
        self.assertEqual(self.contract.helpdesk_site_ids, self.site_a)
        self.assertEqual(self.contract.helpdesk_included_hours, 12.0)

    def test_wizard_form(self):
        with Form(self.env["helpdesk.contract.invoice"]) as form:
            form.date_start = JAN_START
            form.date_end = JAN_END
            form.contract_ids.add(self.contract)
        self.assertEqual(form.record.contract_ids, self.contract)

    def test_views_load_for_each_role(self):
        for user in (self.agent, self.env.user):
            Ticket = self.Ticket.with_user(user)
            arch = Ticket.get_views(
                [(False, "form"), (False, "list"), (False, "search")]
            )
            self.assertIn("contract_id", arch["views"]["form"]["arch"])
        arch = self.Work.with_user(self.agent).get_views(
            [(False, "list"), (False, "pivot"), (False, "search")]
        )
        self.assertIn("filter_to_invoice", arch["views"]["search"]["arch"])
        Report = self.env["helpdesk.profitability.report"].with_user(self.accountant)
        Report.get_views([(False, "pivot"), (False, "graph"), (False, "list")])
        self.env["account.move"].with_user(self.accountant).get_views([(False, "form")])
