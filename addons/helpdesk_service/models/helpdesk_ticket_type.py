from odoo import fields, models

from .helpdesk_skill import SKILL_LEVELS


class HelpdeskTicketType(models.Model):
    _name = "helpdesk.ticket.type"
    _description = "Helpdesk Ticket Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    skill_id = fields.Many2one(
        "helpdesk.skill",
        "Required skill",
        help="With the 'By skill' assignment, tickets of this type go to agents "
        "who carry this skill at the required level or above.",
    )
    skill_level = fields.Selection(SKILL_LEVELS, "Minimum level", default="1")
