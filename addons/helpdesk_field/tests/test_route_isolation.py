"""Every route of our three addons, and the portal, mail, file, report and
JSON-RPC routes that serve the records of our models, called as every role
with the ids (and mismatched access tokens) of records that role must not
read: the answer never carries those records' data and is never a server
error. A route our addons add fails ``test_every_route_is_classified`` until
it is described in ``ROUTES`` below."""

import json
import re
from contextlib import nullcontext
from uuid import uuid4

from odoo import Command, fields, http
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import PHOTO_PNG, SIGNATURE_PNG

OUR_MODULES = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")

ROLES = (
    "public",
    "portal_company",
    "portal_own",
    "agent_team",
    "dispatcher",
    "engineer",
    "manager",
    "accountant",
)
AGENTS = {"agent_team", "dispatcher", "engineer", "manager"}
INTERNAL = AGENTS | {"accountant"}
PORTAL_A = {"portal_company", "portal_own"}
# the roles that reach records through access tokens (share links); the
# other roles take the same code path, so they are called without tokens
TOKEN_ROLES = PORTAL_A | {"public"}

# Each route of our addons: method, which record each URL argument takes
# (a model, or "page"), the query or form parameters (a value "model:<m>"
# takes the id of the same foreign record, "token" a mismatched token) and
# whether the route takes an access token.
ROUTES = {
    # helpdesk_service: customer portal
    "/my/equipment": {"method": "GET", "params": {"site_id": "model:helpdesk.site"}},
    "/my/equipment/page/<int:page>": {"method": "GET", "args": {"page": "page"}},
    "/my/equipment/<int:item_id>": {
        "method": "GET",
        "args": {"item_id": "helpdesk.equipment"},
    },
    "/my/tickets": {
        "method": "GET",
        "params": {"filterby": "all", "site_id": "model:helpdesk.site"},
    },
    "/my/tickets/page/<int:page>": {
        "method": "GET",
        "args": {"page": "page"},
        "params": {"filterby": "all", "equipment_id": "model:helpdesk.equipment"},
    },
    "/my/tickets/<int:ticket_id>": {
        "method": "GET",
        "args": {"ticket_id": "helpdesk.ticket"},
        "token": True,
    },
    "/my/tickets/<int:ticket_id>/close": {
        "method": "POST",
        "args": {"ticket_id": "helpdesk.ticket"},
        "token": True,
    },
    "/my/tickets/<int:ticket_id>/reopen": {
        "method": "POST",
        "args": {"ticket_id": "helpdesk.ticket"},
        "token": True,
        "params": {"reason": "Reopened by the isolation test"},
    },
    "/my/tickets/new": {"method": "GET"},
    "/my/tickets/submit": {
        "method": "POST",
        "params": {
            "name": "ZQ-SUBMITTED",
            "site_id": "model:helpdesk.site",
            "equipment_id": "model:helpdesk.equipment",
        },
    },
    # helpdesk_service: knowledge base
    "/helpdesk/kb": {"method": "GET", "params": {"search": "kbsecret"}},
    "/helpdesk/kb/page/<int:page>": {
        "method": "GET",
        "args": {"page": "page"},
        "params": {"search": "kbsecret"},
    },
    "/helpdesk/kb/category/<int:category_id>": {
        "method": "GET",
        "args": {"category_id": "helpdesk.article.category"},
    },
    "/helpdesk/kb/article/<int:article_id>": {
        "method": "GET",
        "args": {"article_id": "helpdesk.article"},
    },
    "/helpdesk/kb/article/<int:article_id>/vote": {
        "method": "POST",
        "args": {"article_id": "helpdesk.article"},
        "params": {"helpful": "yes"},
    },
    "/helpdesk/kb/suggest": {"method": "JSON", "params": {"query": "kbsecret"}},
    # helpdesk_field: engineers' workspace and visit report
    "/field": {"method": "GET"},
    "/field/visit/<int:visit_id>": {
        "method": "GET",
        "args": {"visit_id": "helpdesk.visit"},
    },
    "/field/visit/<int:visit_id>/on_my_way": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
        "params": {"eta_minutes": "15"},
    },
    "/field/visit/<int:visit_id>/arrived": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
    },
    "/field/visit/<int:visit_id>/work": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
        "params": {"product_id": "model:product.product", "quantity": "1"},
    },
    "/field/visit/<int:visit_id>/work/<int:work_id>/remove": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit", "work_id": "helpdesk.ticket.work"},
    },
    "/field/visit/<int:visit_id>/photos": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
        "params": {"note": "ZQ-NOTE-BY-TEST"},
    },
    "/field/visit/<int:visit_id>/sign": {
        "method": "JSON",
        "args": {"visit_id": "helpdesk.visit"},
        "params": {"name": "ZQ-SIGNER", "signature": SIGNATURE_PNG},
    },
    "/field/visit/<int:visit_id>/depart": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
    },
    "/field/visit/<int:visit_id>/resume": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
    },
    "/field/visit/<int:visit_id>/confirm": {
        "method": "POST",
        "args": {"visit_id": "helpdesk.visit"},
        "params": {"labour_minutes": "30"},
    },
    "/my/visits/<int:visit_id>/report": {
        "method": "GET",
        "args": {"visit_id": "helpdesk.visit"},
        "token": True,
    },
    # helpdesk_service: Odoo's rating page, refused to other clients' users
    # (a rating token is the client's link: an unknown one is a 404)
    # helpdesk_service: the URL of an equipment's QR label (a random token
    # here: the own and foreign labels are tested in TestEquipmentLabelRoute)
    "/eq/<string:token>": {"method": "GET", "args": {"token": "token"}},
    # helpdesk_service: phone system and monitoring webhooks, public but
    # authenticated by the source's secret (a signature of the body): an
    # unsigned call is a 403 (TestWebhook covers the signed ones)
    "/helpdesk/webhook/<int:source_id>": {
        "method": "POST",
        "args": {"source_id": "helpdesk.webhook.source"},
    },
    # helpdesk_billing: a contract's monthly statement of work (page, and its
    # PDF with report_type=pdf: TestContractStatementPortal)
    "/my/contracts/<int:contract_id>/statement/<string:month>": {
        "method": "GET",
        "args": {"contract_id": "contract.contract", "month": "month"},
        "token": True,
    },
    "/rate/<string:token>/submit_feedback": {
        "method": "POST",
        "args": {"token": "token"},
        "params": {"rate": "5", "feedback": "ZQ-FEEDBACK"},
    },
}

