from odoo import fields, models
from odoo.tools import SQL, sql


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    helpdesk_kind = fields.Selection(
        [
            ("work", "Helpdesk work"),
            ("hours", "Hours beyond the contract"),
            ("sla_credit", "SLA compensation"),
        ],
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    helpdesk_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        "Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    helpdesk_work_id = fields.Many2one(
        "helpdesk.ticket.work",
        "Work line",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    helpdesk_timesheet_ids = fields.Many2many(
        "account.analytic.line",
        "account_move_line_helpdesk_timesheet_rel",
        "move_line_id",
        "timesheet_id",
        "Timesheets",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="The timesheets whose hours this line counts.",
    )
    helpdesk_sla_line_ids = fields.Many2many(
        "helpdesk.ticket.sla",
        "account_move_line_helpdesk_ticket_sla_rel",
        "move_line_id",
        "sla_line_id",
        "Failed SLA targets",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    helpdesk_hours = fields.Float(
        "Hours worked",
        copy=False,
        readonly=True,
        help="Hours of the timesheets this line counts.",
    )
    helpdesk_fee_period_start = fields.Date(
        "Fee period from",
        copy=False,
        readonly=True,
        help="First day of the contract fee period this line bills.",
    )
    helpdesk_fee_period_end = fields.Date(
        "Fee period to",
        copy=False,
        readonly=True,
        help="Last day of the contract fee period this line bills.",
    )
    helpdesk_is_released = fields.Boolean(
        "Billable again",
        copy=False,
        readonly=True,
        help="The invoice was fully reversed by a credit note and the accountant "
        "released what this line billed: the next invoicing run bills it again.",
    )

    def init(self):
        res = super().init()
        # a work line is billed by one live invoice line at most (a line of a
        # cancelled invoice or a released one does not count); an invoice has
        # one line of extra hours and one SLA credit at most
        sql.drop_index(self.env.cr, "account_move_line_helpdesk_work_uniq", self._table)
        for name, columns, where in (
            (
                "account_move_line_helpdesk_work_live_uniq",
                SQL("helpdesk_work_id"),
                SQL(
                    "helpdesk_work_id IS NOT NULL AND parent_state != 'cancel' "
                    "AND helpdesk_is_released IS NOT TRUE"
                ),
            ),
            (
                "account_move_line_helpdesk_kind_uniq",
                SQL("move_id, helpdesk_kind"),
                SQL("helpdesk_kind IN ('hours', 'sla_credit')"),
            ),
        ):
            # raw SQL: tools.sql.create_unique_index() makes no partial index
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s) WHERE %s",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    columns,
                    where,
                )
            )
        return res
