from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..const import PRIORITIES


class HelpdeskSla(models.Model):
    """A service-level policy: which tickets it covers and how long, in working
    time, the service may take to acknowledge, report and resolve them."""

    _name = "helpdesk.sla"
    # a change clears _get_active_policy_ids
    _inherit = ["helpdesk.cache.source.mixin"]
    _description = "Helpdesk SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10,
        help="The first matching policy in this order applies to a ticket.",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    # which tickets
    team_ids = fields.Many2many("helpdesk.team", string="Teams", check_company=True)
    type_ids = fields.Many2many("helpdesk.ticket.type", string="Ticket types")
    priority = fields.Selection(
        PRIORITIES,
        help="Only tickets of this effective priority (VIP included). Empty: any.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Client tags (tariffs)",
        help="Only tickets of clients carrying one of these tags, e.g. the tariff "
        "'Gold'. Empty: any client.",
    )
    # targets, in working minutes; 0 means no target
    ack_minutes = fields.Integer(
        "Acknowledge within (min)",
        help="Working minutes from the ticket's arrival to its acknowledgement.",
    )
    report_minutes = fields.Integer(
        "First report within (min)",
        help="Working minutes from the ticket's arrival to the first public reply "
        "telling the client what has been done and when it will be solved (ETA).",
    )
    resolve_hours = fields.Float(
        "Resolve within (h)",
        help="Working hours from the ticket's arrival to its resolution.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        "Working hours",
        check_company=True,
        help="The clock runs only in these hours, public holidays (the calendar's "
        "global time off) excluded. Empty: around the clock (24/7).",
    )
    pause_stage_ids = fields.Many2many(
        "helpdesk.stage",
        string="Stages pausing the clock",
        help="While a ticket is in one of these stages (e.g. Waiting for client), "
        "its clocks stop.",
    )
    # escalation
    warning_percent = fields.Integer(
        "Warn at (% of target)",
        default=80,
        help="The assignee is warned once this share of a target's time is used.",
    )
    escalate_to_lead = fields.Boolean(
        "Mail the team lead", default=True, help="On a breach, mail the team lead."
    )
    escalate_user_id = fields.Many2one(
        "res.users",
        "Reassign to",
        domain="[('share', '=', False)]",
        help="On a breach, give the ticket to this user.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _sql_constraints = [
        (
            "targets_positive",
            "CHECK(ack_minutes >= 0 AND report_minutes >= 0 AND resolve_hours >= 0)",
            "SLA targets cannot be negative.",
        ),
        (
            "warning_percent_range",
            "CHECK(warning_percent > 0 AND warning_percent <= 100)",
            "The warning threshold is a percentage between 1 and 100.",
        ),
    ]

    def _compute_ticket_count(self):
        counts = {
            sla.id: count
            for sla, count in self.env["helpdesk.ticket"]._read_group(
                [("sla_id", "in", self.ids)], ["sla_id"], ["__count"]
            )
        }
        for sla in self:
            sla.ticket_count = counts.get(sla.id, 0)

    @api.constrains("name", "ack_minutes", "report_minutes", "resolve_hours")
    def _check_has_target(self):
        for sla in self:
            if not (sla.ack_minutes or sla.report_minutes or sla.resolve_hours):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s has no target: set at least one of "
                        "acknowledgement, first report or resolution.",
                        name=sla.name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _get_active_policy_ids(self):
        """The active policies of all companies, in order: what every new
        ticket's policy is chosen from, kept until a policy changes."""
        # pylint: disable=no-search-all
        return tuple(self.sudo().with_context(active_test=True).search([]).ids)

    def _get_target_minutes(self):
        """{target: working minutes} of the policy's targets."""
        self.ensure_one()
        targets = {
            "ack": self.ack_minutes,
            "report": self.report_minutes,
            "resolve": round(self.resolve_hours * 60),
        }
        return {target: minutes for target, minutes in targets.items() if minutes}

    def _matches(self, ticket):
        """Whether this policy covers the ticket. helpdesk_billing extends it with
        the contract's service level."""
        self.ensure_one()
        if self.company_id and ticket.company_id != self.company_id:
            return False
        if self.team_ids and ticket.team_id not in self.team_ids:
            return False
        if self.type_ids and ticket.type_id not in self.type_ids:
            return False
        if self.priority and int(self.priority) != ticket.priority_effective:
            return False
        if not self.partner_category_ids:
            return True
        # the client's tags (the company's and the contact's, in one read) are
        # read only for a policy that asks for them
        client = ticket.commercial_partner_id | ticket.partner_id
        return bool(self.partner_category_ids & client.category_id)

    @api.model
    def _get_policy(self, ticket, policies=None):
        """The first active policy, by sequence, that covers the ticket."""
        if policies is None:
            policies = self.search([])  # pylint: disable=no-search-all
        for policy in policies:
            if policy._matches(ticket):
                return policy
        return self.browse()

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_service.helpdesk_ticket_action"
        )
        action.update(domain=[("sla_id", "=", self.id)], display_name=self.name)
        return action
