from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    helpdesk_portal_team_id = fields.Many2one(
        related="company_id.helpdesk_portal_team_id", readonly=False
    )
    helpdesk_mail_retry_hours = fields.Integer(
        "Retry undelivered e-mails for (h)",
        config_parameter="helpdesk_service.mail_retry_hours",
        default=24,
        help="E-mails that failed for a passing reason (mail server unreachable, "
        "timeout, 4xx reply) are sent again after 1, 2, 4... up to 30 minutes, "
        "for this many hours after the first failure.",
    )
