"""What a client does with his tickets in the portal: open, close and reopen."""

# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketPortal(models.Model):
    _inherit = "helpdesk.ticket"

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.model
    def _prepare_portal_ticket_vals(
        self,
        partner,
        subject,
        description,
        site=None,
        equipment=None,
        ticket_type=None,
        priority="1",
    ):
        """Values of a ticket a client opens on the portal (already validated)."""
        company = partner.company_id or self.env.company
        team = company._get_helpdesk_request_team()
        return {
            "name": subject,
            "description": description,
            "partner_id": partner.id,
            "team_id": team.id,
            "company_id": company.id,
            "channel": "portal",
            "priority": priority,
            "type_id": ticket_type.id if ticket_type else False,
            "site_id": site.id if site else False,
            "equipment_ids": [Command.set(equipment.ids)] if equipment else [],
        }

    def _portal_reopen_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("helpdesk_service.portal_reopen_days", "14")
        )
        try:
            return int(value)
        except ValueError:
            return 14

    def _portal_can_reopen(self):
        self.ensure_one()
        # an archived ticket (a merged duplicate) stays closed
        if not self.is_closed or not self.active:
            return False
        done = self.date_closed or self.date_resolved
        if not done:
            return True
        return fields.Datetime.now() <= done + timedelta(
            days=self._portal_reopen_days()
        )

    def _portal_close(self, partner):
        """The client confirms a resolved ticket: it is closed."""
        self.ensure_one()
        if self.stage_kind != "resolved":
            raise UserError(self.env._("Only a resolved ticket can be closed."))
        stage = self.team_id._get_stage_of_kind("closed")
        if stage:
            self.stage_id = stage
        self.with_context(helpdesk_no_contact=True).message_post(
            body=self.env._(
                "%(client)s confirmed the resolution.", client=partner.name
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _portal_reopen(self, partner, reason):
        """The client reopens a closed ticket, with a reason, within the window."""
        self.ensure_one()
        if self.merged_into_id:
            raise UserError(
                self.env._(
                    "%(ticket)s was merged into %(target)s: reopen %(target)s instead.",
                    ticket=self.ticket_ref,
                    target=self.merged_into_id.ticket_ref,
                )
            )
        if not self.active:
            raise UserError(
                self.env._(
                    "%(ticket)s is archived and cannot be reopened.",
                    ticket=self.ticket_ref,
                )
            )
        if not self._portal_can_reopen():
            raise UserError(self.env._("This ticket can no longer be reopened."))
        stage = self.team_id._get_stage_of_kind("in_progress")
        self.stage_id = stage
        self.message_post(
            body=self.env._(
                "Reopened by %(client)s: %(reason)s", client=partner.name, reason=reason
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True
