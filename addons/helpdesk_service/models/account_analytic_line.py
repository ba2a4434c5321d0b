from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang
from odoo.tools.sql import column_exists, create_column


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    helpdesk_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        "Ticket",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The ticket this time was spent on. Its team's project receives the "
        "timesheet.",
    )
    helpdesk_team_id = fields.Many2one(
        "helpdesk.team",
        "Helpdesk team",
        related="helpdesk_ticket_id.team_id",
        store=True,
        index="btree_not_null",
    )
    helpdesk_ticket_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        "Ticket type",
        related="helpdesk_ticket_id.type_id",
        store=True,
    )
    labour_cost = fields.Monetary(
        compute="_compute_labour_cost",
        store=True,
        currency_field="currency_id",
        groups="helpdesk_service.group_helpdesk_manager",
        help="Hours times the employee's hourly cost when the line was recorded.",
    )

    def _auto_init(self):
        # analytic lines can be many (accounting): create the new stored columns
        # empty instead of computing them line by line at install; only lines
        # linked to a ticket get values, and none exists yet
        cr = self.env.cr
        for name, sql_type in (
            ("helpdesk_team_id", "int4"),
            ("helpdesk_ticket_type_id", "int4"),
            ("labour_cost", "numeric"),
        ):
            if not column_exists(cr, self._table, name):
                create_column(cr, self._table, name, sql_type)
        return super()._auto_init()

    @api.depends("amount", "helpdesk_ticket_id")
    def _compute_labour_cost(self):
        for line in self:
            # hr_timesheet books a timesheet's cost as a negative amount
            line.labour_cost = -line.amount if line.helpdesk_ticket_id else 0.0

    @api.constrains("helpdesk_ticket_id", "company_id")
    def _check_helpdesk_ticket_company(self):
        for line in self.sudo():
            ticket = line.helpdesk_ticket_id
            if ticket and ticket.company_id != line.company_id:
                raise ValidationError(
                    self.env._(
                        "The timesheet %(line)s belongs to %(company)s, its ticket "
                        "%(ticket)s to %(ticket_company)s: record time in the "
                        "ticket's company.",
                        line=line.name,
                        company=line.company_id.name,
                        ticket=ticket.display_name,
                        ticket_company=ticket.company_id.name,
                    )
                )

    @api.constrains("unit_amount", "helpdesk_ticket_id")
    def _check_helpdesk_hours(self):
        for line in self:
            if line.helpdesk_ticket_id and not 0 < line.unit_amount <= 24:
                raise ValidationError(
                    self.env._(
                        "A timesheet line on a ticket records more than 0 and at "
                        "most 24 hours; %(line)s on %(ticket)s has %(hours)s. Split "
                        "longer work into one line per day.",
                        line=line.name or "",
                        ticket=line.helpdesk_ticket_id.display_name,
                        hours=formatLang(self.env, line.unit_amount),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # before hr_timesheet's create, which needs the project to treat the line
        # as a timesheet (employee, cost)
        self._set_helpdesk_project(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("helpdesk_ticket_id"):
            self._set_helpdesk_project([vals])
        return super().write(vals)

    @api.model
    def _set_helpdesk_project(self, vals_list):
        """Put the project of the ticket's team in the values of lines linked to a
        ticket that come without a project."""
        todo = [
            vals
            for vals in vals_list
            if vals.get("helpdesk_ticket_id") and not vals.get("project_id")
        ]
        if not todo:
            return
        tickets = self.env["helpdesk.ticket"].browse(
            {vals["helpdesk_ticket_id"] for vals in todo}
        )
        tickets.check_access("read")
        projects = tickets.sudo()._get_timesheet_project()
        for vals in todo:
            vals["project_id"] = projects[vals["helpdesk_ticket_id"]].id
