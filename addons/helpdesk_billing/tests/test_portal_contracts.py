from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestPortalContracts(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        Partner = env["res.partner"]
        cls.client = Partner.create({"name": "Portal Contract Co", "is_company": True})
        rival = Partner.create({"name": "Rival Contract Co", "is_company": True})
        cls.boss = new_test_user(
            env, login="hb_portal_boss", groups="base.group_portal"
        )
        cls.boss.partner_id.write(
            {"parent_id": cls.client.id, "helpdesk_portal_scope": "company"}
        )
        cls.own = new_test_user(env, login="hb_portal_own", groups="base.group_portal")
        cls.own.partner_id.write({"parent_id": cls.client.id})
        Contract = env["contract.contract"]
        cls.contract = Contract.create(
            {"name": "Portal managed IT", "partner_id": cls.client.id}
        )
        cls.rival_contract = Contract.create(
            {"name": "Rival hosting", "partner_id": rival.id}
        )

    def test_company_scope_contact_sees_the_company_contracts(self):
        Contract = self.env["contract.contract"]
        ids = (self.contract | self.rival_contract).ids
        self.assertEqual(
            Contract.with_user(self.boss).search([("id", "in", ids)]), self.contract
        )
        self.assertFalse(Contract.with_user(self.own).search([("id", "in", ids)]))
        self.authenticate("hb_portal_boss", "hb_portal_boss")
        page = self.url_open("/my/contracts").text
        self.assertIn("Portal managed IT", page)
        self.assertNotIn("Rival hosting", page)
        response = self.url_open(
            f"/my/contracts/{self.rival_contract.id}", allow_redirects=False
        )
        # sent back to the portal home, not shown (and no server error)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.authenticate("hb_portal_own", "hb_portal_own")
        self.assertNotIn("Portal managed IT", self.url_open("/my/contracts").text)
