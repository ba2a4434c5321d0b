"""Flows across the three addons on the test database (demo data loaded)."""

from odoo.tests import TransactionCase


class TestInstalledSuite(TransactionCase):
    # Odoo tags test classes of odoo.addons.* only; this one lives outside an addon
    test_tags = {"standard", "post_install"}
    test_module = "helpdesk_suite"
    test_sequence = 0

    def test_three_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["helpdesk_service", "helpdesk_billing", "helpdesk_field"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)
        contract = self.env["ir.module.module"].search([("name", "=", "contract")])
        self.assertEqual(contract.state, "installed", "OCA contract comes from PyPI")

    def test_demo_data_shows_the_features(self):
        env = self.env
        teams = env["helpdesk.team"].search([])
        self.assertGreaterEqual(len(teams), 2)
        self.assertIn("skill", teams.mapped("assign_method"))
        tickets = env["helpdesk.ticket"].search([])
        self.assertGreaterEqual(len(tickets), 12)
        self.assertGreaterEqual(len(tickets.commercial_partner_id), 3)
        self.assertGreaterEqual(len(tickets.stage_id), 4, "tickets in various stages")
        major = tickets.filtered("is_major_incident")
        self.assertEqual(len(major), 1)
        self.assertGreaterEqual(len(major.child_ids), 3)
        self.assertTrue(tickets.filtered("is_vip"), "executive and VIP requests")
        helpdesk_skills = env.ref("helpdesk_service.hr_skill_type_helpdesk")
        self.assertTrue(
            env["hr.employee.skill"].search_count(
                [("skill_type_id", "=", helpdesk_skills.id)]
            ),
            "the agents' helpdesk skills on their employees (hr_skills)",
        )
        self.assertTrue(env["helpdesk.ticket.call"].search_count([]))
        for login in ("agent", "manager", "portal", "engineer"):
            self.assertTrue(
                env["res.users"].search([("login", "=", login)]), f"demo login {login}"
            )
        portal = env.ref("base.demo_user0")
        self.assertTrue(portal.partner_id.commercial_partner_id.is_helpdesk_vip)

    def test_agent_sees_helpdesk_menu_and_contracts_button(self):
        agent = self.env["res.users"].search([("login", "=", "agent")])
        menu = self.env.ref("helpdesk_service.helpdesk_service_menu_root")
        visible = self.env["ir.ui.menu"].with_user(agent)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        ticket = self.env.ref("helpdesk_service.helpdesk_ticket_printer_jam_demo")
        before = ticket.client_contract_count
        contract = self.env["contract.contract"].create(
            {
                "name": "Northwind monthly service",
                "partner_id": ticket.commercial_partner_id.id,
                "contract_type": "sale",
            }
        )
        ticket.invalidate_recordset(["client_contract_count"])
        self.assertEqual(ticket.client_contract_count, before + 1)
        action = ticket.action_open_client_contracts()
        self.assertIn(contract, self.env["contract.contract"].search(action["domain"]))
