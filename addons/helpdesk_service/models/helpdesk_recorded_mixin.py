from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

MANAGER_GROUP = "helpdesk_service.group_helpdesk_manager"


class HelpdeskRecordedMixin(models.AbstractModel):
    """Fields that record facts: when something happened, how often, where,
    what was billed. The service-level, KPI, billing and profitability figures
    are computed from them, so the UI shows them read-only and, over RPC too,
    only the actions that record them set them (they write them in superuser
    mode, after checking the user may change the records: _write_recorded), or
    a helpdesk administrator, whose correction is logged in the ticket's
    timeline. Stored computed fields without an inverse are protected the same
    way: they are the figures themselves."""

    _name = "helpdesk.recorded.mixin"
    _description = "Helpdesk facts set only by the actions recording them"

    # the stored fields only the recording actions set (besides the computed ones)
    _helpdesk_recorded_fields = ()

    @api.model
    @tools.ormcache()
    def _get_recorded_fields(self):
        # read on every write and create of the models: worked out once per
        # model and registry (ormcache keys on the model's name)
        computed = {
            name
            for name, field in self._fields.items()
            if field.store and field.compute and not field.inverse and field.readonly
        }
        return frozenset(self._helpdesk_recorded_fields) | computed

    def _check_recorded_write(self, fnames):
        """Refuse the current user's change of recorded fields among ``fnames``
        unless he is a helpdesk administrator; superuser mode (the recording
        actions) passes. Returns the recorded fields an administrator changes,
        to give to _log_recorded_changes."""
        recorded = self._get_recorded_fields() & set(fnames)
        if not recorded or self.env.su:
            return set()
        if self.env.user.has_group(MANAGER_GROUP):
            return recorded
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s records are set by the helpdesk's own "
                "actions (acknowledging, replying, checking in, invoicing...) and "
                "cannot be changed directly. A helpdesk administrator can correct "
                "them.",
                fields=", ".join(
                    sorted(
                        self._fields[f]._description_string(self.env) for f in recorded
                    )
                ),
                model=self._description,
            )
        )

    @api.model
    def _check_recorded_create(self, vals_list):
        """_check_recorded_write for new records: their values and the defaults
        the context gives. An empty value or the field's own default (a visit
        'planned', no replies yet: what a form sends) records nothing."""
        if self.env.su:
            return set()
        context_defaults = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
        }
        recorded = self._get_recorded_fields()
        given = [
            (name, value)
            for vals in [*vals_list, context_defaults]
            for name, value in vals.items()
            if name in recorded and value
        ]
        if not given:
            return set()
        # the field's own default, not one the context (the caller) gives
        defaults = {
            name: self._fields[name].default(self)
            for name, _value in given
            if self._fields[name].default
        }
        return self._check_recorded_write(
            {name for name, value in given if value != defaults.get(name)}
        )

    def _write_recorded(self, vals):
        """Write recorded fields for the action recording them: the user must be
        allowed to change the records; the write then passes the guard."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------ corrections
    def _get_recorded_ticket(self):
        """The ticket whose timeline logs a correction of the record."""
        self.ensure_one()
        return self["ticket_id"] if "ticket_id" in self._fields else False

    def _recorded_value_text(self, fname):
        self.ensure_one()
        field = self._fields[fname]
        value = self[fname]
        if field.type in ("many2one", "one2many", "many2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "binary":
            return self.env._("(file)") if value else ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) or ""
        if field.type == "datetime" and value:
            return fields.Datetime.to_string(value)
        return "" if value is False or value is None else str(value)

    def _snapshot_recorded(self, fnames):
        return {
            record.id: {f: record._recorded_value_text(f) for f in fnames}
            for record in self
        }

    def _log_recorded_changes(self, before):
        """One 'corrected' timeline row per recorded field an administrator
        changed, on the record's ticket."""
        events = []
        Event = self.env["helpdesk.ticket.event"]
        for record in self:
            ticket = record._get_recorded_ticket()
            if not ticket:
                continue
            for fname, old in before.get(record.id, {}).items():
                new = record._recorded_value_text(fname)
                if new == old:
                    continue
                events.append(
                    {
                        "ticket_id": ticket.id,
                        "event_type": "corrected",
                        "user_id": self.env.uid,
                        "team_id": ticket.team_id.id,
                        "stage_id": ticket.stage_id.id,
                        "agent_id": ticket.user_id.id,
                        "old_value": old[:200],
                        "new_value": new[:200],
                        "note": self.env._(
                            "%(record)s: %(field)s corrected",
                            record=record.display_name,
                            field=record._fields[fname]._description_string(self.env),
                        )[:200],
                    }
                )
        if events:
            Event.sudo().create(events)
        return True
