from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketMerge(models.TransientModel):
    """Merge duplicate tickets into one: the conversation, timeline, calls,
    timesheets, attachments and followers of the duplicates move to the kept ticket; the
    duplicates are closed and archived with a link to it. Nothing is deleted."""

    _name = "helpdesk.ticket.merge"
    _description = "Merge helpdesk tickets"

    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Tickets",
        required=True,
        default=lambda self: self._default_ticket_ids(),
    )
    target_id = fields.Many2one(
        "helpdesk.ticket",
        "Keep",
        compute="_compute_target_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('id', 'in', ticket_ids)]",
    )
    notify_clients = fields.Boolean(
        "Tell the clients",
        default=True,
        help="Post a message to the clients of the merged tickets with the "
        "number of the ticket that goes on.",
    )

    @api.model
    def _default_ticket_ids(self):
        if self.env.context.get("active_model") == "helpdesk.ticket":
            return [(6, 0, self.env.context.get("active_ids", []))]
        return []

    @api.depends("ticket_ids")
    def _compute_target_id(self):
        for wizard in self:
            tickets = wizard.ticket_ids._origin
            if wizard.target_id._origin not in tickets:
                wizard.target_id = tickets.sorted("id")[:1]

    def action_merge(self):
        self.ensure_one()
        target = self.target_id
        sources = self.ticket_ids - target
        if not sources:
            raise UserError(self.env._("Select at least two tickets to merge."))
        if target not in self.ticket_ids:
            raise UserError(
                self.env._("The ticket to keep must be one of the selection.")
            )
        companies = self.ticket_ids.company_id
        if len(companies) > 1:
            raise UserError(
                self.env._("Tickets of different companies cannot be merged.")
            )
        # the followers and the conversation move to the kept ticket: one
        # client's contacts would read another client's requests on the portal
        clients = self.ticket_ids.commercial_partner_id
        if len(clients) > 1:
            raise UserError(
                self.env._(
                    "Tickets of different clients cannot be merged (%(clients)s): "
                    "each client would read the other's conversation.",
                    clients=", ".join(clients.mapped("display_name")),
                )
            )
        # the user must be allowed to change every ticket involved
        self.ticket_ids.check_access("write")
        env_su = self.env(su=True)
        # conversation, timeline, calls and files move to the kept ticket
        env_su["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        env_su["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        env_su["helpdesk.ticket.event"].search(
            [("ticket_id", "in", sources.ids)]
        ).write({"ticket_id": target.id})
        env_su["helpdesk.ticket.call"].search([("ticket_id", "in", sources.ids)]).write(
            {"ticket_id": target.id}
        )
        # time spent on the duplicates counts on the kept ticket (and its project)
        env_su["account.analytic.line"].search(
            [("helpdesk_ticket_id", "in", sources.ids)]
        ).write({"helpdesk_ticket_id": target.id})
        partners = sources.message_partner_ids | sources.partner_id
        # never another client's contacts (followers of a ticket without client)
        partners = partners.filtered(lambda p: not target._is_foreign_author(p))
        target.message_subscribe(partner_ids=partners.ids)
        sums = {
            field: target[field] + sum(sources.mapped(field))
            for field in ("client_message_count", "agent_reply_count", "reopen_count")
        }
        target.sudo().write(sums)
        target.related_ticket_ids |= sources
        refs = ", ".join(sources.mapped("ticket_ref"))
        env_su["helpdesk.ticket.event"].create(
            [
                target._prepare_event_vals(
                    target, "merged", old_value=refs, new_value=target.ticket_ref
                )
            ]
            + [
                target._prepare_event_vals(
                    source,
                    "merged",
                    old_value=source.ticket_ref,
                    new_value=target.ticket_ref,
                )
                for source in sources
            ]
        )
        # the duplicates are closed and archived, pointing to the kept ticket
        for team, team_sources in sources.grouped("team_id").items():
            stage = team._get_stage_of_kind("closed")
            vals = {"merged_into_id": target.id, "active": False}
            if stage:
                vals["stage_id"] = stage.id
            # merged_into_id is a recorded fact (checked: write access above)
            team_sources.with_context(mail_notrack=True)._write_recorded(vals)
        for source in sources:
            source.with_context(helpdesk_no_contact=True).message_post(
                body=self.env._("Merged into %(ticket)s.", ticket=target.ticket_ref),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        body = self.env._(
            "Tickets %(refs)s were merged into this ticket, %(ticket)s: "
            "the conversation goes on here.",
            refs=refs,
            ticket=target.ticket_ref,
        )
        if self.notify_clients:
            target.with_context(helpdesk_no_contact=True).message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=sources.partner_id.ids,
            )
        else:
            target.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": target.id,
            "view_mode": "form",
            "target": "current",
        }
