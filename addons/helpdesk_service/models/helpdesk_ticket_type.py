from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketType(models.Model):
    _name = "helpdesk.ticket.type"
    _description = "Helpdesk Ticket Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    # the skills of hr_skills: agents carry them on their employee form
    skill_id = fields.Many2one(
        "hr.skill",
        "Required skill",
        help="With the 'By skill' assignment, tickets of this type go to agents "
        "whose employee has this skill at the minimum level or above.",
    )
    skill_type_id = fields.Many2one(related="skill_id.skill_type_id")
    skill_level_id = fields.Many2one(
        "hr.skill.level",
        "Minimum level",
        compute="_compute_skill_level_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('skill_type_id', '=', skill_type_id)]",
        help="The lowest level (by progress) an agent needs; empty: any level "
        "of the skill.",
    )

    @api.depends("skill_id")
    def _compute_skill_level_id(self):
        for ticket_type in self:
            levels = ticket_type.skill_id.skill_type_id.skill_level_ids
            level = ticket_type.skill_level_id
            if level not in levels:
                # the lowest level of the skill's type: any agent with the skill
                level = levels.sorted("level_progress")[:1]
            ticket_type.skill_level_id = level

    @api.constrains("skill_id", "skill_level_id")
    def _check_skill_level(self):
        for ticket_type in self:
            level = ticket_type.skill_level_id
            if level and level.skill_type_id != ticket_type.skill_id.skill_type_id:
                raise ValidationError(
                    self.env._(
                        "The minimum level %(level)s of ticket type %(type)s is "
                        "not a level of the skill %(skill)s.",
                        level=level.name,
                        type=ticket_type.name,
                        skill=ticket_type.skill_id.name or "",
                    )
                )
