from odoo import fields, models

SKILL_LEVELS = [
    ("1", "Junior"),
    ("2", "Confirmed"),
    ("3", "Expert"),
]


class HelpdeskSkill(models.Model):
    _name = "helpdesk.skill"
    _description = "Helpdesk Skill Category"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    agent_skill_ids = fields.One2many("helpdesk.agent.skill", "skill_id", "Agents")

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name)",
            "A skill category with this name already exists.",
        ),
    ]
