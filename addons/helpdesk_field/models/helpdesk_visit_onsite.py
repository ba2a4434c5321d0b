# the engineer's on-site workflow of helpdesk.visit in a file of its own
# (STYLE 1: a model's file stays readable; helpdesk_visit.py holds the
# visit's definition)
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from .helpdesk_visit import DEFAULT_ETA_MINUTES, MAX_LABOUR_MINUTES


class HelpdeskVisit(models.Model):
    """The engineer's visit from his phone: on the way, on site (works, parts,
    photos, signature), done (the labour time becomes a timesheet line)."""

    _inherit = "helpdesk.visit"

    # ------------------------------------------------------------ actions
    def action_on_my_way(self, eta_minutes=None):
        """The engineer sets off: the client learns when he arrives."""
        self._check_state(("planned",), self.env._("set off"))
        now = fields.Datetime.now()
        minutes = DEFAULT_ETA_MINUTES if eta_minutes is None else int(eta_minutes)
        if not 0 < minutes <= MAX_LABOUR_MINUTES:
            raise UserError(self.env._("Give the minutes until you arrive."))
        self._write_recorded(
            {
                "state": "on_the_way",
                "date_on_way": now,
                "date_eta": now + timedelta(minutes=minutes),
            }
        )
        self._notify_client("on_way")
        return True

    def action_arrived(self, latitude=None, longitude=None):
        """The engineer is on site: arrival time and, if he agreed to share it,
        where he checked in."""
        self._check_state(("planned", "on_the_way"), self.env._("checked in"))
        vals = {"state": "on_site", "date_arrived": fields.Datetime.now()}
        # no position (None, False or "" from a form or an RPC call) writes no
        # coordinates at all: they stay empty rather than 0, 0 (a real place,
        # hence identity tests: 0.0 == False)
        blank = [
            value is None or value is False or value == ""
            for value in (latitude, longitude)
        ]
        if not any(blank):
            try:
                latitude, longitude = float(latitude), float(longitude)
            except (TypeError, ValueError):
                latitude = longitude = float("nan")
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise UserError(self.env._("These are not valid coordinates."))
            vals.update(
                arrival_latitude=latitude,
                arrival_longitude=longitude,
                arrival_has_position=True,
            )
        self._write_recorded(vals)
        self._notify_client("arrived")
        return True

    def action_depart(self):
        """The engineer is done on site: departure time, and the labour time to
        confirm."""
        self._check_state(("on_site",), self.env._("finished"))
        self._write_recorded({"date_departed": fields.Datetime.now()})
        return True

    def action_resume(self):
        """Back to work after pressing Done too early."""
        self._check_state(("on_site",), self.env._("resumed"))
        self._write_recorded({"date_departed": False})
        return True

    def action_confirm_done(self, labour_minutes=None):
        """Close the visit: the labour time becomes a timesheet line of the
        ticket for the engineer, the report is attached to the ticket and sent
        to the client."""
        self.ensure_one()
        self._check_state(("on_site",), self.env._("closed"))
        user = self.env.user
        if user != self.user_id and not user.has_group(
            "helpdesk_service.group_helpdesk_manager"
        ):
            raise UserError(
                self.env._(
                    "Only %(engineer)s or a helpdesk administrator can confirm the "
                    "visit: the time is written off in the engineer's name.",
                    engineer=self.user_id.name,
                )
            )
        if not self.date_departed:
            self.action_depart()
        if labour_minutes is not None:
            minutes = int(labour_minutes)
            if not 0 <= minutes <= MAX_LABOUR_MINUTES:
                raise UserError(
                    self.env._("The labour time must be between 0 and 24 hours.")
                )
            self.labour_minutes = minutes
        employee = self._get_engineer_employee()
        vals = {"state": "done"}
        if self.labour_minutes:
            vals["timesheet_id"] = (
                self.env["account.analytic.line"]
                .create(self._prepare_timesheet_vals(employee))
                .id
            )
        self._write_recorded(vals)
        self._post_report()
        self._notify_client("done")
        return True

    # ------------------------------------------------------------ business
    def _prepare_timesheet_vals(self, employee):
        self.ensure_one()
        vals = self.ticket_id._prepare_timesheet_vals(
            employee, self.date_arrived, self.labour_minutes / 60
        )
        vals["name"] = self.env._(
            "Visit %(visit)s: %(ticket)s",
            visit=self.name,
            ticket=self.ticket_id.display_name,
        )
        return vals

    def _add_work(self, product, quantity=1.0):
        """A work or part done on site: a work line of the ticket, priced by
        the billing rules (contract price list, else the standard one)."""
        self.ensure_one()
        self._check_state(("on_site",), self.env._("given works"))
        if quantity <= 0:
            raise UserError(self.env._("The quantity must be positive."))
        return self.env["helpdesk.ticket.work"].create(
            {
                "ticket_id": self.ticket_id.id,
                "visit_id": self.id,
                "product_id": product.id,
                "quantity": quantity,
                "user_id": self.user_id.id,
                "date": fields.Date.context_today(self, self.date_arrived),
            }
        )

    def _add_photos(self, files):
        """Attach photos [(file name, bytes)] to the visit."""
        self.ensure_one()
        return self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for name, content in files
            ]
        )

    def _sign(self, name, signature):
        """Store the client's signature (base64 PNG) drawn on the engineer's
        phone."""
        self.ensure_one()
        self._check_state(("on_site",), self.env._("signed"))
        self._write_recorded(
            {
                "signature": signature,
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._("Signed by %(name)s", name=name),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True
