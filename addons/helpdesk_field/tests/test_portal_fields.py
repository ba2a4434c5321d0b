from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_service.tests.test_portal_fields import PortalFieldsMixin


@tagged("post_install", "-at_install", "helpdesk_field")
class TestPortalFields(PortalFieldsMixin, TransactionCase):
    """The fields helpdesk_field adds that a client reads over JSON-RPC: none
    of the ticket's (its visits are shown on the ticket page, rendered as
    superuser; clients have no access to the visits themselves)."""

    _module = "helpdesk_field"
    _allowed = {
        "res.company": {
            "helpdesk_visit_mail",
            "helpdesk_visit_sms",
            "helpdesk_visit_sms_arrived_template_id",
            "helpdesk_visit_sms_done_template_id",
            "helpdesk_visit_sms_on_way_template_id",
        },
    }
