from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_service")
class TestKnowledgeCategoryAccess(TransactionCase):
    """Clients and visitors read a knowledge base category only when they may
    read one of its articles: internal sections and FAQ sets still being
    prepared stay hidden, over JSON-RPC too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        Category = cls.env["helpdesk.article.category"]
        cls.c_public, cls.c_portal, cls.c_internal, cls.c_prepared = Category.create(
            [
                {"name": "Public FAQ"},
                {"name": "Clients FAQ"},
                {"name": "Supplier escalations"},
                {"name": "New cash desk system"},
            ]
        )
        Article = cls.env["helpdesk.article"]
        Article.create(
            [
                {
                    "name": "Open to everyone",
                    "visibility": "public",
                    "state": "published",
                    "category_id": cls.c_public.id,
                },
                {
                    "name": "For clients",
                    "visibility": "portal",
                    "state": "published",
                    "category_id": cls.c_portal.id,
                },
                {
                    "name": "Supplier hotline",
                    "visibility": "internal",
                    "state": "published",
                    "category_id": cls.c_internal.id,
                },
                {
                    "name": "Cash desk FAQ, not yet live",
                    "visibility": "portal",
                    "state": "draft",
                    "category_id": cls.c_prepared.id,
                },
            ]
        )
        cls.categories = cls.c_public | cls.c_portal | cls.c_internal | cls.c_prepared
        cls.portal_user = new_test_user(
            cls.env, login="hd_kb_cat_portal", groups="base.group_portal"
        )
        cls.agent = new_test_user(
            cls.env,
            login="hd_kb_cat_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        cls.public_user = cls.env.ref("base.public_user")

    def _visible(self, user):
        return (
            self.env["helpdesk.article.category"]
            .with_user(user)
            .search([("id", "in", self.categories.ids)])
        )

    def test_clients_read_categories_of_their_articles(self):
        self.assertEqual(self._visible(self.portal_user), self.c_public | self.c_portal)
        with self.assertRaises(AccessError):
            self.c_prepared.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.c_internal.with_user(self.portal_user).read(["name"])

    def test_visitors_read_categories_of_public_articles(self):
        self.assertEqual(self._visible(self.public_user), self.c_public)

    def test_agents_read_every_category(self):
        self.assertEqual(self._visible(self.agent), self.categories)
