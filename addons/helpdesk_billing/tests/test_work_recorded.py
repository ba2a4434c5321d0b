from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestWorkRecordedFacts(HelpdeskBillingCommon):
    """A work line's invoicing links and amounts come from invoicing and the
    price lists: an agent cannot write them over RPC."""

    def test_agent_cannot_unlink_the_invoice_or_the_contract(self):
        ticket = self._ticket(user_id=self.agent.id)
        work = self._work(ticket, self.drum)
        self._run_wizard()
        self.assertTrue(work.is_invoiced)
        line = work.invoice_line_id
        mine = work.with_user(self.agent)
        for vals in (
            {"invoice_line_id": False},
            {"is_invoiced": False},
            {"contract_id": False},
            {"price_subtotal": 1.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
        self.assertEqual(work.invoice_line_id, line)
        self.assertEqual(work.contract_id, self.contract)
        self.assertEqual(work.price_subtotal, 60.0)
