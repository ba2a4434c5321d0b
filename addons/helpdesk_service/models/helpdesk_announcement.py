from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# changes of a planned maintenance that move the deadlines of its tickets
MAINTENANCE_WINDOW_FIELDS = {"kind", "state", "date_start", "date_end"}


class HelpdeskAnnouncement(models.Model):
    """A notice to clients about planned maintenance, a change or an ongoing
    incident. It is shown on the affected clients' portal home and mailed to
    their contacts when published."""

    _name = "helpdesk.announcement"
    _description = "Client Announcement"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    body = fields.Html(sanitize=True)
    kind = fields.Selection(
        [
            ("maintenance", "Planned maintenance"),
            ("change", "Change"),
            ("incident", "Incident"),
            ("info", "Information"),
        ],
        default="maintenance",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    date_start = fields.Datetime(
        "From", required=True, default=fields.Datetime.now, tracking=True
    )
    date_end = fields.Datetime("Until", index=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    audience = fields.Selection(
        [("all", "All clients"), ("targeted", "Selected clients")],
        default="targeted",
        required=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "helpdesk_announcement_partner_rel",
        "announcement_id",
        "partner_id",
        string="Clients",
        domain="[('is_company', '=', True)]",
        groups="base.group_user",
    )
    # who else it is for is internal: a client reads the announcement only
    site_ids = fields.Many2many(
        "helpdesk.site", string="Sites", check_company=True, groups="base.group_user"
    )
    equipment_type_ids = fields.Many2many(
        "helpdesk.equipment.type", string="Equipment types", groups="base.group_user"
    )
    client_ids = fields.Many2many(
        "res.partner",
        "helpdesk_announcement_client_rel",
        "announcement_id",
        "partner_id",
        string="Affected clients",
        compute="_compute_client_ids",
        store=True,
        groups="base.group_user",
        help="Clients chosen directly, owning one of the sites, or having "
        "equipment of one of the types.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        "Major incident",
        index="btree_not_null",
        domain="[('is_major_incident', '=', True)]",
        check_company=True,
        groups="base.group_user",
    )
    date_sent = fields.Datetime(
        "Mailed on", readonly=True, copy=False, groups="base.group_user"
    )
    recipient_count = fields.Integer(
        "Mailed contacts", readonly=True, copy=False, groups="base.group_user"
    )
    maintenance_ticket_count = fields.Integer(
        "Tickets about it",
        compute="_compute_maintenance_ticket_count",
        groups="base.group_user",
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for announcement in self:
            if (
                announcement.date_end
                and announcement.date_end < announcement.date_start
            ):
                raise UserError(
                    self.env._("An announcement cannot end before it starts.")
                )

    @api.depends("audience", "partner_ids", "site_ids.partner_id", "equipment_type_ids")
    def _compute_client_ids(self):
        for announcement in self:
            announcement.client_ids = (
                announcement._get_target_clients()
                if announcement.audience == "targeted"
                else False
            )

    def _compute_maintenance_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("maintenance_announcement_id", "in", self.ids)],
                ["maintenance_announcement_id"],
                ["__count"],
            )
        )
        for announcement in self:
            announcement.maintenance_ticket_count = counts.get(announcement, 0)

    def _get_target_clients(self):
        """The commercial partners a targeted announcement is for. Other
        addons add their own criteria (contracts)."""
        self.ensure_one()
        clients = self.partner_ids.commercial_partner_id | self.site_ids.partner_id
        if self.equipment_type_ids:
            groups = (
                self.env["helpdesk.equipment"]
                .sudo()
                ._read_group(
                    [("type_id", "in", self.equipment_type_ids.ids)], ["partner_id"]
                )
            )
            clients |= self.env["res.partner"].union(*(p for (p,) in groups))
        return clients.commercial_partner_id

    def _get_recipients(self):
        """The contacts who receive the announcement by e-mail."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        if self.audience == "all":
            groups = (
                self.env["helpdesk.ticket"]
                .sudo()
                ._read_group(
                    [("company_id", "=", self.company_id.id)], ["commercial_partner_id"]
                )
            )
            clients = Partner.union(*(p for (p,) in groups))
        else:
            clients = self.client_ids
        if not clients:
            return Partner
        contacts = Partner.search(
            [
                ("commercial_partner_id", "in", clients.ids),
                ("is_company", "=", False),
                ("email", "!=", False),
                # the addresses of sites are no persons
                ("helpdesk_address_site_ids", "=", False),
            ]
        )
        # a client without contact persons gets it at the company address
        without = clients - contacts.commercial_partner_id
        return contacts | without.filtered("email")

    @api.model
    def _portal_current(self):
        """Announcements the current portal user sees on his home page:
        published, not over yet (access rules select the clients). Internal
        users visiting /my get none: they read them all in the backend."""
        if not self.env.user.share or not self.has_access("read"):
            return self.browse()
        now = fields.Datetime.now()
        return self.search(
            [
                ("state", "=", "published"),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", now),
            ],
            order="date_start, id",
            limit=10,
        )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state") == "published" for vals in vals_list):
            self._check_publish_rights()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "published":
            self._check_publish_rights()
        res = super().write(vals)
        if MAINTENANCE_WINDOW_FIELDS & set(vals):
            # the tickets about a maintenance follow its window and state
            tickets = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search([("maintenance_announcement_id", "in", self.ids)])
            )
            tickets._sla_sync()
        return res

    def _check_publish_rights(self):
        """Publishing shows the announcement to the clients and mails it to
        all their contacts: helpdesk administrators only."""
        if self.env.su or self.env.user.has_group(
            "helpdesk_service.group_helpdesk_manager"
        ):
            return
        raise AccessError(
            self.env._(
                "Only helpdesk administrators can publish announcements: they "
                "are shown and e-mailed to the clients' contacts."
            )
        )

    # ------------------------------------------------------------ maintenance
    @api.model
    def _get_maintenance_domain(self):
        """Planned maintenance whose window pauses the service-level clocks of
        the tickets about it: published, with an end."""
        return [
            ("kind", "=", "maintenance"),
            ("state", "=", "published"),
            ("date_end", "!=", False),
        ]

    def _is_maintenance_of(self, ticket):
        """Whether the ticket arrived during this maintenance from one of the
        clients it is for (chosen directly, by site, equipment type or
        contract, or every client): it may be about it."""
        self.ensure_one()
        return bool(
            self.kind == "maintenance"
            and self.state == "published"
            and self.date_end
            and self.date_start <= ticket.date_received <= self.date_end
            and self.company_id in (ticket.company_id, self.env["res.company"])
            and (
                self.audience == "all"
                or ticket.commercial_partner_id in self.sudo().client_ids
            )
        )

    # ------------------------------------------------------------ actions
    def action_open_maintenance_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets about %(name)s", name=self.name),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,kanban,form",
            "domain": [("maintenance_announcement_id", "=", self.id)],
            "context": {"default_maintenance_announcement_id": self.id},
        }

    def action_publish(self):
        self._check_publish_rights()
        for announcement in self:
            if announcement.state != "draft":
                raise UserError(
                    self.env._("Only a draft announcement can be published.")
                )
            if announcement.audience == "targeted" and not announcement.client_ids:
                raise UserError(
                    self.env._(
                        "Choose the affected clients, sites, equipment types "
                        "or contracts of %(name)s.",
                        name=announcement.name,
                    )
                )
            recipients = announcement._get_recipients()
            if recipients:
                announcement.message_post(
                    subject=announcement.name,
                    body=announcement.body or announcement.name,
                    partner_ids=recipients.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
            announcement.write(
                {
                    "state": "published",
                    "date_sent": fields.Datetime.now(),
                    "recipient_count": len(recipients),
                }
            )
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True
