"""18.0.1.5.0: the helpdesk's own skills (helpdesk.skill, helpdesk.agent.skill)
become Odoo's hr_skills: skills of one "Helpdesk" skill type, carried by the
agents' employees.

Runs before the module's models load (hr_skills, a new dependency, is loaded
already): every old skill becomes an hr.skill of the Helpdesk type, every
agent's skill an hr.employee.skill on each of the user's employees (no employee
is created: users without one are reported in the log), the ticket types'
required skill and level point to the new records, the old records' external
ids follow them, then the old tables are dropped."""

import json
import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

MODULE = "helpdesk_service"
# the old SKILL_LEVELS keys -> the levels of data/hr_skill_data.xml
LEVELS = {
    "1": ("hr_skill_level_helpdesk_junior", "Junior", 30),
    "2": ("hr_skill_level_helpdesk_confirmed", "Confirmed", 60),
    "3": ("hr_skill_level_helpdesk_expert", "Expert", 100),
}
SKILL_TYPE = "hr_skill_type_helpdesk"


def migrate(cr, version):
    if not version or not sql.table_exists(cr, "helpdesk_skill"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _drop_view_fields(cr, "res.users", "helpdesk_skill_ids")
    migrate_skills(env)


def _drop_view_fields(cr, model, fname):
    """Take a removed field out of the views stored in the database: the
    user form is checked (when the groups load) before our view's new arch is
    written."""
    cr.execute(
        SQL(
            "SELECT id, arch_db FROM ir_ui_view "
            "WHERE model = %s AND arch_db::text LIKE %s",
            model,
            f"%{fname}%",
        )
    )
    for view_id, arch in cr.fetchall():
        for lang, text in arch.items():
            root = etree.fromstring(text)
            for node in root.xpath("//field[@name=$fname]", fname=fname):
                node.getparent().remove(node)
            arch[lang] = etree.tostring(root, encoding="unicode")
        cr.execute(
            SQL(
                "UPDATE ir_ui_view SET arch_db = %s::jsonb WHERE id = %s",
                json.dumps(arch),
                view_id,
            )
        )


def _get_helpdesk_levels(env):
    """The Helpdesk skill type and {old level key: hr.skill.level}, created
    with the external ids of data/hr_skill_data.xml when missing (that file,
    noupdate, loads after this script and keeps them)."""
    IrModelData = env["ir.model.data"]
    skill_type = env.ref(f"{MODULE}.{SKILL_TYPE}", raise_if_not_found=False)
    if not skill_type:
        skill_type = env["hr.skill.type"].create({"name": "Helpdesk"})
        IrModelData._update_xmlids(
            [
                {
                    "xml_id": f"{MODULE}.{SKILL_TYPE}",
                    "record": skill_type,
                    "noupdate": True,
                }
            ]
        )
    levels = {}
    for key, (xmlid, name, progress) in LEVELS.items():
        level = env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
        if not level:
            level = env["hr.skill.level"].create(
                {
                    "name": name,
                    "skill_type_id": skill_type.id,
                    "level_progress": progress,
                    "default_level": key == "1",
                }
            )
            IrModelData._update_xmlids(
                [{"xml_id": f"{MODULE}.{xmlid}", "record": level, "noupdate": True}]
            )
        levels[key] = level
    return skill_type, levels


def _move_xmlids(cr, old_model, new_model, old_ids, new_ids, prefix, new_prefix):
    """Point the external ids of the old records to the new ones; our own
    demo ids take the new models' names (helpdesk_skill_x -> hr_skill_x)."""
    cr.execute(
        SQL(
            """
            UPDATE ir_model_data d
               SET model = %(new_model)s,
                   res_id = m.new_id,
                   name = CASE
                       WHEN d.module IN ('helpdesk_service', 'helpdesk_field')
                        AND starts_with(d.name, %(prefix)s)
                        AND NOT EXISTS (
                            SELECT 1 FROM ir_model_data x
                             WHERE x.module = d.module
                               AND x.name = %(new_prefix)s
                                   || substr(d.name, length(%(prefix)s) + 1)
                        )
                       THEN %(new_prefix)s || substr(d.name, length(%(prefix)s) + 1)
                       ELSE d.name
                   END
              FROM unnest(%(old_ids)s::int[], %(new_ids)s::int[]) AS m(old_id, new_id)
             WHERE d.model = %(old_model)s AND d.res_id = m.old_id
            """,
            old_model=old_model,
            new_model=new_model,
            old_ids=old_ids,
            new_ids=new_ids,
            prefix=prefix,
            new_prefix=new_prefix,
        )
    )
    # the ids of records that found no new home (agents without employee)
    cr.execute(SQL("DELETE FROM ir_model_data WHERE model = %s", old_model))


def migrate_skills(env):
    """Move the 18.0.1.4.0 skills to hr_skills (see the module docstring).
    Returns {old helpdesk.skill id: hr.skill}."""
    cr = env.cr
    skill_type, levels = _get_helpdesk_levels(env)

    # skills, with their names in every language
    cr.execute(SQL("SELECT id, name FROM helpdesk_skill ORDER BY id"))
    old_skills = cr.fetchall()
    skills = env["hr.skill"].create(
        [
            {
                "name": name.get("en_US") or next(iter(name.values()), ""),
                "skill_type_id": skill_type.id,
            }
            for __, name in old_skills
        ]
    )
    env.flush_all()
    skill_map = dict(zip([old_id for old_id, __ in old_skills], skills, strict=True))
    old_ids = list(skill_map)
    new_ids = [skill.id for skill in skill_map.values()]
    cr.execute(
        SQL(
            """
            UPDATE hr_skill new
               SET name = old.name
              FROM helpdesk_skill old,
                   unnest(%s::int[], %s::int[]) AS m(old_id, new_id)
             WHERE old.id = m.old_id AND new.id = m.new_id
            """,
            old_ids,
            new_ids,
        )
    )
    skills.invalidate_recordset(["name"])
    _move_xmlids(
        cr,
        "helpdesk.skill",
        "hr.skill",
        old_ids,
        new_ids,
        "helpdesk_skill_",
        "hr_skill_",
    )

    # the agents' skills, on each of their employees
    cr.execute(
        SQL(
            "SELECT id, user_id, skill_id, level FROM helpdesk_agent_skill "
            "ORDER BY user_id, id"
        )
    )
    agent_skills = cr.fetchall()
    employees = (
        env["hr.employee"]
        .with_context(active_test=False)
        .search([("user_id", "in", list({row[1] for row in agent_skills}))])
    )
    by_user = {}
    for employee in employees:
        by_user.setdefault(employee.user_id.id, []).append(employee)
    vals_list, origins, missing = [], [], {}
    for agent_skill_id, user_id, skill_id, level in agent_skills:
        skill = skill_map[skill_id]
        if user_id not in by_user:
            missing.setdefault(user_id, []).append(skill)
            continue
        for employee in by_user[user_id]:
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "skill_type_id": skill_type.id,
                    "skill_id": skill.id,
                    "skill_level_id": levels.get(level, levels["1"]).id,
                }
            )
            origins.append(agent_skill_id)
    employee_skills = env["hr.employee.skill"].create(vals_list)
    env.flush_all()
    first = {}
    for origin, employee_skill in zip(origins, employee_skills, strict=True):
        first.setdefault(origin, employee_skill.id)
    _move_xmlids(
        cr,
        "helpdesk.agent.skill",
        "hr.employee.skill",
        list(first),
        list(first.values()),
        "helpdesk_agent_skill_",
        "hr_employee_skill_",
    )
    for user in env["res.users"].browse(list(missing)).with_context(active_test=False):
        _logger.warning(
            "User %s (id %s) has no employee: the helpdesk skills %s were not "
            "moved to hr_skills; give the user an employee and set them on its "
            "Resume tab.",
            user.login,
            user.id,
            ", ".join(skill.name for skill in missing[user.id]),
        )

    # the ticket types' required skill and minimum level
    cr.execute(
        SQL(
            """
            SELECT conname FROM pg_constraint
             WHERE contype = 'f'
               AND conrelid = 'helpdesk_ticket_type'::regclass
               AND confrelid = 'helpdesk_skill'::regclass
            """
        )
    )
    for (constraint,) in cr.fetchall():
        sql.drop_constraint(cr, "helpdesk_ticket_type", constraint)
    cr.execute(
        SQL(
            "ALTER TABLE helpdesk_ticket_type "
            "ADD COLUMN IF NOT EXISTS skill_level_id int4"
        )
    )
    old_level = (
        SQL.identifier("t", "skill_level")
        if sql.column_exists(cr, "helpdesk_ticket_type", "skill_level")
        else SQL("NULL")
    )
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket_type t
               SET skill_id = m.new_id,
                   skill_level_id = CASE %(old_level)s
                       WHEN '2' THEN %(confirmed)s
                       WHEN '3' THEN %(expert)s
                       ELSE %(junior)s
                   END
              FROM unnest(%(old_ids)s::int[], %(new_ids)s::int[]) AS m(old_id, new_id)
             WHERE t.skill_id = m.old_id
            """,
            old_level=old_level,
            junior=levels["1"].id,
            confirmed=levels["2"].id,
            expert=levels["3"].id,
            old_ids=old_ids,
            new_ids=new_ids,
        )
    )
    _logger.info(
        "Helpdesk skills moved to hr_skills: %s skills, %s employee skills",
        len(skills),
        len(employee_skills),
    )
    cr.execute(SQL("DROP TABLE helpdesk_agent_skill, helpdesk_skill CASCADE"))
    return skill_map
