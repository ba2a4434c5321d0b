from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_service.tests.test_view_access import ViewAccessMixin


@tagged("post_install", "-at_install", "helpdesk_field")
class TestViewAccess(ViewAccessMixin, TransactionCase):
    module = "helpdesk_field"
