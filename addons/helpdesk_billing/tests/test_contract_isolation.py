from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_billing")
class TestContractIsolation(TransactionCase):
    """A client's contacts read the lines and modifications of their own
    contracts only, never another client's prices (OCA contract gives portal
    users read access to every line)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        Partner = cls.env["res.partner"]
        cls.client = Partner.create({"name": "Isolated Co", "is_company": True})
        cls.rival = Partner.create({"name": "Rival Iso Co", "is_company": True})
        cls.boss = new_test_user(
            cls.env, login="hb_iso_boss", groups="base.group_portal"
        )
        cls.boss.partner_id.write(
            {"parent_id": cls.client.id, "helpdesk_portal_scope": "company"}
        )
        cls.follower = new_test_user(
            cls.env, login="hb_iso_follower", groups="base.group_portal"
        )
        cls.follower.partner_id.parent_id = cls.client
        cls.stranger = new_test_user(
            cls.env, login="hb_iso_stranger", groups="base.group_portal"
        )
        cls.stranger.partner_id.parent_id = cls.rival
        Contract = cls.env["contract.contract"]
        cls.contract, cls.rival_contract = Contract.create(
            [
                cls._contract_vals("Isolated support", cls.client, 500.0),
                cls._contract_vals("Rival hosting", cls.rival, 9999.0),
            ]
        )
        cls.contract.message_subscribe(partner_ids=cls.follower.partner_id.ids)
        cls.env["contract.modification"].with_context(
            bypass_modification_send=True
        ).create(
            [
                {
                    "contract_id": contract.id,
                    "date": date(2025, 1, 1),
                    "description": f"Price change of {contract.name}",
                }
                for contract in cls.contract | cls.rival_contract
            ]
        )
        cls.lines = (cls.contract | cls.rival_contract).contract_line_ids

    @classmethod
    def _contract_vals(cls, name, partner, price):
        return {
            "name": name,
            "partner_id": partner.id,
            "contract_line_ids": [
                Command.create(
                    {
                        "name": f"{name} fee",
                        "quantity": 1.0,
                        "price_unit": price,
                        "recurring_rule_type": "monthly",
                        "recurring_interval": 1,
                        "date_start": date(2025, 1, 1),
                    }
                )
            ],
        }

    def _read_lines(self, user):
        return (
            self.env["contract.line"]
            .with_user(user)
            .search_read([("id", "in", self.lines.ids)], ["name", "price_unit"])
        )

    def test_portal_reads_only_the_lines_of_its_contracts(self):
        self.assertEqual(len(self.lines), 2)
        for user in (self.boss, self.follower):
            rows = self._read_lines(user)
            self.assertEqual([row["price_unit"] for row in rows], [500.0])
        self.assertFalse(self._read_lines(self.stranger))
        rival_line = self.rival_contract.contract_line_ids
        with self.assertRaises(AccessError):
            rival_line.with_user(self.boss).read(["price_unit"])

    def test_portal_reads_only_the_modifications_of_its_contracts(self):
        Modification = self.env["contract.modification"]
        modifications = (self.contract | self.rival_contract).modification_ids
        self.assertEqual(modifications.contract_id, self.contract | self.rival_contract)
        ids = modifications.ids
        for user in (self.boss, self.follower):
            found = Modification.with_user(user).search([("id", "in", ids)])
            self.assertEqual(found.contract_id, self.contract)
        # a contact without company scope who follows nothing reads none
        self.contract.message_unsubscribe(partner_ids=self.follower.partner_id.ids)
        self.assertFalse(
            Modification.with_user(self.follower).search([("id", "in", ids)])
        )
        self.assertFalse(self._read_lines(self.follower))
