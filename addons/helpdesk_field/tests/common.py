import base64
from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

# a 1x1 PNG: what the signature pad sends, without the "data:" prefix
SIGNATURE_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)
PHOTO_PNG = base64.b64decode(SIGNATURE_PNG)
MONDAY = datetime(2026, 3, 2)  # a Monday


class HelpdeskFieldCommon:
    """A field team (15-minute rounding and minimum), two engineers with
    employees on an 8-12/13-17 weekday calendar (UTC), a dispatcher, a
    client with a site, a cash register and a contact with a mobile, a
    ticket, two priced works and a part."""

    @classmethod
    def _setup_field(cls):
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.tz = "UTC"
        groups_engineer = "base.group_user,helpdesk_field.group_field_engineer"
        cls.engineer = new_test_user(
            env,
            login="hf_engineer",
            name="Tom Field",
            email="tom.field@example.com",
            tz="UTC",
            groups=groups_engineer,
        )
        cls.engineer2 = new_test_user(
            env,
            login="hf_engineer2",
            name="Ann Field",
            email="ann.field@example.com",
            tz="UTC",
            groups=groups_engineer,
        )
        cls.dispatcher = new_test_user(
            env,
            login="hf_dispatcher",
            name="Dana Dispatch",
            email="dana@example.com",
            tz="UTC",
            groups="base.group_user,helpdesk_field.group_field_dispatcher",
        )
        cls.outsider = new_test_user(
            env,
            login="hf_outsider",
            name="Otto Outsider",
            tz="UTC",
            groups="base.group_user,helpdesk_field.group_field_dispatcher",
        )
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Field 8-12 13-17 UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.employee, cls.employee2 = env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "hourly_cost": 40.0,
                    "resource_calendar_id": cls.calendar.id,
                    "tz": "UTC",
                }
                for user in (cls.engineer, cls.engineer2)
            ]
        )
        cls.team = env["helpdesk.team"].create(
            {
                "name": "Field test team",
                "member_ids": [Command.set((cls.engineer | cls.dispatcher).ids)],
                "visibility": "members",
                "timesheet_rounding_minutes": 15,
                "timesheet_min_minutes": 15,
            }
        )
        Partner = env["res.partner"]
        cls.client = Partner.create({"name": "Kettle Test Bakery", "is_company": True})
        cls.contact = Partner.create(
            {
                "name": "Mike Rolls",
                "parent_id": cls.client.id,
                "email": "mike@kettle.test",
                "mobile": "+32 470 12 34 56",
            }
        )
        cls.site = env["helpdesk.site"].create(
            {
                "name": "Main shop",
                "partner_id": cls.client.id,
                "street": "8 Market Square",
                "city": "Ogdenville",
                "contact_ids": [Command.link(cls.contact.id)],
            }
        )
        cls.register = env["helpdesk.equipment"].create(
            {
                "name": "Cash register #2",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "serial_number": "CR-0002",
            }
        )
        cls.ticket = env["helpdesk.ticket"].create(
            {
                "name": "Till #2 does not print",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
                "equipment_ids": [Command.link(cls.register.id)],
            }
        )
        Product = env["product.product"]
        cls.work_diag, cls.work_head = Product.create(
            [
                {
                    "name": "Till diagnosis",
                    "type": "service",
                    "list_price": 60.0,
                    "is_helpdesk_work": True,
                },
                {
                    "name": "Printhead cleaning",
                    "type": "service",
                    "list_price": 25.0,
                    "is_helpdesk_work": True,
                },
            ]
        )
        cls.part_roll = Product.create(
            {
                "name": "Paper roll 57 mm",
                "type": "consu",
                "list_price": 2.5,
                "is_helpdesk_work": True,
            }
        )
        # billing prices works from the company's standard price list
        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "Field works",
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.work_diag.id,
                            "compute_price": "fixed",
                            "fixed_price": 55.0,
                        }
                    )
                ],
            }
        )
        cls.company.helpdesk_pricelist_id = cls.pricelist
        cls.Visit = env["helpdesk.visit"]

    @classmethod
    def _create_visit(cls, start=None, hours=2.0, **vals):
        return cls.Visit.create(
            {
                "ticket_id": cls.ticket.id,
                "user_id": cls.engineer.id,
                "date_planned": start or MONDAY.replace(hour=9),
                "planned_hours": hours,
                **vals,
            }
        )
