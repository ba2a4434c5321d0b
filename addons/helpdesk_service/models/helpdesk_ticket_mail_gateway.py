"""The mail gateway: tickets opened and continued by e-mail, replies from
strangers, and what an agent's answer or a client's message changes."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models, tools

from .helpdesk_ticket import HelpdeskTicket


class HelpdeskTicketMailGateway(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from an e-mail sent to a team's alias."""
        values = dict(custom_values or {})
        team = self.env["helpdesk.team"].browse(values.get("team_id"))
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            name, email = tools.parse_contact_from_email(msg_dict["email_from"])
            if team.create_unknown_partner and email:
                msg_dict["author_id"] = (
                    self.env["res.partner"]
                    .sudo()
                    .create({"name": name or email, "email": email})
                    .id
                )
            else:
                values.setdefault("partner_email", email or msg_dict["email_from"])
                values.setdefault("partner_name", name or email)
        values.setdefault("name", msg_dict.get("subject") or self.env._("No subject"))
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        if msg_dict.get("author_id"):
            values.setdefault("partner_id", msg_dict["author_id"])
        return super(
            HelpdeskTicket, self.with_context(mail_create_nolog=True)
        ).message_new(msg_dict, custom_values=values)

    @api.model
    def _route_foreign_reply(self, route, message_dict):
        """Mail gateway route of a reply to a ticket: a contact of another
        client (e.g. one who got the e-mail forwarded and answered it) would
        become a follower of the ticket and read the whole conversation on
        the portal. His message opens a new ticket of the same team instead.
        Returns the route to follow."""
        model, thread_id, _custom_values, user_id, alias = route
        ticket = self.sudo().browse(thread_id).exists()
        author = self.env["res.partner"].sudo().browse(message_dict.get("author_id"))
        if not ticket or not ticket._is_foreign_author(author):
            return route
        values = {"team_id": ticket.team_id.id, "company_id": ticket.company_id.id}
        return (model, False, values, user_id, alias)

    def _is_foreign_author(self, partner):
        """Whether ``partner`` is a contact of another client than the
        ticket's, who neither follows the ticket nor is an agent."""
        self.ensure_one()
        client = self.commercial_partner_id
        if not partner or not client:
            return False
        if partner.user_ids.filtered(lambda user: not user.share):
            return False
        return (
            partner.commercial_partner_id != client
            and partner not in self.message_partner_ids
        )

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("helpdesk_no_contact") or len(self) != 1:
            return res
        if message.message_type not in ("comment", "email"):
            return res
        if not message.subtype_id or message.subtype_id.internal:
            return res  # internal notes are not contacts with the client
        author = message.author_id
        is_agent = bool(author.user_ids.filtered(lambda u: not u.share))
        if is_agent:
            self._on_agent_reply(message)
        else:
            self._on_client_message(message)
        return res

    def _on_agent_reply(self, message):
        self.ensure_one()
        now = fields.Datetime.now()
        vals = {
            "agent_reply_count": self.agent_reply_count + 1,
            "date_last_contact": now,
            "date_last_agent_update": now,
        }
        events = []
        if not self.date_ack:
            vals["date_ack"] = now
            events.append(self._prepare_event_vals(self, "acknowledged", date=now))
        event_type = "reply"
        if not self.date_first_response:
            vals["date_first_response"] = now
            event_type = "first_reply"
        events.append(
            self._prepare_event_vals(
                self,
                event_type,
                date=now,
                message_id=message.id,
                author_id=message.author_id.id,
            )
        )
        # the plain write of the ticket's parent classes: the timeline rows,
        # SLA and rating are done here
        super(HelpdeskTicket, self).write(vals)
        self.env["helpdesk.ticket.event"].sudo().create(events)
        self._sla_sync()
        self._create_answer_rating(message)
        if self.is_major_incident and self.relay_to_children:
            self._relay_to_children(message)
        return True

    def _on_client_message(self, message):
        self.ensure_one()
        super(HelpdeskTicket, self).write(
            {
                "client_message_count": self.client_message_count + 1,
                "date_last_contact": fields.Datetime.now(),
            }
        )
        self.env["helpdesk.ticket.event"].sudo().create(
            self._prepare_event_vals(
                self,
                "client_message",
                message_id=message.id,
                author_id=message.author_id.id,
                user_id=message.author_id.user_ids[:1].id or False,
            )
        )
        if self.stage_kind == "waiting":
            stage = self.team_id._get_stage_of_kind("in_progress")
            if stage:
                self.sudo().stage_id = stage
        return True
