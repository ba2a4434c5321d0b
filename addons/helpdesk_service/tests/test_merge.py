from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("helpdesk_service")
class TestMerge(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_merge_moves_history_and_archives_duplicates(self):
        keep = self._ticket(name="Printer jams")
        dup = self._ticket(name="Printer jams again", partner_id=self.executive.id)
        self._post_as(keep, partner=self.contact, body="first report")
        self._post_as(dup, partner=self.executive, body="duplicate report")
        self._post_as(dup, user=self.agent_a, body="we are looking")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "photo.jpg",
                "raw": b"jpeg",
                "res_model": "helpdesk.ticket",
                "res_id": dup.id,
            }
        )
        dup_events = dup.event_ids
        action = (keep | dup).with_user(self.agent_a).action_merge()
        wizard = (
            self.env["helpdesk.ticket.merge"]
            .with_user(self.agent_a)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.ticket_ids, keep | dup)
        self.assertEqual(wizard.target_id, keep, "the oldest ticket is kept by default")
        wizard.action_merge()
        self.assertFalse(dup.active)
        self.assertEqual(dup.merged_into_id, keep)
        self.assertTrue(dup.is_closed)
        bodies = str(keep.message_ids.mapped("body"))
        self.assertIn("duplicate report", bodies)
        self.assertIn("we are looking", bodies)
        self.assertEqual(attachment.res_id, keep.id)
        self.assertTrue(
            dup_events <= keep.event_ids, "timeline rows move, none is deleted"
        )
        self.assertEqual(keep.client_message_count, 2)
        self.assertEqual(keep.agent_reply_count, 1)
        self.assertIn(self.executive, keep.message_partner_ids)
        self.assertIn(dup, keep.with_context(active_test=False).related_ticket_ids)
        merged = keep.event_ids.filtered(lambda e: e.event_type == "merged")
        self.assertEqual(merged.old_value, dup.ticket_ref)
        # the clients of the duplicates are told where the conversation goes on
        notice = keep.message_ids.filtered(
            lambda m: "were merged into this ticket" in str(m.body)
        )
        self.assertEqual(notice.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.executive, notice.partner_ids)

    def test_merge_needs_two_tickets_of_one_company(self):
        ticket = self._ticket()
        wizard = self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, ticket.ids)]}
        )
        with self.assertRaises(UserError):
            wizard.action_merge()
        company2 = self.env["res.company"].create({"name": "Second Co"})
        other = self.Ticket.create({"name": "Other company", "company_id": company2.id})
        wizard = self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, (ticket | other).ids)]}
        )
        with self.assertRaises(UserError):
            wizard.action_merge()

    def test_merge_moves_followers_time_and_calls(self):
        keep = self._ticket(name="Scanner offline")
        dup = self._ticket(name="Scanner still offline", partner_id=self.executive.id)
        watcher = self.env["res.partner"].create(
            {"name": "Ward Watcher", "parent_id": self.client.id}
        )
        dup.message_subscribe(partner_ids=watcher.ids)
        employee = self.env["hr.employee"].create(
            {"name": "Agent A", "user_id": self.agent_a.id}
        )
        line = self.env["account.analytic.line"].create(
            {
                "helpdesk_ticket_id": dup.id,
                "employee_id": employee.id,
                "name": "Diagnosis",
                "unit_amount": 1.5,
            }
        )
        call = self.env["helpdesk.ticket.call"].create(
            {"ticket_id": dup.id, "note": "Client called back"}
        )
        message = self._post_as(dup, partner=self.executive, body="still offline")
        self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, (keep | dup).ids)], "target_id": keep.id}
        ).action_merge()
        self.assertIn(watcher, keep.message_partner_ids, "followers move")
        self.assertIn(self.executive, keep.message_partner_ids)
        self.assertEqual(line.helpdesk_ticket_id, keep, "time spent moves")
        self.assertEqual(call.ticket_id, keep)
        self.assertEqual(message.res_id, keep.id)
        self.assertFalse(dup.active)

    def test_merge_refused_across_clients(self):
        mine = self._ticket(name="VPN down")
        theirs = self._ticket(
            name="VPN down too",
            partner_id=self.env["res.partner"]
            .create({"name": "Otto", "parent_id": self.other_client.id})
            .id,
        )
        self._post_as(theirs, partner=theirs.partner_id, body="their secret")
        wizard = self.env["helpdesk.ticket.merge"].create(
            {"ticket_ids": [(6, 0, (mine | theirs).ids)], "target_id": mine.id}
        )
        with self.assertRaisesRegex(UserError, "different clients"):
            wizard.action_merge()
        self.assertTrue(theirs.active)
        self.assertNotIn("their secret", str(mine.message_ids.mapped("body")))
        self.assertNotIn(theirs.partner_id, mine.message_partner_ids)
