from odoo import fields, models


class HelpdeskWebhookSecretShow(models.AbstractModel):
    """The dialog that shows a webhook source's new secret, once: the value
    comes in the dialog's context and is stored nowhere else readable (as
    Odoo's API key dialog, ``res.users.apikeys.show``)."""

    _name = "helpdesk.webhook.secret.show"
    _description = "Show a New Webhook Secret"

    # the field 'id' is needed for the onchange that returns the defaults
    id = fields.Id()
    secret = fields.Char(readonly=True)
    webhook_url = fields.Char("Webhook URL", readonly=True)
