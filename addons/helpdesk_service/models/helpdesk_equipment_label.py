import base64
import secrets

from odoo import api, fields, models
from odoo.tools import consteq
from odoo.tools.image import image_data_uri


def new_label_token():
    """An unguessable token for the QR label of an equipment item."""
    return secrets.token_urlsafe(24)


class HelpdeskEquipment(models.Model):
    """QR labels: each item carries a random token; the label's QR code
    opens ``/eq/<token>``, which asks for service on that item."""

    _inherit = "helpdesk.equipment"

    label_token = fields.Char(
        copy=False,
        readonly=True,
        groups="helpdesk_service.group_helpdesk_user",
        help="Random key printed in the QR label. Re-issuing the labels "
        "replaces it: the old labels stop working.",
    )
    label_url = fields.Char(
        "Label URL",
        compute="_compute_label_url",
        groups="helpdesk_service.group_helpdesk_user",
    )

    _sql_constraints = [
        ("label_token_uniq", "unique(label_token)", "The label token must be unique."),
    ]

    @api.depends("label_token")
    def _compute_label_url(self):
        for item in self:
            item.label_url = (
                f"{item.get_base_url()}/eq/{item.label_token}"
                if item.label_token
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("label_token"):
                vals["label_token"] = new_label_token()
        return super().create(vals_list)

    def action_reissue_labels(self):
        """New tokens for the items: the labels printed before stop working."""
        self.check_access("write")
        for item in self:
            item.label_token = new_label_token()
        for item in self:
            item.message_post(
                body=self.env._(
                    "New QR labels issued: the labels printed before no longer work."
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _get_label_qr_src(self):
        """The QR code of the item's label URL, as an image data URI drawn
        by Odoo's barcode renderer (the one behind ``/report/barcode``):
        the PDF needs no HTTP request back to the server."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self.label_url, width=300, height=300
        )
        return image_data_uri(base64.b64encode(png))

    def _get_label_landing_url(self):
        """Where a user of the back office lands when he scans the item's
        label: the item's form. Called as that user, who may read the item;
        a hook for the addons that give him a better place (the engineers'
        workspace)."""
        self.ensure_one()
        return f"/odoo/action-helpdesk_service.helpdesk_equipment_action/{self.id}"

    @api.model
    def _find_by_label_token(self, token):
        """The item whose label carries ``token`` (any company, archived or
        not, whatever the user may read), or an empty recordset."""
        if not token or not isinstance(token, str) or len(token) > 128:
            return self.browse()
        item = (
            self.sudo()
            .with_context(active_test=False)
            .search([("label_token", "=", token)], limit=1)
        )
        if item and consteq(item.label_token, token):
            return item
        return self.browse()
