from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

# what a work line bills: frozen once invoiced, managers only once approved
BILLING_FIELDS = {
    "ticket_id",
    "product_id",
    "name",
    "quantity",
    "price_unit",
    "discount",
    "is_billable",
    "date",
}
APPROVAL_FIELDS = {"state", "approver_id", "date_approved"}
# bounds of a work line: beyond them the value is a typing error
MAX_QUANTITY = 10000.0
MAX_PRICE_UNIT = 1000000.0


class HelpdeskTicketWork(models.Model):
    """An extra work or a part a ticket needed: priced by the contract's price
    list, invoiced with the contract's period unless included in the fee."""

    _name = "helpdesk.ticket.work"
    _inherit = ["helpdesk.recorded.mixin"]
    _description = "Helpdesk Ticket Work Line"
    # the invoicing links (besides the computed contract, amounts and invoice
    # line): set by invoicing only (see helpdesk.recorded.mixin)
    _helpdesk_recorded_fields = ("invoice_line_ids",)
    _order = "date, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    contract_id = fields.Many2one(
        "contract.contract",
        compute="_compute_contract_id",
        store=True,
        index="btree_not_null",
        precompute=True,
        help="The ticket's contract; kept once the line is invoiced.",
    )
    partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id",
        string="Client",
        store=True,
        index=True,
    )
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, index=True)
    date = fields.Date(
        default=fields.Date.context_today,
        required=True,
        index=True,
        help="When the work was done; invoiced with the period containing it.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Done by",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    product_id = fields.Many2one(
        "product.product",
        "Work or part",
        required=True,
        index=True,
        check_company=True,
        domain="[('sale_ok', '=', True), '|', ('is_helpdesk_work', '=', True), "
        "('type', '=', 'consu')]",
    )
    kind = fields.Selection(
        [("work", "Work"), ("part", "Part")],
        compute="_compute_kind",
        store=True,
        precompute=True,
        help="Work: a service; part: goods consumed.",
    )
    name = fields.Char(
        "Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        help="The contract's currency, else the standard price list's.",
    )
    price_unit = fields.Float(
        "Unit price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="From the contract's price list, else the standard price list of extra "
        "works, else the sales price.",
    )
    discount = fields.Float("Discount (%)", digits="Discount")
    price_subtotal = fields.Monetary(
        "Amount", compute="_compute_price_subtotal", store=True
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company currency"
    )
    cost_amount = fields.Monetary(
        "Cost",
        compute="_compute_cost_amount",
        store=True,
        currency_field="company_currency_id",
        groups="helpdesk_service.group_helpdesk_manager",
        help="Quantity times the product's cost when the line was recorded.",
    )
    is_billable = fields.Boolean(
        "Billable",
        default=True,
        help="Invoiced to the client. Off: included in the contract's fee.",
    )
    state = fields.Selection(
        [("draft", "To approve"), ("approved", "Approved")],
        default="draft",
        required=True,
        index=True,
        copy=False,
        readonly=True,
    )
    is_approval_required = fields.Boolean(
        related="contract_id.helpdesk_approval_required"
    )
    approver_id = fields.Many2one("res.users", "Approved by", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved on", readonly=True, copy=False)
    invoice_line_ids = fields.One2many(
        "account.move.line", "helpdesk_work_id", "Invoice lines", readonly=True
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        compute="_compute_invoice_line_id",
        store=True,
        index="btree_not_null",
        help="The line of a live (not cancelled) invoice billing this work.",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", string="Invoice", store=True
    )
    is_invoiced = fields.Boolean(
        "Invoiced", compute="_compute_invoice_line_id", store=True, index=True
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive."),
        (
            "discount_range",
            "CHECK(discount >= 0 AND discount <= 100)",
            "The discount is a percentage between 0 and 100.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("ticket_id.contract_id")
    def _compute_contract_id(self):
        for work in self:
            if work.is_invoiced:
                work.contract_id = work.contract_id
            else:
                work.contract_id = work.ticket_id.contract_id

    @api.depends("product_id.type")
    def _compute_kind(self):
        for work in self:
            work.kind = "work" if work.product_id.type == "service" else "part"

    @api.depends("product_id")
    def _compute_name(self):
        for work in self:
            work.name = work.product_id.display_name or work.name

    @api.depends(
        "contract_id.currency_id",
        "company_id.helpdesk_pricelist_id.currency_id",
        "company_id.currency_id",
    )
    def _compute_currency_id(self):
        for work in self:
            if work.is_invoiced and work.currency_id:
                work.currency_id = work.currency_id
                continue
            company = work.company_id or self.env.company
            work.currency_id = (
                work.contract_id.currency_id
                or company.helpdesk_pricelist_id.currency_id
                or company.currency_id
            )

    @api.depends(
        "product_id",
        "quantity",
        "date",
        "currency_id",
        "contract_id.helpdesk_pricelist_id",
        "company_id.helpdesk_pricelist_id",
    )
    def _compute_price_unit(self):
        """One price list lookup per (price lists, quantity, date, currency),
        not per line."""
        batches = defaultdict(lambda: self.browse())
        for work in self:
            if work.is_invoiced or not work.product_id:
                work.price_unit = work.price_unit
                continue
            company = work.company_id or self.env.company
            key = (
                work.contract_id.helpdesk_pricelist_id,
                company.helpdesk_pricelist_id,
                work.quantity,
                work.date or fields.Date.context_today(self),
                work.currency_id or company.currency_id,
            )
            batches[key] |= work
        for (own, standard, quantity, day, currency), works in batches.items():
            products = works.product_id
            own_prices = (
                own._compute_price_rule(products, quantity, currency=currency, date=day)
                if own
                else {}
            )
            missing = products.filtered(
                lambda p, prices=own_prices: not prices.get(p.id, (0, False))[1]
            )
            standard_prices = standard._compute_price_rule(
                missing, quantity, currency=currency, date=day
            )
            for work in works:
                price, rule = own_prices.get(work.product_id.id, (0.0, False))
                if not rule:
                    price = standard_prices[work.product_id.id][0]
                work.price_unit = price

    @api.depends("quantity", "price_unit", "discount", "currency_id")
    def _compute_price_subtotal(self):
        for work in self:
            amount = work.quantity * work.price_unit * (1 - work.discount / 100)
            work.price_subtotal = (
                work.currency_id.round(amount) if work.currency_id else amount
            )

    @api.depends("product_id", "quantity")
    def _compute_cost_amount(self):
        for work in self:
            if work.is_invoiced:
                work.cost_amount = work.cost_amount
                continue
            company = work.company_id or self.env.company
            work.cost_amount = (
                work.quantity * work.product_id.with_company(company).standard_price
            )

    @api.depends(
        "invoice_line_ids.parent_state", "invoice_line_ids.helpdesk_is_released"
    )
    def _compute_invoice_line_id(self):
        for work in self:
            line = work.invoice_line_ids.filtered(
                lambda aml: (
                    aml.parent_state != "cancel" and not aml.helpdesk_is_released
                )
            )[:1]
            work.invoice_line_id = line
            work.is_invoiced = bool(line)

    # ------------------------------------------------------------ constraints
    @api.constrains("quantity", "price_unit", "product_id")
    def _check_amounts(self):
        for work in self:
            if work.quantity > MAX_QUANTITY:
                raise ValidationError(
                    self.env._(
                        "%(line)s: a quantity of %(quantity)s is not plausible; a "
                        "work line holds at most %(max)s.",
                        line=work.name or work.product_id.display_name,
                        quantity=formatLang(self.env, work.quantity),
                        max=formatLang(self.env, MAX_QUANTITY, digits=0),
                    )
                )
            if abs(work.price_unit) > MAX_PRICE_UNIT:
                raise ValidationError(
                    self.env._(
                        "%(line)s: a unit price of %(price)s is not plausible; it "
                        "must lie between -%(max)s and %(max)s.",
                        line=work.name or work.product_id.display_name,
                        price=formatLang(self.env, work.price_unit),
                        max=formatLang(self.env, MAX_PRICE_UNIT, digits=0),
                    )
                )
            if work.price_unit < 0 and not work.product_id.is_helpdesk_credit:
                raise ValidationError(
                    self.env._(
                        "%(line)s: only a discount or credit product may have a "
                        "negative price, and %(product)s is not one. Use such a "
                        "product (Helpdesk discount or credit, on the product "
                        "form), or the Discount (%%) column.",
                        line=work.name or work.product_id.display_name,
                        product=work.product_id.display_name,
                    )
                )

    @api.constrains("date", "ticket_id")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for work in self:
            start, end = work._get_date_window(today)
            if start <= work.date <= end:
                continue
            if work.contract_id:
                message = self.env._(
                    "%(line)s is dated %(date)s, outside contract %(contract)s "
                    "(%(start)s to %(end)s): date it within the contract, or "
                    "change the ticket's contract.",
                    contract=work.contract_id.display_name,
                    line=work.name or work.product_id.display_name,
                    date=format_date(self.env, work.date),
                    start=format_date(self.env, start),
                    end=format_date(self.env, end),
                )
            else:
                message = self.env._(
                    "%(line)s is dated %(date)s: a work line is dated between a "
                    "year before its ticket arrived and a year from today "
                    "(%(start)s to %(end)s).",
                    line=work.name or work.product_id.display_name,
                    date=format_date(self.env, work.date),
                    start=format_date(self.env, start),
                    end=format_date(self.env, end),
                )
            raise ValidationError(message)

    def _get_date_window(self, today):
        """(first, last) day the work line may be dated: within its contract's
        dates, at most a year before its ticket arrived and a year after
        today."""
        self.ensure_one()
        ticket = self.ticket_id
        arrived = ticket.date_received or ticket.create_date or fields.Datetime.now()
        start = arrived.date() - relativedelta(years=1)
        end = today + relativedelta(years=1)
        contract = self.contract_id
        if contract.date_start:
            start = contract.date_start
        if contract.date_end:
            end = min(end, contract.date_end)
        return start, end

    # ------------------------------------------------------------ CRUD
    @api.model
    def _check_date_values(self, vals_list):
        """Refuse a date that does not exist (2026-02-30) with a clear error,
        not a raw ValueError (RPC)."""
        for vals in vals_list:
            value = vals.get("date")
            if not value or not isinstance(value, str):
                continue
            try:
                fields.Date.to_date(value)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a valid date: use an existing day, as "
                        "YYYY-MM-DD.",
                        value=value,
                    )
                ) from None

    def _is_manager(self):
        return self.env.su or self.env.user.has_group(
            "helpdesk_service.group_helpdesk_manager"
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_manager() and any(
            vals.get("state", "draft") != "draft"
            or vals.get("approver_id")
            or vals.get("date_approved")
            for vals in vals_list
        ):
            raise AccessError(self.env._("Only helpdesk managers approve work lines."))
        self._check_date_values(vals_list)
        corrected = self._check_recorded_create(vals_list)
        works = super().create(vals_list)
        if corrected:
            works._log_recorded_changes(
                {work.id: dict.fromkeys(corrected, "") for work in works}
            )
        return works

    def write(self, vals):
        self._check_date_values([vals])
        corrected = self._check_recorded_write(vals)
        before = self._snapshot_recorded(corrected) if corrected else {}
        if APPROVAL_FIELDS & set(vals) and not self._is_manager():
            raise AccessError(self.env._("Only helpdesk managers approve work lines."))
        if BILLING_FIELDS & set(vals):
            self._check_editable()
        res = super().write(vals)
        if corrected:
            self._log_recorded_changes(before)
        return res

    def _check_editable(self):
        invoiced = self.filtered("is_invoiced")
        if invoiced:
            raise UserError(
                self.env._(
                    "%(lines)s are invoiced already: they cannot change any more.",
                    lines=", ".join(invoiced.mapped("name")),
                )
            )
        approved = self.filtered(lambda work: work.state == "approved")
        if approved and not self._is_manager():
            raise UserError(
                self.env._(
                    "%(lines)s are approved: only a helpdesk manager can change "
                    "them now.",
                    lines=", ".join(approved.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_or_approved(self):
        self._check_editable()

    # ------------------------------------------------------------ actions
    def action_approve(self):
        if not self._is_manager():
            raise AccessError(self.env._("Only helpdesk managers approve work lines."))
        todo = self.filtered(lambda work: work.state == "draft")
        todo.write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "date_approved": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_draft(self):
        if not self._is_manager():
            raise AccessError(self.env._("Only helpdesk managers approve work lines."))
        todo = self.filtered(lambda work: work.state == "approved")
        todo._check_editable()
        todo.write({"state": "draft", "approver_id": False, "date_approved": False})
        return True

    # ------------------------------------------------------------ invoicing
    @api.model
    def _get_to_invoice_domain(self):
        """Billable work lines not invoiced yet (whatever their contract); a
        negative price (discount, credit) only once approved."""
        return [
            ("is_billable", "=", True),
            ("is_invoiced", "=", False),
            "|",
            ("price_unit", ">=", 0),
            ("state", "=", "approved"),
        ]

    @api.model
    def _helpdesk_get_to_invoice(self, contracts, periods):
        """{contract: work lines to invoice} up to each contract's period end:
        billable, not invoiced, approved when the contract requires it."""
        if not contracts:
            return {}
        latest = max(end for _start, end in periods.values())
        works = self.sudo().search(
            [
                *self._get_to_invoice_domain(),
                ("contract_id", "in", contracts.ids),
                ("date", "<=", latest),
            ],
            order="date, ticket_id, id",
        )
        result = {}
        for contract, contract_works in works.grouped("contract_id").items():
            end = periods[contract][1]
            approval = contract.helpdesk_approval_required
            result[contract.with_env(self.env)] = contract_works.filtered(
                lambda w, end=end, approval=approval: (
                    w.date <= end and (not approval or w.state == "approved")
                )
            )
        return result

    def _prepare_invoice_line_commands(self, currency, date, partner, fiscal_position):
        """Commands creating one invoice line per work line, in `currency`, for
        an invoice of `partner` (the client) under `fiscal_position`. Taxes and
        accounts come from the product and the fiscal position (account computes
        them); the analytic distribution is given here once per product: account
        would search the distribution models once per line."""
        commands = []
        distributions = {}
        # the tickets' reference only, not their wide rows
        self.ticket_id.fetch(["ticket_ref"])
        for sequence, work in enumerate(self, start=2000):
            price = work.price_unit
            company = work.company_id
            if work.currency_id and work.currency_id != currency:
                price = work.currency_id._convert(price, currency, company, date)
            product = work.product_id
            if product not in distributions:
                distributions[product] = self._get_analytic_distribution(
                    product, partner, company, fiscal_position
                )
            commands.append(
                Command.create(
                    {
                        "display_type": "product",
                        "sequence": sequence,
                        "product_id": product.id,
                        "product_uom_id": work.uom_id.id,
                        "name": f"{work.ticket_id.ticket_ref} {work.name}",
                        "quantity": work.quantity,
                        "price_unit": price,
                        "discount": work.discount,
                        "analytic_distribution": distributions[product],
                        "helpdesk_kind": "work",
                        "helpdesk_work_id": work.id,
                        "helpdesk_ticket_id": work.ticket_id.id,
                    }
                )
            )
        return commands

    @api.model
    def _get_analytic_distribution(self, product, partner, company, fiscal_position):
        """The analytic distribution account gives an invoice line of `product`
        for `partner`: the distribution models' own look-up, with the arguments
        of account.move.line._compute_analytic_distribution for a line that no
        other document distributes (no related distribution, hence no plan
        already applied)."""
        template = product.product_tmpl_id.with_company(company)
        account = template.get_product_accounts(fiscal_pos=fiscal_position)["income"]
        partner = partner.commercial_partner_id
        Model = self.env["account.analytic.distribution.model"]
        distribution = Model._get_distribution(
            {
                "product_id": product.id,
                "product_categ_id": product.categ_id.id,
                "partner_id": partner.id,
                "partner_category_id": partner.category_id.ids,
                "account_prefix": account.code,
                "company_id": company.id,
                "related_root_plan_ids": self.env["account.analytic.plan"],
            }
        )
        return distribution or False
