from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.rating.controllers.main import Rating


class HelpdeskRating(Rating):
    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        """A signed-in user rates a ticket only if he belongs to its client, as
        Odoo already checks on the rating page: an agent holding a client's
        link cannot rate on the client's behalf."""
        if request.httprequest.method == "POST" and not request.env.user._is_public():
            rating, _record = self._get_rating_and_record(token)
            user_client = request.env.user.partner_id.commercial_partner_id
            if (
                rating.res_model == "helpdesk.ticket"
                and user_client != rating.partner_id.commercial_partner_id
            ):
                raise Forbidden()
        return super().action_submit_rating(token, rate=rate, **kwargs)
