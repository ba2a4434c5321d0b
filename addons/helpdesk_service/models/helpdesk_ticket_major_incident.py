"""Major incidents handled as one: child tickets linked to a parent that
relays its answers and closes them with it, and merged duplicates."""

# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty


class HelpdeskTicketMajorIncident(models.Model):
    _inherit = "helpdesk.ticket"

    # major incidents
    is_major_incident = fields.Boolean(
        tracking=True, index=True, groups="base.group_user"
    )
    parent_id = fields.Many2one(
        "helpdesk.ticket",
        "Major incident",
        index=True,
        tracking=True,
        domain="[('is_major_incident', '=', True), ('id', '!=', id)]",
        groups="base.group_user",
        help="The major incident this ticket is one case of.",
    )
    child_ids = fields.One2many(
        "helpdesk.ticket", "parent_id", "Linked tickets", groups="base.group_user"
    )
    child_count = fields.Integer(
        compute="_compute_child_count", groups="base.group_user"
    )
    open_child_count = fields.Integer(
        compute="_compute_child_count", groups="base.group_user"
    )
    relay_to_children = fields.Boolean(
        "Relay replies to linked tickets",
        default=True,
        groups="base.group_user",
        help="A public reply posted on the major incident is posted on every open "
        "linked ticket too, so that all affected clients hear of it at once.",
    )
    merged_into_id = fields.Many2one(
        "helpdesk.ticket", readonly=True, copy=False, index=True
    )

    @api.depends("child_ids.is_closed")
    def _compute_child_count(self):
        groups = self._read_group(
            [("parent_id", "in", self.ids)], ["parent_id", "is_closed"], ["__count"]
        )
        total, still_open = {}, {}
        for parent, closed, count in groups:
            total[parent.id] = total.get(parent.id, 0) + count
            if not closed:
                still_open[parent.id] = count
        for ticket in self:
            ticket.child_count = total.get(ticket.id, 0)
            ticket.open_child_count = still_open.get(ticket.id, 0)

    @api.constrains("parent_id", "is_major_incident")
    def _check_parent_id(self):
        for ticket in self:
            if not ticket.parent_id:
                continue
            if ticket.parent_id == ticket:
                raise ValidationError(
                    self.env._(
                        "A ticket cannot be linked to itself as a major incident."
                    )
                )
            if not ticket.parent_id.is_major_incident:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s can only be linked to a major incident: "
                        "mark %(parent)s as a major incident first.",
                        ticket=ticket.display_name,
                        parent=ticket.parent_id.display_name,
                    )
                )
            if ticket.is_major_incident:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s is a major incident itself and cannot be linked "
                        "to another one.",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("is_major_incident")
    def _check_major_incident_children(self):
        for ticket in self:
            if not ticket.is_major_incident and ticket.child_ids:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s still has %(count)s linked tickets: unlink them "
                        "before it stops being a major incident.",
                        ticket=ticket.display_name,
                        count=len(ticket.child_ids),
                    )
                )

    def _relay_to_children(self, message):
        """Post a major incident's public reply on its open linked tickets."""
        children = self.child_ids.filtered(lambda t: not t.is_closed)
        for child in children:
            child.message_post(
                body=message.body,
                subject=message.subject,
                author_id=message.author_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=message.attachment_ids.copy(
                    {"res_model": child._name, "res_id": child.id}
                ).ids
                if message.attachment_ids
                else [],
            )

    def _close_children_with_parent(self, before):
        """A major incident entering a closing stage, however it gets there
        (status bar, kanban, Resolve wizard, import), takes its linked tickets
        along: the same kind of stage in each one's team and the incident's
        resolution; the incident's chatter says which. The Resolve wizard's
        "this ticket alone" sets the context key helpdesk_keep_children."""
        if self.env.context.get("helpdesk_keep_children"):
            return
        parents = self.filtered(
            lambda t: (
                t.is_major_incident
                and t.stage_id.is_closing
                and t.stage_id != before[t.id][0]
            )
        )
        for parent in parents:
            kind = parent.stage_id.kind
            children = parent.child_ids.filtered(
                lambda c, kind=kind: (
                    not c.stage_id.is_closing
                    or (kind == "closed" and c.stage_kind == "resolved")
                )
            )
            if not children:
                continue
            vals = {}
            if not is_html_empty(parent.resolution):
                vals["resolution"] = parent.resolution
            for team, team_children in children.grouped("team_id").items():
                stage = team._get_stage_of_kind(kind) or parent.stage_id
                team_children.write(dict(vals, stage_id=stage.id))
            parent._message_log(
                body=self.env._(
                    "%(count)s linked tickets followed the major incident to "
                    "%(stage)s: %(tickets)s",
                    count=len(children),
                    stage=parent.stage_id.name,
                    tickets=", ".join(children.mapped("ticket_ref")),
                )
            )

    def action_open_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(
            domain=[("parent_id", "=", self.id)],
            context={"default_parent_id": self.id, "default_team_id": self.team_id.id},
            display_name=self.env._("Linked to %(ticket)s", ticket=self.ticket_ref),
        )
        return action

    def action_merge(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge tickets"),
            "res_model": "helpdesk.ticket.merge",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }
