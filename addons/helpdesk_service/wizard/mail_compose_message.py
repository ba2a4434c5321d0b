from markupsafe import Markup

from odoo import api, fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    helpdesk_article_ids = fields.Many2many(
        "helpdesk.article",
        string="Knowledge base articles",
        # what the record's client may read: his company's articles or shared
        domain="[('state', '=', 'published'), ('visibility', '!=', 'internal'), "
        "('company_id', 'in', [False, record_company_id])]",
        help="Links to these articles are added to the reply.",
    )

    @api.onchange("helpdesk_article_ids")
    def _onchange_helpdesk_article_ids(self):
        """Append a link to each article chosen, with its summary, once."""
        base_url = self.get_base_url()
        body = self.body or Markup()
        for article in self.helpdesk_article_ids:
            url = base_url + article._origin.portal_url
            if url in body:
                continue
            if article.summary:
                body += Markup('<p><a href="%s">%s</a><br/>%s</p>') % (
                    url,
                    article.name,
                    article.summary,
                )
            else:
                body += Markup('<p><a href="%s">%s</a></p>') % (url, article.name)
        self.body = body
