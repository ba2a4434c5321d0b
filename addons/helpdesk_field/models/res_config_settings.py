from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    helpdesk_visit_sms = fields.Boolean(
        related="company_id.helpdesk_visit_sms", readonly=False
    )
    helpdesk_visit_mail = fields.Boolean(
        related="company_id.helpdesk_visit_mail", readonly=False
    )
    helpdesk_visit_sms_on_way_template_id = fields.Many2one(
        related="company_id.helpdesk_visit_sms_on_way_template_id", readonly=False
    )
    helpdesk_visit_sms_arrived_template_id = fields.Many2one(
        related="company_id.helpdesk_visit_sms_arrived_template_id", readonly=False
    )
    helpdesk_visit_sms_done_template_id = fields.Many2one(
        related="company_id.helpdesk_visit_sms_done_template_id", readonly=False
    )
