import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# the agents' rules of 18.0.1.2.0 and what they become: the teams an agent sees
# are read once per agent (res.users.helpdesk_visible_team_ids) instead of
# joining every ticket to its team's members
OLD_TICKET = """['|', '|', '|',
            ('user_id', '=', user.id),
            ('team_id', '=', False),
            ('team_id.visibility', '=', 'all'),
            ('team_id.member_ids', 'in', [user.id])]"""
NEW_TICKET = """['|', '|',
            ('user_id', '=', user.id),
            ('team_id', '=', False),
            ('team_id', 'in', user.helpdesk_visible_team_ids.ids)]"""


def _on_ticket(domain):
    """The same rule on the ticket of a child record (timeline event, SLA
    target, call): each leaf's field behind `ticket_id.`."""
    return domain.replace("('", "('ticket_id.")


OLD_CHILD = _on_ticket(OLD_TICKET)
NEW_CHILD = _on_ticket(NEW_TICKET)
RULES = {
    "helpdesk_service.helpdesk_ticket_rule_user": (OLD_TICKET, NEW_TICKET),
    "helpdesk_service.helpdesk_ticket_event_rule_user": (OLD_CHILD, NEW_CHILD),
    "helpdesk_service.helpdesk_ticket_sla_rule_user": (OLD_CHILD, NEW_CHILD),
    "helpdesk_service.helpdesk_ticket_call_rule_user": (OLD_CHILD, NEW_CHILD),
}


def _normalize(domain):
    return " ".join((domain or "").split())


def migrate(cr, version):
    """The agents' record rules are noupdate: give them their new shape where
    they are still the shipped ones (same tickets visible); a rule an
    administrator changed is left as it is, with a warning."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (old, new) in RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if not rule:
            continue
        if _normalize(rule.domain_force) == _normalize(old):
            rule.domain_force = new
        elif _normalize(rule.domain_force) != _normalize(new):
            _logger.warning(
                "Record rule %s was changed in this database: left as it is. "
                "Its shipped domain is now %s",
                xmlid,
                _normalize(new),
            )
