from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import HelpdeskBillingCommon


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestContractStatement(HelpdeskBillingCommon):
    """January 2025 of the monthly contract (fee 500, 10 h included, 40 per
    extra hour, 25 per failed SLA target): two tickets under a 60 min / 4 h
    policy, works and parts, timesheets, and what falls outside the month or
    the contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.policy = cls.env["helpdesk.sla"].create(
            {"name": "Statement 1h/4h", "ack_minutes": 60, "resolve_hours": 4.0}
        )
        cls.contract.write(
            {
                "helpdesk_sla_ids": [Command.set(cls.policy.ids)],
                "helpdesk_sla_credit_type": "fixed",
                "helpdesk_sla_credit_value": 25.0,
            }
        )
        cls.client.email = "billing@nw.test"
        resolved = cls.env["helpdesk.stage"].search(
            [("kind", "=", "resolved")], limit=1
        )
        with freeze_time("2025-01-10 09:00"):
            cls.ticket_a = cls._ticket(name="Till down", day=date(2025, 1, 10))
        with freeze_time("2025-01-10 11:00"):
            cls.ticket_a.stage_id = resolved
        with freeze_time("2025-01-25 12:00"):
            cls.ticket_b = cls._ticket(name="Printer offline", day=date(2025, 1, 20))
        with freeze_time("2025-02-05 12:00"):
            cls.ticket_feb = cls._ticket(name="Scanner", day=date(2025, 2, 5))
        cls.other_contract = cls._contract(partner=cls.other_client)
        with freeze_time("2025-01-25 12:00"):
            cls.ticket_other = cls._ticket(
                partner=cls.other_contact, name="Other client", day=date(2025, 1, 12)
            )
        cls.drum_work = cls._work(cls.ticket_a, cls.drum)
        cls.toner_work = cls._work(
            cls.ticket_a,
            cls.toner,
            day=date(2025, 1, 16),
            quantity=2.0,
            is_billable=False,
        )
        cls.visit_work = cls._work(cls.ticket_b, cls.visit, day=date(2025, 1, 31))
        cls._work(cls.ticket_b, cls.visit, day=date(2025, 2, 1))
        cls._work(cls.ticket_other, cls.visit)
        employee = cls.env["hr.employee"].create(
            {"name": "Statement engineer", "user_id": cls.env.user.id}
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "helpdesk_ticket_id": ticket.id,
                    "employee_id": employee.id,
                    "name": "Work",
                    "date": day,
                    "unit_amount": hours,
                }
                for ticket, day, hours in (
                    (cls.ticket_a, date(2025, 1, 15), 6.0),
                    (cls.ticket_b, date(2025, 1, 20), 7.0),
                    (cls.ticket_b, date(2025, 2, 2), 2.0),
                    (cls.ticket_other, date(2025, 1, 20), 5.0),
                )
            ]
        )

    def _invoice(self):
        with freeze_time("2025-02-01 08:00"):
            self.contract.recurring_create_invoice()
        return self.env["account.move"].search(
            [("helpdesk_contract_id", "=", self.contract.id)]
        )

    def _statement(self, month=date(2025, 1, 1)):
        return self.contract._helpdesk_get_statement(month)

    def test_tickets_and_their_sla_targets(self):
        self.assertEqual(self.ticket_a.contract_id, self.contract)
        statement = self._statement()
        self.assertEqual(
            (statement["date_start"], statement["date_end"]),
            (date(2025, 1, 1), date(2025, 1, 31)),
        )
        self.assertEqual(
            [row["ticket"] for row in statement["tickets"]],
            [self.ticket_a, self.ticket_b],
            "the contract's tickets of the month only",
        )
        self.assertEqual(statement["opened_count"], 2)
        self.assertEqual(statement["resolved_count"], 1)
        row_a, row_b = statement["tickets"]
        self.assertEqual(row_a["date_resolved"], datetime(2025, 1, 10, 11, 0))
        self.assertEqual((row_a["hours"], row_b["hours"]), (6.0, 7.0))
        self.assertEqual(
            [
                (t["target_minutes"], t["deadline"], t["date_reached"], t["status"])
                for t in row_a["targets"]
            ],
            [
                (
                    60,
                    datetime(2025, 1, 10, 10, 0),
                    datetime(2025, 1, 10, 11, 0),
                    "failed",
                ),
                (
                    240,
                    datetime(2025, 1, 10, 13, 0),
                    datetime(2025, 1, 10, 11, 0),
                    "met",
                ),
            ],
        )
        self.assertEqual([t["status"] for t in row_b["targets"]], ["failed", "failed"])
        self.assertEqual(statement["failed_count"], 3)
        # February: the ticket opened then, the work and hours of February
        february = self._statement(date(2025, 2, 1))
        self.assertEqual(
            [row["ticket"] for row in february["tickets"]],
            [self.ticket_b, self.ticket_feb],
        )
        self.assertEqual(february["opened_count"], 1)
        self.assertEqual(february["hours_used"], 2.0)

    def test_suppressed_time_shown_when_recorded(self):
        Target = self.env["helpdesk.ticket.sla"]
        if "paused_minutes" not in Target._fields:
            self.skipTest("no suppressed time on SLA targets")
        self.assertFalse(self._statement()["has_paused"])
        ack = self.ticket_b.sla_line_ids.filtered(lambda t: t.target == "ack")
        ack.sudo().paused_minutes = 45.0
        statement = self._statement()
        self.assertTrue(statement["has_paused"])
        self.assertEqual(
            [t["paused_minutes"] for t in statement["tickets"][1]["targets"]],
            [45.0, 0.0],
        )

    def test_works_hours_and_credits_before_and_after_invoicing(self):
        statement = self._statement()
        self.assertEqual(
            [
                (w["work"], w["quantity"], w["amount"], w["billing"])
                for w in statement["works"]
            ],
            [
                (self.drum_work, 1.0, 60.0, "open"),
                (self.toner_work, 2.0, 0.0, "included"),
                (self.visit_work, 1.0, 50.0, "open"),
            ],
        )
        self.assertEqual(statement["works_billed"], 110.0)
        self.assertEqual(statement["works_included"], 60.0)
        self.assertEqual(
            (
                statement["hours_used"],
                statement["hours_included"],
                statement["hours_beyond"],
            ),
            (13.0, 10.0, 3.0),
        )
        self.assertFalse(statement["credits"])
        self.assertFalse(statement["invoices"])

        invoice = self._invoice()
        self.assertEqual(len(invoice), 1)
        # a draft invoice is no evidence yet
        statement = self._statement()
        self.assertEqual(
            [w["billing"] for w in statement["works"]], ["open", "included", "open"]
        )
        self.assertFalse(statement["credits"] or statement["invoices"])
        invoice.action_post()
        statement = self._statement()
        self.assertEqual(
            [(w["billing"], w["invoice"]) for w in statement["works"]],
            [
                ("invoiced", invoice.name),
                ("included", ""),
                ("invoiced", invoice.name),
            ],
        )
        self.assertEqual(statement["works_billed"], 110.0)
        self.assertEqual(
            (statement["hours_invoiced"], statement["hours_amount"]), (3.0, 120.0)
        )
        self.assertEqual(statement["credit_total"], 75.0)
        self.assertEqual(
            [(c["invoice"], c["count"], c["amount"]) for c in statement["credits"]],
            [(invoice.name, 3, 75.0)],
        )
        self.assertEqual([i["name"] for i in statement["invoices"]], [invoice.name])
        # an invoice reset to draft or cancelled is no evidence any more
        invoice.button_draft()
        invoice.button_cancel()
        statement = self._statement()
        self.assertEqual(statement["credit_total"], 0.0)
        self.assertEqual(
            [w["billing"] for w in statement["works"]], ["open", "included", "open"]
        )

    def _count_statement_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._statement()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_tickets(self):
        self._count_statement_queries()  # warm the caches of the registry
        queries = self._count_statement_queries()
        with freeze_time("2025-01-25 12:00"):
            tickets = self.Ticket.create(
                [
                    {
                        "name": f"More work {index}",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                        "date_received": datetime(2025, 1, 21 + index, 9, 0),
                    }
                    for index in range(4)
                ]
            )
        for ticket in tickets:
            self._work(ticket, self.visit, day=date(2025, 1, 22))
        self.assertEqual(len(self._statement()["tickets"]), 6)
        self.assertEqual(self._count_statement_queries(), queries)

    def test_months_of_the_contract(self):
        Contract = self.env["contract.contract"]
        self.assertEqual(Contract._helpdesk_parse_month("2025-01"), date(2025, 1, 1))
        for wrong in ("2025-13", "2025-1", "25-01", "2025-01-01", "", None, "x"):
            self.assertIsNone(Contract._helpdesk_parse_month(wrong), wrong)
        with freeze_time("2025-03-15"):
            self.assertEqual(
                [key for key, _label in self.contract._helpdesk_statement_months()],
                ["2025-03", "2025-02", "2025-01"],
            )
            self.assertEqual(Contract._helpdesk_last_closed_month(), date(2025, 2, 1))
            self.assertTrue(self.contract._helpdesk_has_statement(date(2025, 1, 1)))
            self.assertFalse(self.contract._helpdesk_has_statement(date(2024, 12, 1)))
            self.assertFalse(self.contract._helpdesk_has_statement(date(2025, 4, 1)))
            self.contract.date_end = date(2025, 1, 31)
            self.assertEqual(
                [key for key, _label in self.contract._helpdesk_statement_months()],
                ["2025-01"],
            )

    def test_pdf_in_the_clients_language(self):
        for code in ("ja_JP", "ru_RU"):
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_billing"], ["ja_JP", "ru_RU"]
        )
        Report = self.env["ir.actions.report"].with_context(lang="en_US")
        for code, heading in (
            ("ja_JP", "作業報告書"),
            ("ru_RU", "Отчёт о выполненных работах"),
        ):
            with self.subTest(lang=code):
                self.client.lang = code
                html = Report._render_qweb_html(
                    "helpdesk_billing.action_report_contract_statement",
                    self.contract.ids,
                    data={"month": "2025-01"},
                )[0].decode()
                self.assertIn(heading, html)
                self.assertNotIn("Statement of work", html)
                self.assertIn(self.ticket_a.ticket_ref, html)
                self.assertNotIn(self.ticket_feb.ticket_ref, html)
        self.client.lang = "ja_JP"
        html = Report._render_qweb_html(
            "helpdesk_billing.action_report_contract_statement",
            self.contract.ids,
            data={"month": "2025-01"},
        )[0].decode()
        self.assertIn("2025年1月", html, "the month in the client's language")

    def test_pdf_needs_read_access_to_the_contract(self):
        portal = new_test_user(
            self.env, login="hb_st_stranger", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.other_client
        Report = self.env["ir.actions.report"].with_user(portal)
        with self.assertRaises(AccessError):
            Report._render_qweb_html(
                "helpdesk_billing.action_report_contract_statement",
                self.contract.ids,
                data={"month": "2025-01"},
            )

    def test_statement_attached_to_the_invoice_mail(self):
        invoice = self._invoice()
        invoice.action_post()
        self.assertEqual(invoice._helpdesk_statement_months(), [date(2025, 1, 1)])
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        statement = [
            attachment
            for attachment in wizard.mail_attachments_widget
            if attachment.get("dynamic_report")
            == "helpdesk_billing.report_invoice_statement"
        ]
        self.assertEqual(len(statement), 1)
        filename = statement[0]["name"]
        self.assertIn("2025-01", filename)
        wizard.action_send_and_print()
        message = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn(filename, message.attachment_ids.mapped("name"))
        content = next(
            a.raw for a in message.attachment_ids if a.name == filename
        ).decode()
        # rendered as HTML in test mode
        self.assertIn(self.ticket_a.ticket_ref, content)
        # an invoice that bills no contract period has none
        other = self.init_invoice(
            "out_invoice", partner=self.client, amounts=[100.0], post=True
        )
        self.assertEqual(other._helpdesk_statement_months(), [])
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=other.ids)
            .create({})
        )
        self.assertFalse(
            [a for a in wizard.mail_attachments_widget if a.get("dynamic_report")]
        )

    def test_print_wizard(self):
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        with freeze_time("2025-02-10"):
            action = self.contract.action_helpdesk_statement()
            wizard = (
                self.env[action["res_model"]]
                .with_context(**action["context"])
                .create({})
            )
            self.assertEqual(wizard.month, "2025-01", "the last closed month")
            report = wizard.action_print()
        self.assertEqual(
            report["report_name"], "helpdesk_billing.report_contract_statement"
        )
        self.assertEqual(report["data"], {"month": "2025-01"})


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestContractStatementPortal(HttpCase):
    """The statement page and PDF as every role: the contacts who may read
    the contract (company scope, or following it) and internal users read
    it; the other contacts, the other client's and visitors get a 404, the
    same as for a contract that does not exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        Partner = env["res.partner"]
        cls.client = Partner.create({"name": "Statement Portal Co", "is_company": True})
        rival = Partner.create({"name": "Statement Rival Co", "is_company": True})

        def portal(login, parent, scope):
            user = new_test_user(env, login=login, groups="base.group_portal")
            user.partner_id.write(
                {"parent_id": parent.id, "helpdesk_portal_scope": scope}
            )
            return user

        cls.boss = portal("hb_st_boss", cls.client, "company")
        cls.own = portal("hb_st_own", cls.client, "own")
        cls.follower = portal("hb_st_follower", cls.client, "own")
        cls.rival = portal("hb_st_rival", rival, "company")
        cls.accountant = new_test_user(
            env,
            login="hb_st_accountant",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.employee = new_test_user(
            env, login="hb_st_employee", groups="base.group_user"
        )
        Contract = env["contract.contract"]
        cls.contract = Contract.create(
            {
                "name": "Statement managed IT",
                "partner_id": cls.client.id,
                "date_start": date(2025, 1, 1),
                # one statement month, whatever today is
                "date_end": date(2025, 1, 31),
            }
        )
        cls.contract.message_subscribe(partner_ids=cls.follower.partner_id.ids)
        cls.contract._portal_ensure_token()
        cls.rival_contract = Contract.create(
            {
                "name": "Rival hosting",
                "partner_id": rival.id,
                "date_start": date(2025, 1, 1),
            }
        )
        cls.rival_contract._portal_ensure_token()
        team = env["helpdesk.team"].create({"name": "Statement desk"})
        cls.ticket = env["helpdesk.ticket"].create(
            {
                "name": "Statement server down",
                "partner_id": cls.boss.partner_id.id,
                "team_id": team.id,
                "date_received": datetime(2025, 1, 14, 9, 0),
                "contract_id": cls.contract.id,
            }
        )

    def _url(self, contract=None, month="2025-01", **params):
        contract = contract or self.contract
        query = "&".join(f"{key}={value}" for key, value in params.items())
        url = f"/my/contracts/{contract.id}/statement/{month}"
        return f"{url}?{query}" if query else url

    def _get(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def test_readers_see_the_statement(self):
        self.assertEqual(self.ticket.contract_id, self.contract)
        for login in ("hb_st_boss", "hb_st_follower", "hb_st_accountant"):
            with self.subTest(login=login):
                response = self._get(login, self._url())
                self.assertEqual(response.status_code, 200)
                self.assertIn("Statement of work", response.text)
                self.assertIn(self.ticket.ticket_ref, response.text)
                self.assertIn("Statement server down", response.text)
        # the contract's page lists the months
        response = self._get("hb_st_boss", f"/my/contracts/{self.contract.id}")
        self.assertIn(
            f"/my/contracts/{self.contract.id}/statement/2025-01", response.text
        )
        # and the PDF
        response = self._get(
            "hb_st_boss", self._url(report_type="pdf", download="true")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response.headers["Content-Disposition"])

    def test_others_get_a_404(self):
        missing = self.contract.browse(2_000_000_000)
        cases = [
            ("hb_st_own", self._url()),
            ("hb_st_rival", self._url()),
            ("hb_st_employee", self._url()),
            ("hb_st_boss", self._url(self.rival_contract)),
            ("hb_st_boss", self._url(missing)),
            ("hb_st_boss", self._url(month="2025-13")),
            ("hb_st_boss", self._url(month="2024-12")),
            ("hb_st_boss", self._url(month="2025-02")),
            ("hb_st_boss", self._url(month="2999-01")),
            ("hb_st_own", self._url(report_type="pdf")),
            ("hb_st_boss", self._url(self.rival_contract, report_type="pdf")),
            (
                "hb_st_boss",
                self._url(
                    access_token=self.contract.access_token,
                    contract=self.rival_contract,
                ),
            ),
        ]
        for login, url in cases:
            with self.subTest(login=login, url=url):
                response = self._get(login, url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Statement server down", response.text)
                self.assertNotIn("Rival hosting", response.text)
        # a visitor: 404 without the contract's token, the statement with it
        self.authenticate(None, None)
        response = self.url_open(self._url(), allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            self._url(access_token=self.rival_contract.access_token),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(self._url(access_token=self.contract.access_token))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket.ticket_ref, response.text)

    def test_tour_statement_page(self):
        self.start_tour(
            "/my/contracts",
            "helpdesk_billing_contract_statement_tour",
            login="hb_st_boss",
        )
