from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskArticleCategory(models.Model):
    """A section of the knowledge base, shown to clients as an FAQ page.

    A category can also hold a prepared FAQ set for an upcoming change (a new
    system rollout): its draft articles are scheduled together and go live on
    the set's publication date."""

    _name = "helpdesk.article.category"
    _description = "Knowledge Base Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", index=True)
    date_publish = fields.Datetime(
        "Publish set on",
        help="For a prepared FAQ set: when its scheduled articles go live.",
    )
    article_ids = fields.One2many("helpdesk.article", "category_id", "Articles")
    article_count = fields.Integer(compute="_compute_article_count")

    def _compute_article_count(self):
        counts = dict(
            self.env["helpdesk.article"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.article_count = counts.get(category, 0)

    @api.model
    def _portal_categories(self):
        """Categories with at least one article the current user may read."""
        groups = self.env["helpdesk.article"]._read_group(
            [("category_id", "!=", False)], ["category_id"], ["__count"]
        )
        return [(category, count) for category, count in groups if category.active]

    def action_schedule_set(self):
        """Schedule every draft article of the set for the set's date."""
        for category in self:
            if not category.date_publish:
                raise UserError(
                    self.env._(
                        "Set the publication date of %(set)s first.",
                        set=category.name,
                    )
                )
            drafts = category.article_ids.filtered(lambda a: a.state == "draft")
            drafts.write({"date_publish": category.date_publish})
            drafts.action_schedule()
        return True

    def action_open_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_article_action"
        )
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
