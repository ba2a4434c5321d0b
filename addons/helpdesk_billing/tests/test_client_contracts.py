from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("helpdesk_billing")
class TestClientContracts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.env["res.partner"].create(
            {"name": "Client Co", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Client Contact", "parent_id": cls.client.id}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Other Co", "is_company": True}
        )
        Contract = cls.env["contract.contract"]
        cls.contracts = Contract.create(
            [
                {"name": "Monthly support", "partner_id": cls.client.id},
                {"name": "Printers", "partner_id": cls.contact.id},
            ]
        )
        Contract.create({"name": "Other client", "partner_id": cls.other.id})
        Contract.create(
            {
                "name": "Supplier",
                "partner_id": cls.client.id,
                "contract_type": "purchase",
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Broken printer", "partner_id": cls.contact.id}
        )

    def test_ticket_counts_and_opens_the_client_contracts(self):
        self.assertEqual(self.ticket.client_contract_count, 2)
        action = self.ticket.action_open_client_contracts()
        found = self.env["contract.contract"].search(action["domain"])
        self.assertEqual(found, self.contracts)
        self.assertEqual(action["context"]["default_partner_id"], self.client.id)

    def test_agents_read_customer_contracts_only(self):
        agent = new_test_user(
            self.env,
            login="hb_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        ticket = self.ticket.with_user(agent)
        self.assertEqual(ticket.client_contract_count, 2)
        visible = (
            self.env["contract.contract"]
            .with_user(agent)
            .search([("commercial_partner_id", "=", self.client.id)])
        )
        self.assertEqual(visible, self.contracts, "no supplier contract")
