from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

JAN_START, JAN_END = date(2025, 1, 1), date(2025, 1, 31)


class HelpdeskBillingCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a client with two sites and a
    printer, extra-work products, a standard and a contract price list, and a
    monthly post-paid contract (fee 500, 10 h included, 40 per extra hour).
    Classes using it are post_install: loading a chart of accounts needs the
    complete registry."""

    @classmethod
    def get_default_groups(cls):
        groups = super().get_default_groups()
        return groups | cls.env.ref("helpdesk_service.group_helpdesk_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env["contract.contract"]
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Work = cls.env["helpdesk.ticket.work"]
        Partner = cls.env["res.partner"]
        cls.client = Partner.create({"name": "Northwind Test", "is_company": True})
        cls.contact = Partner.create(
            {"name": "Joel Test", "parent_id": cls.client.id, "email": "j@nw.test"}
        )
        cls.other_client = Partner.create({"name": "Bluebird Test", "is_company": True})
        cls.other_contact = Partner.create(
            {"name": "Bea Test", "parent_id": cls.other_client.id}
        )
        cls.site_a, cls.site_b = cls.env["helpdesk.site"].create(
            [
                {"name": "Main shop", "partner_id": cls.client.id},
                {"name": "Warehouse", "partner_id": cls.client.id},
            ]
        )
        cls.printer = cls.env["helpdesk.equipment"].create(
            {"name": "Printer", "partner_id": cls.client.id, "site_id": cls.site_a.id}
        )
        cls.team = cls.env["helpdesk.team"].create({"name": "Billing desk"})
        # products: taxes (tax_sale_a) and accounts from AccountTestInvoicingCommon
        cls.fee_product = cls._create_product(
            name="Monthly support", type="service", lst_price=500.0
        )
        cls.drum = cls._create_product(
            name="Replace printer drum",
            type="service",
            lst_price=80.0,
            standard_price=35.0,
            is_helpdesk_work=True,
        )
        cls.visit = cls._create_product(
            name="On-site visit",
            type="service",
            lst_price=50.0,
            standard_price=20.0,
            is_helpdesk_work=True,
        )
        cls.toner = cls._create_product(
            name="Toner cartridge", type="consu", lst_price=30.0, standard_price=12.0
        )
        cls.hour_product = cls._create_product(
            name="Extra hour",
            type="service",
            lst_price=0.0,
            uom_id=cls.env.ref("uom.product_uom_hour").id,
            uom_po_id=cls.env.ref("uom.product_uom_hour").id,
        )
        cls.credit_product = cls._create_product(
            name="SLA credit", type="service", lst_price=0.0
        )
        Pricelist = cls.env["product.pricelist"]
        cls.standard_pricelist = Pricelist.create(
            {
                "name": "Standard works",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.drum.id,
                            "compute_price": "fixed",
                            "fixed_price": 90.0,
                        }
                    )
                ],
            }
        )
        cls.contract_pricelist = Pricelist.create(
            {
                "name": "Northwind works",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.drum.id,
                            "compute_price": "fixed",
                            "fixed_price": 60.0,
                        }
                    )
                ],
            }
        )
        cls.env.company.helpdesk_pricelist_id = cls.standard_pricelist
        cls.contract = cls._contract()
        cls.agent = new_test_user(
            cls.env,
            login="hb_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
            company_id=cls.env.company.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="hb_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.env.company.id,
        )

    @classmethod
    def _setup_cheap_and_quiet(cls):
        """The profitability dataset of January 2025: a cheap contract with
        much work (5 h and a part) and the well-paid quiet `cls.contract` (1 h),
        an engineer at 40 an hour."""
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Engineer", "user_id": cls.env.user.id, "hourly_cost": 40.0}
        )
        # a cheap contract with much work, and a well-paid quiet one
        cls.cheap = cls._contract(
            partner=cls.other_client, name="Cheap", fee=90.0, helpdesk_included_hours=40
        )
        cls.ticket = cls._ticket(partner=cls.other_contact)
        cls.quiet_ticket = cls._ticket()
        cls.env["account.analytic.line"].create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": cls.employee.id,
                    "name": "Work",
                    "date": date(2025, 1, 20),
                    "unit_amount": hours,
                }
                for ticket, hours in ((cls.ticket, 5.0), (cls.quiet_ticket, 1.0))
            ]
        )
        cls.part = cls._work(cls.ticket, cls.toner, quantity=2.0)  # 60, cost 24

    @classmethod
    def _contract(cls, partner=None, fee=500.0, **vals):
        values = {
            "name": "Support contract",
            "partner_id": (partner or cls.client).id,
            "date_start": JAN_START,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "post-paid",
            "helpdesk_pricelist_id": cls.contract_pricelist.id,
            "helpdesk_included_hours": 10.0,
            "helpdesk_overage_rate": 40.0,
            "helpdesk_overage_product_id": cls.hour_product.id,
            "helpdesk_sla_credit_product_id": cls.credit_product.id,
            "contract_line_ids": [
                Command.create(
                    {
                        "product_id": cls.fee_product.id,
                        "name": "Support #START# - #END#",
                        "quantity": 1,
                        "uom_id": cls.fee_product.uom_id.id,
                        "price_unit": fee,
                        # what the contract form passes as defaults
                        "date_start": vals.get("date_start", JAN_START),
                        "recurring_rule_type": "monthly",
                        "recurring_interval": 1,
                        "recurring_invoicing_type": vals.get(
                            "recurring_invoicing_type", "post-paid"
                        ),
                    }
                )
            ],
        }
        values.update(vals)
        return cls.Contract.create(values)

    @classmethod
    def _ticket(cls, partner=None, day=date(2025, 1, 10), **vals):
        values = {
            "name": "Printer jammed",
            "partner_id": (partner or cls.contact).id,
            "team_id": cls.team.id,
            "date_received": datetime.combine(day, datetime.min.time()).replace(hour=9),
        }
        values.update(vals)
        return cls.Ticket.create(values)

    @classmethod
    def _work(cls, ticket, product, day=date(2025, 1, 15), **vals):
        values = {
            "ticket_id": ticket.id,
            "product_id": product.id,
            "date": day,
        }
        values.update(vals)
        return cls.Work.create(values)

    def _invoice_lines(self, move, kind=None):
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        if kind:
            lines = lines.filtered(lambda line: line.helpdesk_kind == kind)
        return lines.sorted("sequence")

    def _wizard(self, start=JAN_START, end=JAN_END, **vals):
        values = {
            "date_start": start,
            "date_end": end,
            "date_invoice": end,
        }
        values.update(vals)
        return self.env["helpdesk.contract.invoice"].create(values)

    def _run_wizard(self, **vals):
        action = self._wizard(**vals).action_invoice()
        return self.env["account.move"].search(action["domain"])