# Routes of Odoo and OCA that serve the records of the models we add or
# extend: the rule (checked to exist), then the calls made from it.
OTHER_ROUTES = {
    "/my": {"method": "GET"},
    "/my/home": {"method": "GET"},
    "/my/counters": {
        "method": "JSON",
        "params": {
            "counters": [
                "ticket_count",
                "equipment_count",
                "contract_count",
                "invoice_count",
            ]
        },
    },
    "/my/contracts": {"method": "GET"},
    "/my/contracts/page/<int:page>": {"method": "GET", "args": {"page": "page"}},
    "/my/contracts/<int:contract_contract_id>": {
        "method": "GET",
        "args": {"contract_contract_id": "contract.contract"},
        "token": True,
    },
    "/my/invoices": {"method": "GET", "params": {"filterby": "all"}},
    "/my/invoices/page/<int:page>": {"method": "GET", "args": {"page": "page"}},
    "/my/invoices/<int:invoice_id>": {
        "method": "GET",
        "args": {"invoice_id": "account.move"},
        "token": True,
        "params": {"report_type": "html"},
    },
    "/mail/view": {
        "method": "GET",
        "thread": True,
        "params": {"model": "thread_model", "res_id": "thread_id"},
    },
    "/mail/message/<int:message_id>": {
        "method": "GET",
        "args": {"message_id": "mail.message"},
    },
    "/mail/thread/data": {
        "method": "JSON",
        "thread": True,
        "params": {
            "request_list": ["followers", "attachments", "suggestedRecipients"],
        },
    },
    "/mail/thread/messages": {"method": "JSON", "thread": True},
    "/mail/chatter_fetch": {"method": "JSON", "thread": True, "token": True},
    "/portal/chatter_init": {"method": "JSON", "thread": True, "token": True},
    "/mail/message/post": {
        "method": "JSON",
        "thread": True,
        "params": {
            "post_data": {
                "body": "ZQ-POSTED-BY-TEST",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            }
        },
    },
    "/mail/attachment/upload": {"method": "UPLOAD", "thread": True},
    "/web/content/<int:id>": {
        "method": "GET",
        "args": {"id": "ir.attachment"},
        "token": True,
    },
    "/web/image/<int:id>": {"method": "GET", "args": {"id": "ir.attachment"}},
    "/web/content/<string:model>/<int:id>/<string:field>": {
        "method": "GET",
        "binary": True,
    },
    "/web/image/<string:model>/<int:id>/<string:field>": {
        "method": "GET",
        "binary": True,
    },
    "/report/<converter>/<reportname>/<docids>": {"method": "GET", "report": True},
    "/rate/<string:token>/<int:rate>": {"method": "GET", "rating": True},
}

# Reports printing the records of our models, with the model they print.
REPORTS = {
    "helpdesk_field.report_helpdesk_visit": "helpdesk.visit",
    "helpdesk_service.report_equipment_label_a4_3x8": "helpdesk.equipment",
    "account.report_invoice": "account.move",
    "contract.report_contract_template": "contract.contract",
    "helpdesk_billing.report_contract_statement": "contract.contract",
    "helpdesk_billing.report_invoice_statement": "account.move",
}
# Binary fields of our models, served by /web/content and /web/image.
BINARY_FIELDS = {"helpdesk.visit": ["signature"]}
JSON_ERRORS_ALLOWED = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.http.SessionExpiredException",
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
    "werkzeug.exceptions.BadRequest",
}
MAX_TARGETS = 2
# URL arguments that are not record ids, and the value they take
# (the month of a statement: the contracts start today)
FREE_ARGS = {
    "page": 1,
    "token": uuid4().hex,
    "month": fields.Date.today().strftime("%Y-%m"),
}
MISSING_ID = 2_000_000_000


