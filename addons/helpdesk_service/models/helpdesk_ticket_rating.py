"""Ratings of every answer: the good/bad links sent with an agent's answer,
the ratings they record and what a bad one sets off."""

# pylint: disable=consider-merging-classes-inherited

from markupsafe import Markup

from odoo import models

from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketRating(models.Model):
    _inherit = "helpdesk.ticket"

    def _helpdesk_rating_links(self, message):
        """The 'Was this answer helpful? Good · Bad' line of an answer that is
        still to rate, or None."""
        self.ensure_one()
        rating = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [("helpdesk_message_id", "=", message.id), ("consumed", "=", False)],
                limit=1,
            )
        )
        if not rating:
            return None
        base = rating.get_base_url()
        link = Markup('<a href="%s/rate/%s/%s">%s</a>')
        return Markup("%s %s · %s") % (
            self.env._("Was this answer helpful?"),
            link % (base, rating.access_token, 5, self.env._("Good")),
            link % (base, rating.access_token, 1, self.env._("Bad")),
        )

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    def _create_answer_rating(self, message):
        """A rating request for one public answer, attributed to its author: the
        client rates it good or bad from the notification e-mail or the portal."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["rating.rating"]
        author_user = message.author_id.user_ids.filtered(lambda u: not u.share)[:1]
        return (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "partner_id": self.partner_id.id,
                    "rated_partner_id": message.author_id.id,
                    "helpdesk_kind": "answer",
                    "helpdesk_message_id": message.id,
                    "helpdesk_team_id": self.team_id.id,
                    "helpdesk_user_id": author_user.id,
                    "is_internal": False,
                }
            )
        )

    def _rating_get_access_token(self, partner=None):
        """The token of the ticket's own rating (on resolution), never one of the
        ratings of single answers."""
        # not super(): rating's mail.thread hands out any pending rating of the
        # client, and the rating of an answer is one; it has no hook to narrow
        # its search. Otherwise the same steps (access check, operator).
        self.check_access("read")
        partner = partner or self._rating_get_partner()
        rating = self.rating_ids.sudo().filtered(
            lambda r: (
                r.partner_id == partner
                and not r.consumed
                and r.helpdesk_kind == "ticket"
            )
        )[:1]
        if not rating:
            rating = (
                self.env["rating.rating"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "rated_partner_id": self._rating_get_operator().id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "is_internal": False,
                        "helpdesk_kind": "ticket",
                        "helpdesk_team_id": self.team_id.id,
                        "helpdesk_user_id": self.user_id.id,
                    }
                )
            )
        return rating.access_token

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        # the rating's chatter message is not a contact with the client
        rating = super(
            HelpdeskTicket, self.with_context(helpdesk_no_contact=True)
        ).rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating.helpdesk_is_bad and (feedback or "").strip():
            self._on_negative_feedback(rating)
        return rating

    def _on_negative_feedback(self, rating):
        """A bad rating with a comment is a complaint: flag the ticket and give
        the team lead a follow-up activity."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_complaint:
            ticket.is_complaint = True
        lead = ticket.team_id.user_id or ticket.user_id
        if lead:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lead.id,
                summary=self.env._("Complaint: follow up with the client"),
                note=rating.feedback,
            )
        self.env["helpdesk.ticket.event"].sudo().create(
            self._prepare_event_vals(
                ticket,
                "complaint",
                author_id=rating.partner_id.id,
                user_id=False,
                note=(rating.feedback or "")[:200],
            )
        )
        return True
