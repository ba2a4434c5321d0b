from odoo import fields, models


class HelpdeskComplaintReason(models.Model):
    _name = "helpdesk.complaint.reason"
    _description = "Helpdesk Complaint Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