@tagged("post_install", "-at_install", "helpdesk_field", "helpdesk_isolation")
class TestRouteIsolation(AccountTestInvoicingHttpCommon):
    """Two clients A and B, each with tickets, a site, equipment, a contract,
    an invoice, an announcement, attachments and a visit, a ticket of another
    company, and knowledge base articles of every visibility. The roles: a
    visitor, A's contacts with the company scope and with their own tickets
    only, an agent and a dispatcher of A's members-only team, a field
    engineer of that team, a helpdesk administrator and an accountant. Each
    record lists the roles that may read it and the strings that betray it."""

    @classmethod
    def get_default_groups(cls):
        groups = super().get_default_groups()
        return groups | cls.env.ref("helpdesk_service.group_helpdesk_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls._records = []  # (record, markers, readers)
        cls._setup_users()
        cls._setup_clients()
        cls._setup_tickets()
        cls._setup_field()
        cls._setup_billing()
        cls._setup_knowledge()

    # ------------------------------------------------------------ fixtures
    @classmethod
    def _register(cls, record, markers, readers):
        cls._records.append((record, tuple(markers), frozenset(readers)))
        return record

    @classmethod
    def _setup_users(cls):
        env = cls.env
        company = env.company
        internal = "base.group_user,"

        def user(login, groups, **vals):
            return new_test_user(
                env,
                login=f"hi_{login}",
                name=f"Isolation {login}",
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                tz="UTC",
                **vals,
            )

        cls.users = {
            "portal_company": user("portal_company", "base.group_portal"),
            "portal_own": user("portal_own", "base.group_portal"),
            "agent_team": user(
                "agent_team", internal + "helpdesk_field.group_field_dispatcher"
            ),
            "dispatcher": user(
                "dispatcher", internal + "helpdesk_field.group_field_dispatcher"
            ),
            "engineer": user(
                "engineer", internal + "helpdesk_field.group_field_engineer"
            ),
            "manager": user(
                "manager", internal + "helpdesk_service.group_helpdesk_manager"
            ),
            "accountant": user(
                "accountant", internal + "account.group_account_invoice"
            ),
        }
        cls.portal_b = user("portal_b", "base.group_portal")
        cls.engineer_b = user(
            "engineer_b", internal + "helpdesk_field.group_field_engineer"
        )
        stages = env["helpdesk.stage"].search([])
        cls.team_a = env["helpdesk.team"].create(
            {
                "name": "Isolation team A",
                "visibility": "members",
                "stage_ids": [Command.set(stages.ids)],
                "member_ids": [
                    Command.set(
                        [
                            cls.users[r].id
                            for r in ("agent_team", "dispatcher", "engineer")
                        ]
                    )
                ],
            }
        )
        cls.team_b = env["helpdesk.team"].create(
            {
                "name": "Isolation team B",
                "visibility": "members",
                "stage_ids": [Command.set(stages.ids)],
                "member_ids": [Command.set(cls.engineer_b.ids)],
            }
        )

    @classmethod
    def _setup_clients(cls):
        env = cls.env
        Partner = env["res.partner"]
        cls.client_a = Partner.create({"name": "Alder ZQ-A-CLIENT", "is_company": True})
        cls.client_b = Partner.create({"name": "Birch ZQ-B-CLIENT", "is_company": True})
        cls._register(cls.client_b, ["ZQ-B-CLIENT"], INTERNAL)
        cls.colleague_a = Partner.create(
            {"name": "Colleague ZQ-A-COLLEAGUE", "parent_id": cls.client_a.id}
        )
        cls.users["portal_company"].partner_id.write(
            {"parent_id": cls.client_a.id, "helpdesk_portal_scope": "company"}
        )
        cls.users["portal_own"].partner_id.write(
            {"parent_id": cls.client_a.id, "helpdesk_portal_scope": "own"}
        )
        cls.portal_b.partner_id.write(
            {"parent_id": cls.client_b.id, "helpdesk_portal_scope": "company"}
        )
        Site = env["helpdesk.site"]
        Equipment = env["helpdesk.equipment"]
        cls.site_a = Site.create(
            {"name": "Site ZQ-A-SITE", "partner_id": cls.client_a.id}
        )
        cls.site_b = Site.create(
            {"name": "Site ZQ-B-SITE", "partner_id": cls.client_b.id}
        )
        cls.equipment_a = Equipment.create(
            {
                "name": "Printer ZQ-A-EQUIPMENT",
                "partner_id": cls.client_a.id,
                "site_id": cls.site_a.id,
                "serial_number": "ZQ-A-SERIAL",
            }
        )
        cls.equipment_b = Equipment.create(
            {
                "name": "Printer ZQ-B-EQUIPMENT",
                "partner_id": cls.client_b.id,
                "site_id": cls.site_b.id,
                "serial_number": "ZQ-B-SERIAL",
            }
        )
        readers_a = PORTAL_A | AGENTS
        cls._register(cls.site_a, ["ZQ-A-SITE"], readers_a)
        cls._register(cls.equipment_a, ["ZQ-A-EQUIPMENT", "ZQ-A-SERIAL"], readers_a)
        cls._register(cls.site_b, ["ZQ-B-SITE"], AGENTS)
        cls._register(cls.equipment_b, ["ZQ-B-EQUIPMENT", "ZQ-B-SERIAL"], AGENTS)
        source = env["helpdesk.webhook.source"].create({"name": "Hook ZQ-HOOK"})
        cls._register(source, ["ZQ-HOOK"], {"manager"})

    @classmethod
    def _ticket(cls, key, partner, team, readers, **vals):
        ticket = (
            cls.env["helpdesk.ticket"]
            .sudo()
            .with_company(vals.get("company_id") or cls.env.company)
            .create(
                {
                    "name": f"Ticket ZQ-{key}-TICKET",
                    "description": f"<p>Details ZQ-{key}-DESCRIPTION</p>",
                    "partner_id": partner.id,
                    "team_id": team.id,
                    **vals,
                }
            )
        )
        message = ticket.message_post(
            body=f"Reply ZQ-{key}-MESSAGE",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        attachment = cls.env["ir.attachment"].create(
            {
                "name": f"ZQ-{key}-FILE.txt",
                "raw": f"content ZQ-{key}-ATTACHMENT".encode(),
                "res_model": ticket._name,
                "res_id": ticket.id,
            }
        )
        attachment.generate_access_token()
        markers = [
            f"ZQ-{key}-DESCRIPTION",
            f"ZQ-{key}-MESSAGE",
            f"ZQ-{key}-ATTACHMENT",
            f"ZQ-{key}-FILE",
        ]
        cls._register(ticket, markers, readers)
        # the reference and subject also name the ticket on the timesheets,
        # work lines, invoices and profitability the accountants read
        cls._register(
            ticket, [f"ZQ-{key}-TICKET", ticket.ticket_ref], readers | {"accountant"}
        )
        cls._register(message, [f"ZQ-{key}-MESSAGE"], readers)
        cls._register(attachment, [f"ZQ-{key}-ATTACHMENT"], readers)
        return ticket

    @classmethod
    def _setup_tickets(cls):
        ticket_agents = {"agent_team", "dispatcher", "engineer", "manager"}
        cls.ticket_own = cls._ticket(
            "A-OWN",
            cls.users["portal_own"].partner_id,
            cls.team_a,
            PORTAL_A | ticket_agents,
            site_id=cls.site_a.id,
            equipment_ids=[Command.link(cls.equipment_a.id)],
        )
        cls.ticket_boss = cls._ticket(
            "A-BOSS",
            cls.colleague_a,
            cls.team_a,
            {"portal_company"} | ticket_agents,
        )
        cls.ticket_b = cls._ticket(
            "B",
            cls.portal_b.partner_id,
            cls.team_b,
            {"manager"},
            site_id=cls.site_b.id,
            equipment_ids=[Command.link(cls.equipment_b.id)],
        )
        # a ticket of another company of the database: nobody here may read
        # it, the helpdesk administrator included (multi-company rules)
        company_2 = cls.env["res.company"].sudo().create({"name": "Isolation Co 2"})
        team_2 = (
            cls.env["helpdesk.team"]
            .sudo()
            .with_company(company_2)
            .create(
                {
                    "name": "Isolation team 2",
                    "company_id": company_2.id,
                    "resource_calendar_id": company_2.resource_calendar_id.id,
                }
            )
        )
        cls.ticket_company_2 = cls._ticket(
            "C2",
            cls.portal_b.partner_id,
            team_2,
            set(),
            company_id=company_2.id,
        )
        # resolved, so that "confirm it is solved" and "reopen" would act
        resolved = cls.env["helpdesk.stage"].search(
            [("kind", "=", "resolved")], limit=1
        )
        if resolved:
            cls.ticket_b.stage_id = resolved
        employee_b = cls.env["hr.employee"].create(
            {"name": cls.engineer_b.name, "user_id": cls.engineer_b.id}
        )
        cls.timesheet_b = cls.env["account.analytic.line"].create(
            {
                "employee_id": employee_b.id,
                "name": "Work ZQ-B-TIMESHEET",
                "helpdesk_ticket_id": cls.ticket_b.id,
                "user_id": cls.engineer_b.id,
                "unit_amount": 1.0,
            }
        )
        cls._register(cls.timesheet_b, ["ZQ-B-TIMESHEET"], {"manager", "accountant"})

    @classmethod
    def _setup_field(cls):
        env = cls.env
        Visit = env["helpdesk.visit"]
        start = fields.Datetime.now().replace(hour=9, minute=0, second=0)
        cls.visit_a = Visit.create(
            {
                "ticket_id": cls.ticket_own.id,
                "user_id": cls.users["engineer"].id,
                "date_planned": start,
                "instructions": "<p>Key ZQ-A-VISIT-INSTRUCTIONS</p>",
                "note": "ZQ-A-VISIT-NOTE",
            }
        )
        cls.visit_b = Visit.create(
            {
                "ticket_id": cls.ticket_b.id,
                "user_id": cls.engineer_b.id,
                "date_planned": start,
                "instructions": "<p>Key ZQ-B-VISIT-INSTRUCTIONS</p>",
                "note": "ZQ-B-VISIT-NOTE",
            }
        )
        cls.visit_b.write({"state": "on_site", "date_arrived": start})
        cls.visit_b.signature = SIGNATURE_PNG
        cls._register(
            cls.visit_a,
            ["ZQ-A-VISIT-INSTRUCTIONS", "ZQ-A-VISIT-NOTE"],
            {"agent_team", "dispatcher", "engineer", "manager"},
        )
        cls._register(
            cls.visit_b, ["ZQ-B-VISIT-INSTRUCTIONS", "ZQ-B-VISIT-NOTE"], {"manager"}
        )
        cls.work_product = env["product.product"].create(
            {
                "name": "Isolation work",
                "type": "service",
                "list_price": 10.0,
                "is_helpdesk_work": True,
            }
        )
        cls._register(cls.work_product, [], INTERNAL | PORTAL_A)
        cls.work_b = env["helpdesk.ticket.work"].create(
            {
                "ticket_id": cls.ticket_b.id,
                "product_id": cls.work_product.id,
                "name": "Work ZQ-B-WORK",
            }
        )
        cls._register(cls.work_b, ["ZQ-B-WORK"], {"manager", "accountant"})

    @classmethod
    def _setup_billing(cls):
        env = cls.env
        Contract = env["contract.contract"]
        cls.contracts = {}
        for key, client, price, readers in (
            ("A", cls.client_a, 7111.37, {"portal_company"} | INTERNAL),
            ("B", cls.client_b, 7222.47, INTERNAL),
        ):
            contract = Contract.create(
                {
                    "name": f"Contract ZQ-{key}-CONTRACT",
                    "partner_id": client.id,
                    "contract_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "name": f"Fee ZQ-{key}-CONTRACT-LINE",
                                "quantity": 1,
                                "price_unit": price,
                            }
                        )
                    ],
                }
            )
            contract._portal_ensure_token()
            cls.contracts[key] = contract
            cls._register(
                contract,
                [f"ZQ-{key}-CONTRACT", f"{price:,.2f}", f"{price:.2f}"],
                readers,
            )
        cls.invoices = {}
        for key, client, price in (
            ("A", cls.client_a, 8111.29),
            ("B", cls.client_b, 8222.39),
        ):
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": client.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Line ZQ-{key}-INVOICE",
                                "quantity": 1,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            invoice.action_post()
            invoice._portal_ensure_token()
            cls.invoices[key] = invoice
            cls._register(
                invoice,
                [f"ZQ-{key}-INVOICE", f"{price:,.2f}", f"{price:.2f}"],
                (PORTAL_A | INTERNAL) if key == "A" else INTERNAL,
            )
        Announcement = env["helpdesk.announcement"]
        for key, client, readers in (
            ("A", cls.client_a, PORTAL_A | AGENTS),
            ("B", cls.client_b, AGENTS),
        ):
            announcement = Announcement.create(
                {
                    "name": f"Maintenance ZQ-{key}-ANNOUNCEMENT",
                    "body": f"<p>Body ZQ-{key}-ANNOUNCEMENT-BODY</p>",
                    "audience": "targeted",
                    "partner_ids": [Command.link(client.id)],
                }
            )
            announcement.state = "published"
            cls._register(
                announcement,
                [f"ZQ-{key}-ANNOUNCEMENT", f"ZQ-{key}-ANNOUNCEMENT-BODY"],
                readers,
            )

    @classmethod
    def _setup_knowledge(cls):
        env = cls.env
        Category = env["helpdesk.article.category"]
        Article = env["helpdesk.article"]
        cls.category_open = Category.create({"name": "Isolation FAQ"})
        cls.category_secret = Category.create({"name": "Category ZQ-KB-CATEGORY"})
        # the accountant has no rights on the knowledge base at all
        readers = {
            "public": {"public"} | PORTAL_A | AGENTS,
            "portal": PORTAL_A | AGENTS,
            "internal": AGENTS,
        }
        cls.articles = {}
        for visibility, state in (
            ("public", "published"),
            ("portal", "published"),
            ("internal", "published"),
            ("portal", "draft"),
        ):
            key = f"{visibility}-{state}".upper()
            secret = visibility == "internal" or state == "draft"
            article = Article.create(
                {
                    "name": f"Article ZQ-KB-{key}",
                    "summary": f"kbsecret ZQ-KB-{key}-SUMMARY",
                    "body": f"<p>kbsecret ZQ-KB-{key}-BODY</p>",
                    "visibility": visibility,
                    "category_id": (
                        cls.category_secret if secret else cls.category_open
                    ).id,
                }
            )
            if state == "published":
                article.action_publish()
            attachment = env["ir.attachment"].create(
                {
                    "name": f"ZQ-KB-{key}-FILE.txt",
                    "raw": f"content ZQ-KB-{key}-ATTACHMENT".encode(),
                    "res_model": article._name,
                    "res_id": article.id,
                }
            )
            article_readers = readers[visibility] if state == "published" else AGENTS
            cls.articles[key] = article
            cls._register(
                article,
                [f"ZQ-KB-{key}", f"ZQ-KB-{key}-SUMMARY", f"ZQ-KB-{key}-BODY"],
                article_readers,
            )
            cls._register(attachment, [f"ZQ-KB-{key}-ATTACHMENT"], article_readers)
        cls._register(cls.category_secret, ["ZQ-KB-CATEGORY"], AGENTS)

    # ------------------------------------------------------------ helpers
    def _foreign(self, role, model=None):
        """The records ``role`` must not read (of ``model``)."""
        return [
            (record, markers)
            for record, markers, readers in self._records
            if role not in readers and (model is None or record._name == model)
        ]

    def _own(self, role, model):
        return [
            record
            for record, _markers, readers in self._records
            if role in readers and record._name == model
        ]

    def _leaks(self, role, text):
        leaks = []
        for record, markers in self._foreign(role):
            for marker in markers:
                if not marker:
                    continue
                pattern = rf"(?<![\w-]){re.escape(marker)}(?![\w])"
                if re.search(pattern, text):
                    leaks.append(f"{marker} ({record._name} {record.id})")
        return leaks

    def _statement_url(self, contract):
        return f"/my/contracts/{contract.id}/statement/{FREE_ARGS['month']}"

    def _mismatched_token(self, record):
        """A valid token of another record of the same model, else a random
        one: never the token of ``record`` itself (a token is a sharing
        link, reading the record with it is the point)."""
        if "access_token" not in record._fields:
            return str(uuid4())
        others = [
            r
            for r, _m, _readers in self._records
            if r._name == record._name and r != record and r.sudo().access_token
        ]
        return others[0].sudo().access_token if others else str(uuid4())

    def _targets(self, role, model):
        targets = []
        for record, _markers in self._foreign(role, model):
            if record not in targets:
                targets.append(record)
        return targets[:MAX_TARGETS]

    def _expand(self, role, pattern, spec):
        """[(url, params)] for ``role``: every id argument and "model:"
        parameter set to records the role must not read."""
        args = spec.get("args", {})
        id_args = {
            name: model for name, model in args.items() if model not in FREE_ARGS
        }
        params_spec = spec.get("params", {})
        param_models = {
            key: value[6:]
            for key, value in params_spec.items()
            if isinstance(value, str) and value.startswith("model:")
        }
        if id_args:
            # the first id argument walks the targets; the others take the
            # first target of their model or, failing that, an own record
            first, first_model = next(iter(id_args.items()))
            combos = []
            for target in self._targets(role, first_model):
                combo = {first: target}
                for name, model in list(id_args.items())[1:]:
                    others = self._targets(role, model) or self._own(role, model)
                    if not others:
                        break
                    combo[name] = others[0]
                else:
                    combos.append(combo)
            # an own record with a foreign one below it (a visit of the
            # engineer, the work line of another ticket)
            own = self._own(role, first_model)
            rest = [
                (name, self._targets(role, model))
                for name, model in list(id_args.items())[1:]
            ]
            if own and rest and all(targets for _name, targets in rest):
                combos.append(
                    {first: own[0], **{name: targets[0] for name, targets in rest}}
                )
            if not combos:
                # nothing the role may not read: an id that does not exist
                combos = [
                    {
                        name: self.env[model].browse(MISSING_ID)
                        for name, model in id_args.items()
                    }
                ]
        else:
            combos = [{}]
        calls = []
        for combo in combos:
            url = pattern
            for name in args:
                value = combo[name].id if name in combo else FREE_ARGS[args[name]]
                url = re.sub(rf"<(?:[^:>]+:)?{name}>", str(value), url)
            params = {}
            for key, value in params_spec.items():
                if key in param_models:
                    foreign = self._targets(role, param_models[key])
                    value = str(foreign[0].id if foreign else MISSING_ID)
                params[key] = value
            calls.append((url, params))
            if spec.get("token") and combo and role in TOKEN_ROLES:
                target = next(iter(combo.values()))
                calls.append(
                    (url, dict(params, access_token=self._mismatched_token(target)))
                )
        return calls

    def _call(self, method, url, params):
        if method == "GET":
            query = "&".join(f"{k}={v}" for k, v in params.items())
            return self.url_open(
                f"{url}?{query}" if query else url, allow_redirects=False
            )
        if method == "POST":
            data = dict(params, csrf_token=http.Request.csrf_token(self))
            return self.url_open(url, data=data, allow_redirects=False)
        if method == "UPLOAD":
            data = dict(params, csrf_token=http.Request.csrf_token(self))
            return self.url_open(
                url,
                data=data,
                files={"ufile": ("zq.txt", b"ZQ-UPLOADED")},
                allow_redirects=False,
            )
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        return self.url_open(
            url,
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )

    def _check(self, role, method, url, params, response, problems):
        where = f"{role} {method} {url} {params}"
        status = response.status_code
        if status >= 500 or status not in (200, 204, 301, 302, 303, 400, 403, 404):
            problems.append(f"{where}: HTTP {status}")
            return
        text = (
            response.text
            if "image" not in response.headers.get("Content-Type", "")
            else ""
        )
        if method == "JSON" and status == 200:
            body = response.json()
            error = body.get("error")
            if error and error["data"]["name"] not in JSON_ERRORS_ALLOWED:
                problems.append(f"{where}: server error {error['data']['name']}")
        leaks = self._leaks(role, text + response.headers.get("Location", ""))
        if leaks:
            problems.append(f"{where}: shows {', '.join(leaks)}")
        if response.content in (PHOTO_PNG, SIGNATURE_PNG.encode()):
            problems.append(f"{where}: serves the signature")
        # markers are compressed inside a PDF: every call names a record the
        # role may not read (or a list of his own), so no PDF may come back
        if "pdf" in response.headers.get("Content-Type", ""):
            problems.append(f"{where}: serves a PDF")

    def _login(self, role):
        if role == "public":
            self.authenticate(None, None)
        else:
            login = self.users[role].login
            self.authenticate(login, login)

    # ------------------------------------------------------------ calls
    def _route_calls(self, role):
        calls = []
        for pattern, spec in {**ROUTES, **OTHER_ROUTES}.items():
            method = spec["method"]
            if spec.get("thread"):
                calls += self._thread_calls(role, pattern, spec)
            elif spec.get("binary"):
                for model, names in BINARY_FIELDS.items():
                    for target in self._targets(role, model):
                        for name in names:
                            url = pattern.replace("<string:model>", model)
                            url = url.replace("<int:id>", str(target.id))
                            url = url.replace("<string:field>", name)
                            calls.append((method, url, {}))
            elif spec.get("report"):
                for report, model in REPORTS.items():
                    for target in self._targets(role, model):
                        for converter in ("html", "pdf"):
                            url = f"/report/{converter}/{report}/{target.id}"
                            calls.append((method, url, {}))
            elif spec.get("rating"):
                calls.append((method, f"/rate/{uuid4().hex}/5", {}))
            else:
                calls += [
                    (method, url, params)
                    for url, params in self._expand(role, pattern, spec)
                ]
        return calls

    def _thread_calls(self, role, pattern, spec):
        calls = []
        for model in ("helpdesk.ticket", "helpdesk.visit"):
            for target in self._targets(role, model):
                params = {}
                for key, value in spec.get("params", {}).items():
                    if value == "thread_model":
                        value = model
                    elif value == "thread_id":
                        value = str(target.id)
                    params[key] = value
                if spec["method"] != "GET" or not params:
                    params.update(thread_model=model, thread_id=target.id)
                if spec["method"] == "UPLOAD":
                    params["thread_id"] = str(target.id)
                calls.append((spec["method"], pattern, params))
                if spec.get("token") and role in TOKEN_ROLES:
                    calls.append(
                        (
                            spec["method"],
                            pattern,
                            dict(params, token=self._mismatched_token(target)),
                        )
                    )
        return calls

    def _rpc_models(self):
        """Our models and the models we extend that have a table."""
        models = set()
        for ir_model in self.env["ir.model"].sudo().search([]):
            modules = set((ir_model.modules or "").replace(" ", "").split(","))
            Model = self.env.get(ir_model.model)
            if (
                modules & set(OUR_MODULES)
                and Model is not None
                and not Model._abstract
                and not Model._transient
            ):
                models.add(ir_model.model)
        return sorted(models)

    def _rpc_calls(self, role):
        calls = []
        for model in self._rpc_models():
            foreign = [record for record, _m in self._foreign(role, model)]
            ours = model.startswith("helpdesk.")
            if not foreign and not ours:
                continue
            domain = [("id", "in", [r.id for r in foreign])] if foreign else []
            calls.append(("search_read", model, [domain], {"limit": 80}))
            if foreign:
                calls.append(("read", model, [[r.id for r in foreign]], {}))
        return calls

    # ------------------------------------------------------------ tests
    def test_every_route_is_classified(self):
        """A route our addons add, or one we rely on that disappears, fails
        here until ROUTES / OTHER_ROUTES describe it."""
        declared = set()
        existing = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            existing.add(rule.rule)
            module = getattr(rule.endpoint, "__module__", "") or ""
            if module.split(".")[2:3] and module.split(".")[2] in OUR_MODULES:
                declared.add(rule.rule)
        self.assertFalse(
            declared - set(ROUTES),
            "routes of our addons missing from ROUTES: classify them",
        )
        self.assertFalse(
            set(ROUTES) - declared, "ROUTES lists routes our addons no longer have"
        )
        self.assertFalse(
            set(OTHER_ROUTES) - existing, "OTHER_ROUTES lists routes that do not exist"
        )

    def test_no_foreign_data_on_any_route(self):
        problems = []
        states = {
            record: record.read(["state"])[0]["state"]
            for record in (self.visit_b, self.visit_a)
        }
        stage_b = self.ticket_b.stage_id
        messages_b = len(self.ticket_b.message_ids)
        for role in ROLES:
            self._login(role)
            for method, url, params in self._route_calls(role):
                # Odoo logs the AccessError a report route turns into a 403
                muted = url.startswith("/report/")
                with mute_logger("odoo.http") if muted else nullcontext():
                    response = self._call(method, url, params)
                self._check(role, method, url, params, response, problems)
        self.env.invalidate_all()
        self.assertFalse(problems, "\n".join(problems))
        # nothing was done to the records the roles may not touch
        for record, state in states.items():
            self.assertEqual(record.state, state)
        self.assertEqual(self.ticket_b.stage_id, stage_b)
        self.assertEqual(len(self.ticket_b.message_ids), messages_b)
        self.assertFalse(self.visit_b.signed_by)
        self.assertTrue(self.work_b.exists(), "a role removed another ticket's work")
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "ZQ-SUBMITTED")])
        )
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "zq.txt")]),
            "a role attached a file to a record it may not read",
        )
        self.assertFalse(
            self.env["helpdesk.article.vote"].search(
                [("article_id", "in", [a.id for a in self.articles.values()])]
            ),
            "a role voted on an article it may not read",
        )

    def test_own_records_are_shown(self):
        """The markers are rendered where the record is readable: without
        this, the absence of foreign markers would prove nothing."""
        self._login("portal_company")
        for url, marker in (
            (f"/my/tickets/{self.ticket_boss.id}", "ZQ-A-BOSS-DESCRIPTION"),
            ("/my/tickets?filterby=all", "ZQ-A-OWN-TICKET"),
            (f"/my/equipment/{self.equipment_a.id}", "ZQ-A-SERIAL"),
            (f"/my/contracts/{self.contracts['A'].id}", "ZQ-A-CONTRACT"),
            (self._statement_url(self.contracts["A"]), "ZQ-A-CONTRACT"),
            (
                f"/my/invoices/{self.invoices['A'].id}?report_type=html",
                "ZQ-A-INVOICE",
            ),
            ("/my", "ZQ-A-ANNOUNCEMENT"),
            ("/helpdesk/kb?search=kbsecret", "ZQ-KB-PORTAL-PUBLISHED"),
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(marker, response.text, url)
        # the portal home counts the contact's own records only
        counters = ["ticket_count", "equipment_count", "contract_count"]
        for role, expected in (
            ("portal_company", {"ticket_count": 2, "contract_count": 1}),
            ("portal_own", {"ticket_count": 1, "contract_count": 0}),
        ):
            self._login(role)
            response = self._call("JSON", "/my/counters", {"counters": counters})
            values = response.json()["result"]
            self.assertEqual(values["equipment_count"], 1, role)
            for counter, count in expected.items():
                self.assertEqual(values[counter], count, f"{role} {counter}")
        self._login("engineer")
        response = self.url_open(f"/field/visit/{self.visit_a.id}")
        self.assertIn("ZQ-A-OWN-TICKET", response.text)
        # the JSON-RPC walk reads what the role may read
        response = self._call(
            "JSON",
            "/web/dataset/call_kw/helpdesk.ticket/search_read",
            {
                "model": "helpdesk.ticket",
                "method": "search_read",
                "args": [[("id", "=", self.ticket_own.id)]],
                "kwargs": {"fields": ["name"]},
            },
        )
        rows = response.json()["result"]
        self.assertEqual([row["id"] for row in rows], self.ticket_own.ids)

    def test_no_foreign_data_over_json_rpc(self):
        problems = []
        for role in ROLES:
            self._login(role)
            for method, model, args, kwargs in self._rpc_calls(role):
                url = f"/web/dataset/call_kw/{model}/{method}"
                params = {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                }
                response = self._call("JSON", url, params)
                self._check(role, "JSON", url, {"args": args}, response, problems)
                result = response.json().get("result") or []
                foreign_ids = {r.id for r, _m in self._foreign(role, model)}
                got = {row.get("id") for row in result if isinstance(row, dict)}
                if got & foreign_ids:
                    ids = sorted(got & foreign_ids)
                    problems.append(f"{role} {method} {model}: returns ids {ids}")
        self.assertFalse(problems, "\n".join(problems))
