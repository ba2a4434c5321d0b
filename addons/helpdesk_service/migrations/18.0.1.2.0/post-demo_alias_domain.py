from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Demo databases get the demo's mail domain (demo/mail_alias_domain_demo.xml),
    which Odoo loads only at installation: without it, a mail to a team's address
    finds no route. A database that has demo data and no alias domain at all."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    module = env["ir.module.module"].search([("name", "=", "helpdesk_service")])
    if not module.demo or env["mail.alias.domain"].search_count([]):
        return
    # the first alias domain becomes the companies' and the aliases' domain
    domain = env["mail.alias.domain"].create({"name": "helpdesk.example.com"})
    env["ir.model.data"]._update_xmlids(
        [
            {
                "xml_id": "helpdesk_service.mail_alias_domain_demo",
                "record": domain,
                "noupdate": True,
            }
        ]
    )
