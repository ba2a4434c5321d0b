from odoo.tests import TransactionCase, tagged


@tagged("helpdesk_billing")
class TestAnnouncementContracts(TransactionCase):
    def test_contract_clients_are_targeted(self):
        Partner = self.env["res.partner"]
        client = Partner.create({"name": "Contract Co", "is_company": True})
        contact = Partner.create(
            {"name": "Contract Contact", "parent_id": client.id, "email": "c@co.test"}
        )
        other = Partner.create({"name": "No Contract Co", "is_company": True})
        contract = self.env["contract.contract"].create(
            {"name": "Hosting", "partner_id": contact.id}
        )
        announcement = self.env["helpdesk.announcement"].create(
            {"name": "Hosting maintenance", "contract_ids": [(6, 0, contract.ids)]}
        )
        self.assertEqual(announcement.client_ids, client)
        announcement.partner_ids = other
        self.assertEqual(announcement.client_ids, client | other)
        announcement.partner_ids = False
        announcement.action_publish()
        message = announcement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(message.partner_ids, contact)
