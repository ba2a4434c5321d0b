from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import load_migration


@tagged("helpdesk_service")
class TestPortalScope(TransactionCase):
    """A contact's portal scope is the "whole company" group of his portal
    user: the portal rules are plain domains, and a scope change is a group
    change, which clears the rule caches by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        cls.group = env.ref("helpdesk_service.group_helpdesk_portal_company")
        Partner = env["res.partner"]
        cls.client = Partner.create({"name": "Scope Client Co", "is_company": True})
        cls.rival = Partner.create({"name": "Scope Rival Co", "is_company": True})
        cls.portal = new_test_user(
            env, login="hd_scope_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.client
        cls.colleague = Partner.create(
            {"name": "Scope Colleague", "parent_id": cls.client.id}
        )
        cls.agent = new_test_user(
            env,
            login="hd_scope_agent",
            groups="base.group_user,base.group_partner_manager,"
            "helpdesk_service.group_helpdesk_user",
        )
        Ticket = env["helpdesk.ticket"]
        cls.t_own = Ticket.create(
            {"name": "Scope own", "partner_id": cls.portal.partner_id.id}
        )
        cls.t_colleague = Ticket.create(
            {"name": "Scope colleague", "partner_id": cls.colleague.id}
        )
        cls.t_rival = Ticket.create({"name": "Scope rival", "partner_id": cls.rival.id})
        cls.mine = cls.t_own | cls.t_colleague | cls.t_rival

    def _visible(self):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.portal)
            .search([("id", "in", self.mine.ids)])
        )

    def test_switch_to_company_scope_and_back(self):
        partner = self.portal.partner_id
        self.assertEqual(partner.helpdesk_portal_scope, "own")
        self.assertEqual(self._visible(), self.t_own)
        # an agent who edits contacts sets the scope; no cache clearing of ours
        with patch.object(
            Registry, "clear_cache", autospec=True, side_effect=Registry.clear_cache
        ) as clear_cache:
            partner.with_user(self.agent).helpdesk_portal_scope = "company"
        self.assertTrue(clear_cache.called)  # by the group change (res.users)
        self.assertIn(self.group, self.portal.groups_id)
        self.assertEqual(partner.helpdesk_portal_scope, "company")
        self.assertEqual(self.portal.helpdesk_portal_scope, "company")
        self.assertEqual(self._visible(), self.t_own | self.t_colleague)
        self.t_colleague.with_user(self.portal).check_access("read")
        with self.assertRaises(AccessError):
            self.t_rival.with_user(self.portal).read(["name"])

        partner.with_user(self.agent).helpdesk_portal_scope = "own"
        self.assertNotIn(self.group, self.portal.groups_id)
        self.assertTrue(self.portal.has_group("base.group_portal"))
        self.assertEqual(self._visible(), self.t_own)
        with self.assertRaises(AccessError):
            self.t_colleague.with_user(self.portal).read(["name"])

    def test_group_set_on_the_user_shows_as_the_scope(self):
        self.portal.groups_id = [Command.link(self.group.id)]
        self.assertEqual(self.portal.partner_id.helpdesk_portal_scope, "company")
        self.assertEqual(self._visible(), self.t_own | self.t_colleague)

    def test_company_scope_needs_a_portal_user(self):
        with self.assertRaises(UserError):
            self.colleague.with_user(self.agent).helpdesk_portal_scope = "company"
        self.assertEqual(self.colleague.helpdesk_portal_scope, "own")

    def test_internal_users_cannot_join_the_portal_group(self):
        # the group implies the portal: Odoo refuses it to an internal user
        with self.assertRaises(UserError):
            self.agent.groups_id = [Command.link(self.group.id)]

    def test_migration_moves_company_scope_users(self):
        migration = load_migration("18.0.1.4.0", "post-portal_scope_groups")
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "helpdesk_portal_scope"):
            create_column(cr, "res_partner", "helpdesk_portal_scope", "varchar")
        other = new_test_user(
            self.env, login="hd_scope_portal2", groups="base.group_portal"
        )
        cr.execute(
            SQL(
                "UPDATE res_partner SET helpdesk_portal_scope = CASE "
                "WHEN id = %s THEN 'company' ELSE 'own' END WHERE id IN %s",
                self.portal.partner_id.id,
                (self.portal.partner_id.id, other.partner_id.id),
            )
        )
        moved = migration._move_company_scope_users(self.env)
        self.assertIn(self.portal, moved)
        self.assertNotIn(other, moved)
        self.assertIn(self.group, self.portal.groups_id)
        self.assertNotIn(self.group, other.groups_id)
        self.assertEqual(self._visible(), self.t_own | self.t_colleague)
        # the shipped noupdate portal rule of 18.0.1.3.0 gets its plain domain
        rule = self.env.ref("helpdesk_service.helpdesk_ticket_rule_portal")
        rule.domain_force = migration.OLD_PORTAL
        migration._update_portal_rule(self.env)
        self.assertEqual(rule.domain_force, migration.NEW_PORTAL)
