from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import HelpdeskCommonMixin

NOW = datetime(2026, 3, 2, 9, 0)
# a phrase of each e-mail to the client, in English and as ja.po / ru.po say it
CLIENT_MAILS = {
    "ack": {
        "en_US": "We have received your request",
        "ja_JP": "お問い合わせを受け付け",
        "ru_RU": "Мы получили Ваше обращение",
    },
    "resolved": {
        "en_US": "has been resolved",
        "ja_JP": "は解決いたしました",
        "ru_RU": "решена",
    },
    "followup": {
        "en_US": "We are still waiting for your answer",
        "ja_JP": "ご回答をお待ちしております",
        "ru_RU": "Мы всё ещё ждём Вашего ответа",
    },
    "autoclose": {
        "en_US": "closed automatically",
        "ja_JP": "自動的にクローズされました",
        "ru_RU": "закрыта автоматически",
    },
}


# post_install: Odoo sends no assignment notices while modules are loading
@tagged("post_install", "-at_install", "helpdesk_service")
class TestMailLanguage(HelpdeskCommonMixin, TransactionCase):
    """The client's e-mails are written in the client contact's language, the
    agents' notices in the agent's, whoever (or whichever job) sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        for code in ("ja_JP", "ru_RU"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "helpdesk_service"], ["ja_JP", "ru_RU"]
        )
        cls.contacts = {
            code: cls.env["res.partner"].create(
                {
                    "name": f"Client {code}",
                    "parent_id": cls.client.id,
                    "email": f"{code.lower()}@acme.example.com",
                    "lang": code,
                }
            )
            for code in ("ja_JP", "ru_RU")
        }
        cls.agent_ja = new_test_user(
            cls.env,
            login="hd_agent_ja",
            name="Agent Sato",
            email="sato@example.com",
            lang="ja_JP",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.team.member_ids += cls.agent_ja
        # mail as in production (tracking, stage templates), sent by an
        # English-speaking manager
        cls.live_env = cls.env(context={"lang": "en_US"})

    def _live_ticket(self, code, **vals):
        return self.live_env["helpdesk.ticket"].create(
            {
                "name": "Printer jam",
                "partner_id": self.contacts[code].id,
                "team_id": self.team.id,
                **vals,
            }
        )

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _messages(self, ticket):
        """The ticket's messages with a subject (the e-mails), read again from
        the database: tracking posts them after the stage is written."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("subject", "!=", False),
            ]
        )

    def _client_mails(self, code):
        """{kind: message} of the four e-mails to a contact of language code."""
        ticket = self._live_ticket(code, channel="portal")
        self.env["mail.message.schedule"].sudo()._send_notifications_cron()
        ack = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_ack")
        )
        # the ticket was created in an earlier transaction
        self._flush_tracking()
        before = self._messages(ticket)
        ticket.stage_id = self.stage_resolved
        self._flush_tracking()
        resolved = self._messages(ticket) - before
        waiting = self._live_ticket(code)
        before = self._messages(waiting)
        waiting._followup_remind_client(self.team, NOW)
        followup = self._messages(waiting) - before
        before = self._messages(ticket)
        ticket._followup_autoclose(self.team, NOW)
        self._flush_tracking()
        autoclose = self._messages(ticket) - before
        return {
            "ack": ack,
            "resolved": resolved,
            "followup": followup,
            "autoclose": autoclose,
        }

    def test_client_mails_in_the_contacts_language(self):
        for code in ("ja_JP", "ru_RU"):
            for kind, message in self._client_mails(code).items():
                with self.subTest(lang=code, mail=kind):
                    self.assertEqual(len(message), 1)
                    self.assertIn(CLIENT_MAILS[kind][code], message.body)
                    self.assertNotIn(CLIENT_MAILS[kind]["en_US"], message.body)
                    self.assertNotIn("Hello", message.body)

    def test_subject_in_the_contacts_language(self):
        ticket = self._live_ticket("ja_JP", channel="portal")
        self.env["mail.message.schedule"].sudo()._send_notifications_cron()
        ack = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_ack")
        )
        self.assertIn("お問い合わせを受け付けました", ack.subject)
        self.assertIn(ticket.ticket_ref, ack.subject)

    def test_assignment_notice_in_the_agents_language(self):
        ticket = self._live_ticket("ru_RU")
        ticket.user_id = self.agent_ja
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.agent_ja.partner_id.ids),
            ]
        )
        self.assertEqual(len(notice), 1)
        self.assertIn("割り当てられました", notice.subject)
        self.assertNotIn("You have been assigned", notice.subject)

    def test_creation_notice_in_the_agents_language(self):
        """A ticket assigned as it is created tells its agent by its creation
        message, written in his language."""
        ticket = self._live_ticket("ru_RU", user_id=self.agent_ja.id)
        created = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_service.mt_ticket_new")
        )
        self.assertEqual(created.partner_ids, self.agent_ja.partner_id)
        self.assertIn("割り当て", created.body)
        self.assertIn("Agent Sato", created.body)
        self.assertNotIn("assigned to", created.body)

    def test_reminder_in_the_agents_language(self):
        self.team.followup_agent_hours = 24
        with freeze_time(NOW):
            japanese = self._ticket(user_id=self.agent_ja.id)
            english = self._ticket(user_id=self.agent_a.id)
            (japanese | english)._followup_remind_agent(self.team, NOW)
        self.assertEqual(japanese.activity_ids.summary, "24時間更新なし")
        self.assertEqual(english.activity_ids.summary, "No update for 24 hours")

    def test_sla_escalation_in_the_agents_and_leads_language(self):
        self.env["helpdesk.sla"].search([]).active = False
        self.env["helpdesk.sla"].create(
            {"name": "Ten minutes", "ack_minutes": 10, "escalate_to_lead": True}
        )
        self.manager.lang = "ja_JP"
        with freeze_time(NOW):
            japanese = self._ticket(user_id=self.agent_ja.id)
            english = self._ticket(user_id=self.agent_a.id)
        lines = (japanese | english).sla_line_ids
        self.assertEqual(len(lines), 2)
        with freeze_time(NOW + timedelta(minutes=11)):
            lines._escalate_breach(NOW + timedelta(minutes=11))
        self.assertTrue(japanese.activity_ids.summary.startswith("SLA違反: "))
        self.assertTrue(english.activity_ids.summary.startswith("SLA breached: "))
        digest = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.manager.partner_id.ids),
                ("subject", "like", "SLA"),
            ]
        )
        self.assertEqual(digest.subject, "2件のチケットでSLA違反")

    def test_warranty_warning_in_the_responsibles_language(self):
        item = self.env["helpdesk.equipment"].create(
            {
                "name": "Office printer",
                "partner_id": self.client.id,
                "user_id": self.agent_ja.id,
                "date_warranty_end": date(2026, 3, 12),
            }
        )
        with freeze_time(NOW):
            self.env["helpdesk.equipment"]._cron_warranty_warning()
        self.assertEqual(item.activity_ids.summary, "保証終了日: 2026年03月12日")
