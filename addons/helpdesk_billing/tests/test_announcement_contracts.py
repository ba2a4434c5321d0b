from freezegun import freeze_time

from odoo import Command
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

    def test_contract_maintenance_is_proposed_to_its_tickets(self):
        """A planned maintenance announced by contract is proposed on the
        tickets of the contract's client received during its window."""
        Partner = self.env["res.partner"]
        client = Partner.create({"name": "Hosted Co", "is_company": True})
        contact = Partner.create({"name": "Hosted Contact", "parent_id": client.id})
        other = Partner.create({"name": "Unhosted Co", "is_company": True})
        contract = self.env["contract.contract"].create(
            {"name": "Hosting", "partner_id": client.id}
        )
        maintenance = self.env["helpdesk.announcement"].create(
            {
                "name": "Hypervisor upgrade",
                "kind": "maintenance",
                "date_start": "2026-03-02 09:00:00",
                "date_end": "2026-03-02 12:00:00",
                "contract_ids": [Command.set(contract.ids)],
                "state": "published",
            }
        )
        team = self.env["helpdesk.team"].create({"name": "Hosting desk"})
        with freeze_time("2026-03-02 10:00:00"):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {"name": "VM down", "partner_id": contact.id, "team_id": team.id},
                    {"name": "Mail down", "partner_id": other.id, "team_id": team.id},
                ]
            )
        self.assertEqual(tickets.maintenance_proposal_id, maintenance)
        self.assertFalse(tickets[1].maintenance_proposal_id)
        tickets.action_link_maintenance()
        self.assertEqual(tickets.maintenance_announcement_id, maintenance)
        self.assertEqual(maintenance.maintenance_ticket_count, 1)
