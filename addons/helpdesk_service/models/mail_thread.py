from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        # replies to a ticket: the ticket decides whether the sender may join
        # it (see helpdesk.ticket._route_foreign_reply)
        routes = super().message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )
        Ticket = self.env["helpdesk.ticket"]
        return [
            Ticket._route_foreign_reply(route, message_dict)
            if route[0] == Ticket._name and route[1]
            else route
            for route in routes
        ]
