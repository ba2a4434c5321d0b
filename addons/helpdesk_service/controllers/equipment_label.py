from urllib.parse import urlencode

from odoo import http
from odoo.http import request

from .portal import HelpdeskPortal


class HelpdeskEquipmentLabel(HelpdeskPortal):
    """``/eq/<token>``: the URL in an equipment's QR label. A contact of the
    item's client gets the new-request form filled in, an agent the item in
    the back office; a visitor gets the login page whatever the token, and
    anyone else the same "unknown label" page as for a token that does not
    exist, so a label tells nothing to whoever may not read the item.
    Where an agent lands is the item's ``_get_label_landing_url()``."""

    @http.route(
        "/eq/<string:token>", type="http", auth="public", website=True, sitemap=False
    )
    def equipment_label(self, token, **kw):
        user = request.env.user
        if user._is_public():
            # before looking the token up: the same answer for every token
            query = urlencode({"redirect": f"/eq/{token}"})
            return request.redirect(f"/web/login?{query}")
        item_sudo = request.env["helpdesk.equipment"]._find_by_label_token(token)
        # as the user: his access rights and record rules decide
        item = item_sudo.filtered("active").with_user(user)
        if item and item.has_access("read"):
            if not user.share:
                return request.redirect(item._get_label_landing_url())
            if request.env["helpdesk.ticket"].has_access("read"):
                choices = self._portal_client_choices()
                if item in choices["equipment"]:
                    return self._equipment_label_request_form(item, choices)
        return self._equipment_label_unknown()

    def _equipment_label_request_form(self, item, choices):
        values = self._prepare_portal_layout_values()
        values.update(choices, **self._portal_upload_limits())
        form = {"equipment_id": str(item.id)}
        if item.site_id in choices["sites"]:
            form["site_id"] = str(item.site_id.id)
        values.update({"page_name": "ticket_new", "errors": {}, "form": form})
        return request.render("helpdesk_service.portal_ticket_new", values)

    def _equipment_label_unknown(self):
        return request.render(
            "helpdesk_service.portal_equipment_label_unknown", {}, status=404
        )
