from odoo import api, models, tools


class MailAlias(models.Model):
    # which models aliases hang on is kept until an alias changes (see
    # helpdesk.notify.batch.mixin's reply-to)
    _name = "mail.alias"
    _inherit = ["mail.alias", "helpdesk.cache.source.mixin"]

    @api.model
    @tools.ormcache()
    def _helpdesk_parent_models(self):
        """The models some alias has a record of as its parent (a team's
        alias: helpdesk.team). A message on a record of any other model has
        no alias of its own to reply to: mail's search for one per message
        would find nothing."""
        rows = self.env.execute_query(
            tools.SQL(
                "SELECT DISTINCT model.model FROM mail_alias alias "
                "JOIN ir_model model ON model.id = alias.alias_parent_model_id "
                "WHERE alias.alias_parent_thread_id IS NOT NULL"
            )
        )
        return frozenset(model for (model,) in rows)


class MailAliasDomain(models.Model):
    # the fallback alias domain is kept until an alias domain changes
    _name = "mail.alias.domain"
    _inherit = ["mail.alias.domain", "helpdesk.cache.source.mixin"]

    @api.model
    @tools.ormcache()
    def _helpdesk_fallback_id(self):
        """The id of the alias domain mail falls back on for a company that
        has none (the first one), or False; mail searches it per message."""
        return self.sudo().search([], limit=1).id or False
