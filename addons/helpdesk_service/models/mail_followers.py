from odoo import api, models, tools


class MailFollowers(models.Model):
    """The followers of the documents new tickets take theirs from (their
    team) are kept between requests: read for every ticket created, they
    change seldom. Adding, changing or removing one of them clears them, as
    does merging partners (their follower rows are moved in SQL). A deleted
    partner's rows go with him in the database: he is left out when read
    (helpdesk.ticket._get_parent_followers)."""

    _inherit = "mail.followers"

    @api.model
    @tools.ormcache("res_model", "res_id")
    def _helpdesk_followers_of(self, res_model, res_id):
        """((partner id, subtype ids), ...) of the document's followers."""
        return tuple(
            (pid, tuple(sorted(sid for sid in sids if sid)))
            for _fid, _res_id, pid, sids in self._get_subscription_data(
                [(res_model, [res_id])], None
            )
            if pid
        )

    @api.model
    def _helpdesk_kept_models(self):
        """The models whose followers _helpdesk_followers_of keeps: those a
        ticket's followers come from (mail's auto-subscription relations)."""
        return self.env["mail.message.subtype"]._get_auto_subscription_subtypes(
            "helpdesk.ticket"
        )[4]

    def _helpdesk_clear_kept(self, res_models=()):
        kept = self._helpdesk_kept_models()
        if any(
            model in kept for model in (*res_models, *self.sudo().mapped("res_model"))
        ):
            self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        followers = super().create(vals_list)
        followers._helpdesk_clear_kept()
        return followers

    def write(self, vals):
        self._helpdesk_clear_kept([vals.get("res_model")])
        return super().write(vals)

    def unlink(self):
        self._helpdesk_clear_kept()
        return super().unlink()
