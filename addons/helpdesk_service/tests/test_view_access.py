from odoo.tests import TransactionCase, tagged

VIEW_LOGGER = "odoo.addons.base.models.ir_ui_view"


class ViewAccessMixin:
    """The views of `module` validate as at its install, without a warning:
    no "Access Rights Inconsistency" (an element shown to a group, portal
    users included, that uses a field the group cannot read). Used by the
    addons that ship views (helpdesk_billing, helpdesk_field)."""

    allow_inherited_tests_method = True
    module = None

    def test_views_validate_without_warning(self):
        view_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", self.module), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        views = self.env["ir.ui.view"].browse(view_ids).exists()
        self.assertTrue(views, f"{self.module} ships views")
        with self.assertNoLogs(VIEW_LOGGER, "WARNING"):
            views._check_xml()


@tagged("post_install", "-at_install", "helpdesk_service")
class TestViewAccess(ViewAccessMixin, TransactionCase):
    module = "helpdesk_service"
