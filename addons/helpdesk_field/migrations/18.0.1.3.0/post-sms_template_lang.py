from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

TEMPLATES = (
    "helpdesk_field.sms_template_visit_on_way",
    "helpdesk_field.sms_template_visit_arrived",
    "helpdesk_field.sms_template_visit_done",
)
OLD_ARRIVED = (
    "{{ object.company_id.name }}: {{ object.user_id.name }} has arrived"
    "{{ (' at ' + object.site_id.name) if object.site_id else '' }} for ticket "
    "{{ object.ticket_id.ticket_ref }}."
)
NEW_ARRIVED = (
    "{{ object.company_id.name }}: {{ object.user_id.name }} has arrived at "
    "{{ object.site_id.name or object.commercial_partner_id.name }} for ticket "
    "{{ object.ticket_id.ticket_ref }}."
)


def migrate(cr, version):
    """The standard SMS of a visit (noupdate records) go out in the client
    contact's language: set it where the database left it empty. The 'arrived'
    text had words inside an expression, which translations cannot reach: an
    unchanged standard text gets the new one, and its translations are loaded
    again from the .po files right after this script."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in TEMPLATES:
        template = env.ref(xmlid, raise_if_not_found=False)
        if template and not template.lang:
            template.lang = "{{ object.partner_id.lang }}"
    arrived = env.ref(TEMPLATES[1], raise_if_not_found=False)
    if arrived:
        env.flush_all()
        cr.execute(
            SQL(
                """
                UPDATE sms_template
                   SET body = jsonb_build_object('en_US', %s::text)
                 WHERE id = %s AND body->>'en_US' = %s
                """,
                NEW_ARRIVED,
                arrived.id,
                OLD_ARRIVED,
            )
        )
        arrived.invalidate_recordset(["body"])
