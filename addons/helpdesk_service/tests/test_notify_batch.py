"""helpdesk.notify.batch.mixin (issue #19): the e-mails of the notices of new
tickets go to Odoo's scheduled-messages job, queued in one insert at the
commit; inbox and bus notifications are sent at once."""

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin


@tagged("post_install", "-at_install", "helpdesk_service")
class TestNotifyBatch(HelpdeskCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.team.notify_new_tickets = True
        cls.team.assign_method = "round_robin"
        cls.agent_a.notification_type = "email"
        (cls.agent_b | cls.manager).notification_type = "inbox"
        # mail as in production: creation messages, followers, tracking
        cls.live_env = cls.env(context={})
        cls.Schedule = cls.env["mail.message.schedule"].sudo()

    def _create(self, name, user=None):
        Ticket = self.live_env["helpdesk.ticket"].with_user(user or self.manager)
        return Ticket.create(
            {"name": name, "partner_id": self.contact.id, "team_id": self.team.id}
        )

    def _created_message(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_new")
        )

    def _notifications(self, message):
        return {
            n.res_partner_id: n.notification_type
            for n in self.env["mail.notification"].search(
                [("mail_message_id", "=", message.id)]
            )
        }

    def test_inbox_at_once_email_after_the_commit(self):
        ticket = self._create("Inbox now, e-mail later")
        created = self._created_message(ticket)
        self.assertEqual(len(created), 1)
        # the agent who reads his inbox is told at once; no e-mail is rendered
        self.assertEqual(
            self._notifications(created), {self.agent_b.partner_id: "inbox"}
        )
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "=", created.id)])
        )
        self.assertFalse(self.Schedule.search([("mail_message_id", "=", created.id)]))
        # the commit queues the e-mails for the job, triggered for now
        self.env.cr.flush()
        queued = self.Schedule.search([("mail_message_id", "=", created.id)])
        self.assertEqual(len(queued), 1)
        bus = self.env["bus.bus"].sudo().search([], order="id desc", limit=20)
        self.assertTrue(
            any("mail.message/inbox" in (row.message or "") for row in bus),
            "the inbox notification reached the bus",
        )
        self.Schedule._send_notifications_cron()
        self.assertFalse(queued.exists())
        # the e-mail reader gets his e-mail, the inbox reader no second notice
        self.assertEqual(
            self._notifications(created),
            {self.agent_b.partner_id: "inbox", self.agent_a.partner_id: "email"},
        )

    def test_one_insert_per_transaction(self):
        """Tickets created one after another queue their e-mails in one insert
        at the commit, none during their creation."""
        with self._statements() as during:
            tickets = self._create("First call")
            tickets |= self._create("Second call")
            tickets |= self._create("Third call")
            self.env.flush_all()
        self.assertFalse(
            [s for s in during if 'INTO "mail_message_schedule"' in s], during
        )
        with self._statements() as at_commit:
            self.env.cr.flush()
        inserts = [s for s in at_commit if 'INTO "mail_message_schedule"' in s]
        self.assertEqual(len(inserts), 1, at_commit)
        queued = self.Schedule.search(
            [("mail_message_id", "in", tickets.message_ids.ids)]
        )
        self.assertEqual(queued.mail_message_id, self._created_message(tickets))

    def test_assignment_notices_are_the_creation_messages(self):
        """The tickets of a batch assigned as they are created tell their
        agents by their creation messages, addressed to them: one message per
        ticket, no separate notice; the agents get them (inbox at once, e-mail
        after the commit) even from a team that does not announce new
        tickets, whose followers are not told."""
        self.team.notify_new_tickets = False
        vals = [
            {
                "name": f"Batch {i}",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
            }
            for i in range(4)
        ]
        Ticket = self.live_env["helpdesk.ticket"].with_user(self.manager)
        with self._statements() as statements:
            tickets = Ticket.create(vals)
        self.assertEqual(set(tickets.user_id), {self.agent_a, self.agent_b})
        self.assertFalse(
            [
                s
                for s in statements
                if s.startswith('INSERT INTO "mail_message"')
                and "user_notification" in s
            ]
        )
        # the agents are looked up alone: the followers' subscriptions, whom a
        # quiet team's creation message does not reach, are not read
        self.assertFalse([s for s in statements if "sub_followers" in s])
        messages = self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
        )
        self.assertEqual(messages, self._created_message(tickets))
        self.env.cr.flush()
        self.Schedule._send_notifications_cron()
        for ticket in tickets:
            created = self._created_message(ticket)
            agent = ticket.user_id
            self.assertEqual(created.partner_ids, agent.partner_id)
            self.assertIn(f"assigned to {agent.name}", created.body)
            self.assertEqual(
                self._notifications(created),
                {agent.partner_id: agent.notification_type},
            )

    def test_assignment_notice_alone_without_creation_message(self):
        """Tickets created without a creation message (mail_create_nolog)
        still tell their agents, by a notice of their own."""
        ticket = (
            self.live_env["helpdesk.ticket"]
            .with_user(self.manager)
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "name": "Quiet",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                }
            )
        )
        self.assertTrue(ticket.user_id)
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(notice.partner_ids, ticket.user_id.partner_id)
        self.assertFalse(self._created_message(ticket))

    def test_deleted_message_is_not_queued(self):
        ticket = self._create("Withdrawn at once")
        created = self._created_message(ticket)
        created.unlink()
        self.env.cr.flush()  # no foreign key error at the commit
        self.assertFalse(
            self.Schedule.search([("mail_message_id", "in", ticket.message_ids.ids)])
        )

    def test_later_messages_are_notified_at_once(self):
        ticket = self._create("Then a note")
        message = ticket.with_user(self.agent_b).message_post(
            body="Calling the client",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.agent_a.partner_id.ids,
        )
        self.assertEqual(self._notifications(message)[self.agent_a.partner_id], "email")
        self.env.cr.flush()
        self.assertFalse(self.Schedule.search([("mail_message_id", "=", message.id)]))
