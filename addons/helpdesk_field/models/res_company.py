from odoo import fields, models

SMS_TEMPLATE_DOMAIN = [("model", "=", "helpdesk.visit")]


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_visit_sms = fields.Boolean(
        "SMS to clients about visits",
        default=True,
        help="The ticket's contact gets an SMS when the engineer sets off, arrives "
        "and finishes.",
    )
    helpdesk_visit_mail = fields.Boolean(
        "E-mails to clients about visits",
        default=True,
        help="The same news by e-mail, in the ticket's conversation; the visit "
        "report goes with the last one.",
    )
    helpdesk_visit_sms_on_way_template_id = fields.Many2one(
        "sms.template",
        "Engineer on the way",
        domain=SMS_TEMPLATE_DOMAIN,
        help="Empty: the standard text, with the expected arrival time.",
    )
    helpdesk_visit_sms_arrived_template_id = fields.Many2one(
        "sms.template",
        "Engineer arrived",
        domain=SMS_TEMPLATE_DOMAIN,
        help="Empty: the standard text.",
    )
    helpdesk_visit_sms_done_template_id = fields.Many2one(
        "sms.template",
        "Visit done",
        domain=SMS_TEMPLATE_DOMAIN,
        help="Empty: the standard text, with the link to the visit report.",
    )
