from odoo import fields, models


class HelpdeskArticleVote(models.Model):
    """One reader's answer to "was this article helpful?"."""

    _name = "helpdesk.article.vote"
    _description = "Knowledge Base Article Vote"
    _order = "id desc"

    article_id = fields.Many2one(
        "helpdesk.article", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", index=True, ondelete="set null")
    voter_key = fields.Char(
        required=True,
        help="The voter's partner: votes need a login (votes from before that "
        "may hold a hash of an anonymous reader's session).",
    )
    is_helpful = fields.Boolean("Helpful")

    _sql_constraints = [
        (
            "voter_uniq",
            "unique (article_id, voter_key)",
            "One vote per reader and article.",
        ),
    ]
