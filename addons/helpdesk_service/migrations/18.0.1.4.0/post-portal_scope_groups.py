import logging

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

# the portal scope was a stored field read by a Python conditional in the
# portal rule; it is now the "Helpdesk portal: whole company" group, whose own
# rule adds the company's tickets to the plain portal rule's own tickets
OLD_PORTAL = (
    "([('commercial_partner_id', '=', user.commercial_partner_id.id)] "
    "if user.partner_id.helpdesk_portal_scope == 'company' else "
    "['|', ('partner_id', '=', user.partner_id.id), "
    "('message_partner_ids', 'in', [user.partner_id.id])])"
)
NEW_PORTAL = (
    "['|', ('partner_id', '=', user.partner_id.id), "
    "('message_partner_ids', 'in', [user.partner_id.id])]"
)
NEW_PORTAL_NAME = "Helpdesk ticket: portal contacts see their own tickets"


def _normalize(domain):
    return " ".join((domain or "").split())


def _move_company_scope_users(env):
    """Put the portal users of the contacts whose (old, stored) scope was
    'company' in the whole-company group; return those users."""
    Users = env["res.users"].with_context(active_test=False)
    if not column_exists(env.cr, "res_partner", "helpdesk_portal_scope"):
        return Users
    rows = env.execute_query(
        SQL(
            "SELECT u.id FROM res_users u "
            "JOIN res_partner p ON p.id = u.partner_id "
            "WHERE p.helpdesk_portal_scope = 'company' AND u.share"
        )
    )
    group = env.ref("helpdesk_service.group_helpdesk_portal_company")
    users = Users.browse(row[0] for row in rows).filtered(
        lambda user: group not in user.groups_id
    )
    users.write({"groups_id": [Command.link(group.id)]})
    return users


def _update_portal_rule(env):
    """The portal rule is noupdate: give it its plain domain where it is still
    the shipped one; a rule an administrator changed is left, with a warning."""
    rule = env.ref("helpdesk_service.helpdesk_ticket_rule_portal", False)
    if not rule:
        return
    if _normalize(rule.domain_force) == _normalize(OLD_PORTAL):
        rule.write({"domain_force": NEW_PORTAL, "name": NEW_PORTAL_NAME})
    elif _normalize(rule.domain_force) != _normalize(NEW_PORTAL):
        _logger.warning(
            "Record rule helpdesk_service.helpdesk_ticket_rule_portal was "
            "changed in this database: left as it is. Its shipped domain is "
            "now %s",
            NEW_PORTAL,
        )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = _move_company_scope_users(env)
    _logger.info("%s portal users moved to the whole-company group", len(users))
    _update_portal_rule(env)
