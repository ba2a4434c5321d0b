from odoo import SUPERUSER_ID, api

# the client's e-mails that had no language: they were written in the language
# of whoever triggered them (the agent, the scheduler)
TEMPLATES = (
    "helpdesk_service.mail_template_ticket_ack",
    "helpdesk_service.mail_template_ticket_resolved",
)


def migrate(cr, version):
    """The acknowledgement and the resolution e-mails now go out in the client
    contact's language, like the follow-up and the automatic closing ones. Their
    records are noupdate: set the language where the database left it empty
    (a language an administrator chose stays)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in TEMPLATES:
        template = env.ref(xmlid, raise_if_not_found=False)
        if template and not template.lang:
            template.lang = "{{ object.partner_id.lang }}"
