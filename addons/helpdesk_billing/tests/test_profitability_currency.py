from datetime import date

from odoo.tests import tagged

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestProfitabilityCurrency(HelpdeskBillingCommon):
    """A contract in another currency than the company's: its fee and work
    count in the company's currency, at the rate of their date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 company currency unit = 2 CHF in January, 4 CHF from February
        cls.chf = cls.setup_other_currency(
            "CHF", rates=[("2025-01-01", 2.0), ("2025-02-01", 4.0)]
        )
        cls.swiss = cls.env["res.partner"].create(
            {"name": "Swiss Test", "is_company": True}
        )
        cls.swiss_contact = cls.env["res.partner"].create(
            {"name": "Ueli Test", "parent_id": cls.swiss.id}
        )
        cls.swiss_contract = cls._contract(
            partner=cls.swiss,
            name="Swiss support",
            fee=500.0,
            manual_currency_id=cls.chf.id,
        )
        cls.ticket = cls._ticket(partner=cls.swiss_contact)
        cls.work = cls._work(
            cls.ticket, cls.visit, day=date(2025, 2, 10), price_unit=100.0
        )
        cls.Report = cls.env["helpdesk.profitability.report"]

    def _revenue(self, contract, month):
        groups = self.Report.read_group(
            [("date", "=", month), ("contract_id", "=", contract.id)],
            ["revenue_fee:sum", "revenue_extra:sum"],
            ["contract_id"],
        )
        self.assertEqual(len(groups), 1)
        return groups[0]["revenue_fee"], groups[0]["revenue_extra"]

    def test_foreign_currency_converted_at_the_date(self):
        self.assertEqual(self.swiss_contract.currency_id, self.chf)
        self.assertEqual(self.ticket.contract_id, self.swiss_contract)
        self.assertEqual(self.work.currency_id, self.chf)
        self.assertEqual(self.work.price_subtotal, 100.0)
        january = self._revenue(self.swiss_contract, date(2025, 1, 1))
        self.assertAlmostEqual(january[0], 250.0, msg="500 CHF at 2 CHF")
        self.assertAlmostEqual(january[1], 0.0)
        february = self._revenue(self.swiss_contract, date(2025, 2, 1))
        self.assertAlmostEqual(february[0], 125.0, msg="500 CHF at 4 CHF")
        self.assertAlmostEqual(february[1], 25.0, msg="100 CHF at 4 CHF")
        # a contract in the company's currency is summed as is
        self.assertEqual(self.contract.currency_id, self.env.company.currency_id)
        self.assertAlmostEqual(self._revenue(self.contract, date(2025, 1, 1))[0], 500.0)
