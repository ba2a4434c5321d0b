"""Who is told what about a ticket: followers added in one batch while
tickets are created (their e-mails are sent after the commit: see
helpdesk.notify.batch.mixin), the client's acknowledgement, the recipients of
each kind of message."""

# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, models
from odoo.tools import SQL

from ..const import (
    CLIENT_CHANNELS,
)

# mail.thread's notice to the agent a document is assigned to
ASSIGNED_TEMPLATE = "mail.message_user_assigned"


class HelpdeskTicketNotify(models.Model):
    _inherit = "helpdesk.ticket"

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        # mail.thread's create calls this for each new ticket, then posts their
        # creation messages: the followers of the tickets being created are
        # gathered and added in one batch before the first one (see
        # _creation_subtype)
        if not self or not self.env.context.get("helpdesk_subscribe_later"):
            return super()._message_auto_subscribe(
                updated_values, followers_existing_policy=followers_existing_policy
            )
        # their creation message starts their conversation, their look-ups
        # are shared (see helpdesk.notify.batch.mixin)
        self._new_records_open()
        self._new_records_state()["pending"].append((self.ids, dict(updated_values)))
        return True

    def _subscribe_pending(self, fold_notices=False):
        """Add the followers gathered for the tickets being created, and those
        of the tickets of self none were gathered for (created without
        tracking: the client's contact), in one batch (see
        _subscribe_on_create). Their creator is the partner id in the context's
        `helpdesk_subscribe_creator`. With `fold_notices` (their creation
        messages come next), the assigned agents are told by them."""
        state = self._new_records_state()
        entries, state["pending"] = state["pending"], []
        ids = [ticket_id for entry_ids, _values in entries for ticket_id in entry_ids]
        ids += [
            ticket_id
            for ticket_id in self.ids
            if ticket_id not in state["done"] and ticket_id not in ids
        ]
        if not ids:
            return
        state["done"].update(ids)
        creator = self.env["res.partner"].browse(
            self.env.context.get("helpdesk_subscribe_creator")
        )
        self.browse(ids)._subscribe_on_create(
            entries, creator, fold_notices=fold_notices
        )

    def _subscribe_on_create(self, entries, creator=False, fold_notices=False):
        """Add the followers of the new tickets self in one batch: their
        creator (the `creator` partner, if any), those mail.thread's
        auto-subscription asks for (`entries`: [(ids, values)], the team's
        followers, the assigned agent, who gets the assignment notice) and the
        client's contact. Mirrors mail.thread's create and
        _message_auto_subscribe, with one query per step for all tickets.
        With `fold_notices`, the assignment notices are not messages of their
        own: the creation message, posted next, is addressed to the agent and
        says so (see _creation_message)."""
        if not self:
            return
        Subtype = self.env["mail.message.subtype"]
        default, _internal, external = Subtype.default_subtypes(self._name)
        auto_subtypes = Subtype._get_auto_subscription_subtypes(self._name)
        relation = auto_subtypes[4]
        parent_followers = self._get_parent_followers(entries, auto_subtypes)
        wanted = {
            ticket_id: {creator.id: set(default.ids)} if creator else {}
            for ticket_id in self.ids
        }
        notify = {}
        for ids, values in entries:
            subtypes = {}
            for res_model, fnames in relation.items():
                for fname in fnames:
                    if values.get(fname):
                        subtypes.update(
                            parent_followers.get((res_model, values[fname]), {})
                        )
            templates = {}
            for pid, sids, template in self.browse(
                ids
            )._message_auto_subscribe_followers(values, auto_subtypes[1]):
                subtypes.setdefault(
                    pid, set(auto_subtypes[1] if sids is False else sids)
                )
                if template:
                    lang = self.env["res.partner"].browse(pid).lang
                    templates.setdefault((template, lang), []).append(pid)
            for key, pids in templates.items():
                notify.setdefault((*key, tuple(pids)), []).extend(ids)
            for ticket_id in ids:
                followers = wanted.setdefault(ticket_id, {})
                for pid, sids in subtypes.items():
                    followers[pid] = followers.get(pid, set()) | set(sids)
        # the client's contact, with the subtypes of a customer if he is one
        for ticket in self:
            partner = ticket.partner_id.sudo()
            if partner.active:
                subtypes = external if partner.partner_share else default
                wanted[ticket.id].setdefault(partner.id, set(subtypes.ids))
        # mail.thread's create subscribed no one (see create): nothing to read
        self._insert_wanted_followers(wanted, check_existing=False)
        # the assignment notices: told by the creation message that follows
        # (one message and one notification less per ticket)
        if fold_notices:
            notices = self._new_records_state()["notices"]
            for (template, lang, pids), ids in list(notify.items()):
                if template == ASSIGNED_TEMPLATE:
                    notices.update(dict.fromkeys(ids, (lang, pids)))
                    del notify[(template, lang, pids)]
        self._send_assignment_notices(notify)

    def _send_assignment_notices(self, notify):
        """The assignment notices {(template, lang, partner ids): ticket ids}
        as mail.thread sends them, as superuser: the ticket's creator may
        create them (mail.message's access check, a query per notice, is
        skipped) and is still their author."""
        for (template, lang, pids), ids in notify.items():
            self.browse(ids).sudo().with_context(
                lang=lang
            )._message_auto_subscribe_notify(list(pids), template)

    @api.model
    def _get_parent_followers(self, entries, auto_subtypes):
        """{(model, id): {partner id: subtype ids}}: what the followers of the
        documents the new tickets link to (their team) pass on to them, as
        mail.thread's _message_auto_subscribe computes it. The documents'
        followers are kept between requests (mail.followers); whether each is
        active and a customer is read for all of them in one query."""
        child_ids, _def_ids, int_ids, parent, relation = auto_subtypes
        Followers = self.env["mail.followers"]
        followers = {
            (res_model, doc_id): Followers._helpdesk_followers_of(res_model, doc_id)
            for res_model, fnames in relation.items()
            for doc_id in {
                values[fname]
                for _ids, values in entries
                for fname in fnames
                if values.get(fname)
            }
        }
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse({pid for rows in followers.values() for pid, _sids in rows})
        )
        partners.fetch(["active", "partner_share"])
        # a partner deleted since (not fetched) is left out
        active = partners._fields["active"]
        partners = {
            partner.id: partner
            for partner in partners
            if self.env.cache.contains(partner, active)
        }
        result = {}
        for key, rows in followers.items():
            for pid, sids in rows:
                partner = partners.get(pid)
                if not partner or not partner.active:
                    continue
                sids = {parent[sid] for sid in sids if parent.get(sid)} | {
                    sid for sid in sids if sid not in parent and sid in child_ids
                }
                result.setdefault(key, {})[pid] = (
                    sids - set(int_ids) if partner.partner_share else sids
                )
        return result

    @api.model
    def _insert_wanted_followers(self, wanted, check_existing=True):
        """Subscribe {ticket id: {partner id: subtype ids}} in one insert;
        a partner already following a ticket gets the missing subtypes. Without
        `check_existing` (tickets that no one follows yet), nothing is read."""
        Followers = self.env["mail.followers"].sudo()
        existing = {}
        if check_existing:
            existing = {
                (res_id, pid): (fid, set(sids))
                for fid, res_id, pid, sids in Followers._get_subscription_data(
                    [(self._name, list(wanted))], None
                )
                if pid
            }
        to_create = []
        for ticket_id, followers in wanted.items():
            for pid, sids in followers.items():
                if (ticket_id, pid) not in existing:
                    to_create.append((ticket_id, pid, sorted(sids)))
                    continue
                fid, old = existing[(ticket_id, pid)]
                if sids - old:
                    Followers.browse(fid).write(
                        {"subtype_ids": [Command.link(sid) for sid in sids - old]}
                    )
        if to_create:
            self._insert_new_followers(to_create)

    @api.model
    def _insert_new_followers(self, rows):
        """Insert the followers [(ticket id, partner id, subtype ids)] of
        tickets, none of whom follows them yet, and their subtypes in one
        statement. A follower is three columns and its subtypes; the ORM's
        create of a few followers per ticket was a tenth of a ticket's
        creation (defaults, the many2many's write, the dependency walk for
        each)."""
        followers = SQL(
            "INSERT INTO %s (res_model, res_id, partner_id) VALUES %s",
            SQL.identifier("mail_followers"),
            SQL(", ").join(
                SQL("(%s, %s, %s)", self._name, ticket_id, pid)
                for ticket_id, pid, _sids in rows
            ),
        )
        subtypes = [
            SQL("(%s, %s, %s)", ticket_id, pid, sid)
            for ticket_id, pid, sids in rows
            for sid in sids
        ]
        if subtypes:
            followers = SQL(
                "WITH new AS (%s RETURNING id, res_id, partner_id) "
                "INSERT INTO %s (mail_followers_id, mail_message_subtype_id) "
                "SELECT new.id, wanted.subtype_id FROM new "
                "JOIN (VALUES %s) AS wanted(res_id, partner_id, subtype_id) "
                "ON wanted.res_id = new.res_id AND wanted.partner_id = new.partner_id "
                "ON CONFLICT DO NOTHING",
                followers,
                SQL.identifier("mail_followers_mail_message_subtype_rel"),
                SQL(", ").join(subtypes),
            )
        self.env.execute_query(followers)
        # what the tickets' followers fields held (nothing: they are new)
        self.browse(
            {ticket_id for ticket_id, _pid, _sids in rows}
        ).invalidate_recordset(
            ["message_follower_ids", "message_partner_ids", "message_is_follower"]
        )

    def _notify_thread(self, message, msg_vals=False, **kwargs):
        # the creation message of a ticket whose team does not announce new
        # tickets notifies nobody (see _notify_get_recipients): nothing to
        # compute
        if self._is_silent_creation(message, msg_vals):
            return []
        return super()._notify_thread(message, msg_vals=msg_vals, **kwargs)

    def _send_acknowledgement(self):
        """Tell the client his request is registered, with its number. Tickets
        of known contacts get it in their conversation; tickets kept with an
        address only get a plain e-mail, so that no contact is created."""
        to_ack = self.filtered(
            lambda t: (
                t.channel in CLIENT_CHANNELS
                and t.team_id.ack_template_id
                and (t.partner_id.email or t.partner_email)
            )
        )
        for ticket in to_ack.filtered("partner_id"):
            # a subtype no follower has: the client only gets it (see
            # _notify_get_recipients), never the agents following the team
            ticket.with_context(helpdesk_no_contact=True).message_post_with_source(
                ticket.team_id.ack_template_id,
                subtype_xmlid="helpdesk_service.mt_ticket_ack",
                message_type="auto_comment",
            )
        for template, tickets in (
            (to_ack - to_ack.filtered("partner_id"))
            .grouped(lambda t: t.team_id.ack_template_id)
            .items()
        ):
            template.send_mail_batch(tickets.ids)

    # who gets the notifications of a ticket's messages, and with what: the
    # client's acknowledgement goes to the client only, the 'Ticket created'
    # notice follows the team's setting, the rating links of an answer go to
    # the ticket's client contacts only
    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        own_only = False
        if len(self) == 1:
            subtype_id = (msg_vals or {}).get("subtype_id") or message.subtype_id.id
            xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
            is_ack = subtype_id == xmlid_to_res_id("helpdesk_service.mt_ticket_ack")
            is_silent_creation = (
                subtype_id == xmlid_to_res_id("helpdesk_service.mt_ticket_new")
                and not self.sudo().team_id.notify_new_tickets
            )
            own_only = is_ack or is_silent_creation
        if own_only:
            # only the message's own recipients, none of the followers: they
            # are looked up alone (mail reads the followers of a message that
            # has no subtype), the followers' subscriptions are not read
            msg_sudo = message.sudo()
            msg_vals = dict(
                msg_vals
                or {
                    "partner_ids": msg_sudo.partner_ids.ids,
                    "message_type": msg_sudo.message_type,
                    "author_id": msg_sudo.author_id.id,
                },
                subtype_id=False,
            )
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if own_only and recipients:
            explicit = set(message.sudo().partner_ids.ids)
            recipients = [data for data in recipients if data["id"] in explicit]
        return recipients

    def _is_silent_creation(self, message, msg_vals=False):
        """Whether `message` is the creation message of a ticket whose team
        does not announce new tickets, addressed to nobody in particular: it
        notifies nobody."""
        if len(self) != 1:
            return False
        msg_vals = msg_vals or {}
        subtype_id = msg_vals.get("subtype_id") or message.subtype_id.id
        if subtype_id != self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_service.mt_ticket_new"
        ):
            return False
        if self.sudo().team_id.notify_new_tickets:
            return False
        if "partner_ids" in msg_vals:
            return not msg_vals["partner_ids"]
        return not message.sudo().partner_ids

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The recipients who belong to the ticket's client get a copy of each
        group (same buttons) with the answer's rating links; everybody else, the
        agents following the ticket first, gets the e-mail without them."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if len(self) != 1 or not self.partner_id or not message:
            return groups
        links = self._helpdesk_rating_links(message)
        if not links:
            return groups
        client_ids = set(self._helpdesk_client_partners(message).ids)

        def is_client(pdata):
            return pdata["id"] in client_ids

        rating_groups = []
        for name, func, data in groups:
            rating_data = dict(data, helpdesk_rating_links=links)
            rating_data.pop("recipients", None)
            rating_groups.append(
                [
                    f"helpdesk_rating_{name}",
                    lambda pdata, func=func: is_client(pdata) and func(pdata),
                    rating_data,
                ]
            )
        return rating_groups + groups

    def _notify_by_email_render_layout(
        self, message, recipients_group, msg_vals=False, render_values=None
    ):
        links = recipients_group.get("helpdesk_rating_links")
        if links:
            render_values = dict(render_values or {})
            render_values["subtitles"] = [*render_values.get("subtitles", []), links]
            render_values["email_notification_force_header"] = True
        return super()._notify_by_email_render_layout(
            message, recipients_group, msg_vals=msg_vals, render_values=render_values
        )

    def _helpdesk_client_partners(self, message):
        """The possible recipients (followers, the message's recipients) who
        belong to the ticket's client: its contact, and the contacts of the
        client company that are no internal users."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        candidates = self.sudo().message_partner_ids | message.sudo().partner_ids
        return self.partner_id | candidates.filtered(
            lambda p: (
                p.commercial_partner_id == client
                and not p.user_ids.filtered(lambda u: not u.share)
            )
        )

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in changes and ticket.stage_id.template_id:
            res["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("helpdesk_service.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _creation_subtype(self):
        # mail.thread's create asks it before posting each creation message:
        # the followers of the new tickets come first, so that it reaches them
        if self.env.context.get("helpdesk_subscribe_later"):
            self._subscribe_pending(fold_notices=True)
        # cached xmlid look-up: env.ref() would check that it exists, a query
        # per created ticket
        return self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("helpdesk_service.mt_ticket_new")
        )

    def _folded_notice(self):
        """(lang, partner ids) of the assignment notice self's creation
        message carries (see _subscribe_on_create), or None."""
        state = self._new_records_current()
        return state["notices"].get(self.id) if state and len(self) == 1 else None

    def _creation_message(self):
        notice = self._folded_notice()
        if not notice:
            return super()._creation_message()
        # in the language of the agent it is addressed to, as the notice was
        lang, _pids = notice
        return self.with_context(lang=lang).env._(
            "Ticket created and assigned to %s", self.sudo().user_id.name
        )

    def message_post(self, **kwargs):
        # the creation message of a ticket assigned as it is created is its
        # agent's assignment notice: addressed to him, even when the team does
        # not announce new tickets
        notice = self._folded_notice()
        if notice and kwargs.get("subtype_id") == self.env[
            "ir.model.data"
        ]._xmlid_to_res_id("helpdesk_service.mt_ticket_new"):
            del self._new_records_state()["notices"][self.id]
            kwargs["partner_ids"] = [*(kwargs.get("partner_ids") or []), *notice[1]]
        return super().message_post(**kwargs)

    def _send_folded_notices_left(self):
        """The assignment notices of tickets of self whose creation message
        was not posted (mail_create_nolog): sent on their own."""
        notices = self._new_records_state()["notices"]
        notify = {}
        for ticket_id in self.ids:
            if ticket_id in notices:
                lang, pids = notices.pop(ticket_id)
                notify.setdefault((ASSIGNED_TEMPLATE, lang, pids), []).append(ticket_id)
        self._send_assignment_notices(notify)
