import logging

from odoo import SUPERUSER_ID, Command, api

_logger = logging.getLogger(__name__)

# until 18.0.1.3.0 every agent who was not an engineer saw his teams' visits
# through a Python conditional on the agents' rule; now the Field dispatcher
# group carries that rule and the agents' rule alone gives no visit
OLD_USER = """[(0, '=', 1)] if user.has_group('helpdesk_field.group_field_engineer') else ['|', '|', '|',
            ('ticket_id.user_id', '=', user.id),
            ('team_id', '=', False),
            ('team_id.visibility', '=', 'all'),
            ('team_id.member_ids', 'in', [user.id])]"""  # noqa: E501
NEW_USER = "[(0, '=', 1)]"
NEW_USER_NAME = "Helpdesk visit: agents see no visit by this role alone"


def _normalize(domain):
    return " ".join((domain or "").split())


def _make_dispatchers(env):
    """Give the Field dispatcher group to the agents (archived ones too) who
    are not field engineers: they keep seeing their teams' visits. Return
    them."""
    agent = env.ref("helpdesk_service.group_helpdesk_user")
    engineer = env.ref("helpdesk_field.group_field_engineer")
    dispatcher = env.ref("helpdesk_field.group_field_dispatcher")
    users = (
        env["res.users"]
        .with_context(active_test=False)
        .search(
            [
                ("groups_id", "in", agent.ids),
                ("groups_id", "not in", (engineer | dispatcher).ids),
            ]
        )
    )
    users.write({"groups_id": [Command.link(dispatcher.id)]})
    return users


def _update_user_rule(env):
    rule = env.ref("helpdesk_field.helpdesk_visit_rule_user", False)
    if not rule:
        return
    if _normalize(rule.domain_force) == _normalize(OLD_USER):
        rule.write({"domain_force": NEW_USER, "name": NEW_USER_NAME})
    elif _normalize(rule.domain_force) != _normalize(NEW_USER):
        _logger.warning(
            "Record rule helpdesk_field.helpdesk_visit_rule_user was changed in "
            "this database: left as it is. Its shipped domain is now %s",
            NEW_USER,
        )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = _make_dispatchers(env)
    _logger.info("%s agents made field dispatchers", len(users))
    _update_user_rule(env)
