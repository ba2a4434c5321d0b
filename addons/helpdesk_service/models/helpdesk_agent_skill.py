from odoo import fields, models

from .helpdesk_skill import SKILL_LEVELS


class HelpdeskAgentSkill(models.Model):
    _name = "helpdesk.agent.skill"
    _description = "Helpdesk Agent Skill"
    _order = "user_id, skill_id"
    _rec_name = "skill_id"

    user_id = fields.Many2one(
        "res.users", "Agent", required=True, ondelete="cascade", index=True
    )
    skill_id = fields.Many2one(
        "helpdesk.skill", required=True, ondelete="cascade", index=True
    )
    level = fields.Selection(SKILL_LEVELS, required=True, default="1")

    _sql_constraints = [
        (
            "user_skill_uniq",
            "unique(user_id, skill_id)",
            "An agent carries each skill once: change its level instead.",
        ),
    ]
