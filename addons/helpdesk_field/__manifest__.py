{
    "name": "Helpdesk Field Service",
    "summary": "Engineers' visits to the client's sites: planning, mobile workspace, "
    "labour write-off, works and parts, signed visit report, SMS to the client",
    "version": "18.0.1.4.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Helpdesk Service Desk contributors",
    "website": "https://github.com/helpdesk-service-desk/helpdesk",
    "depends": ["helpdesk_service", "helpdesk_billing", "sms"],
    "data": [
        "security/helpdesk_field_groups.xml",
        "security/ir.model.access.csv",
        "security/helpdesk_visit_security.xml",
        "data/ir_sequence_data.xml",
        "data/sms_template_data.xml",
        "views/helpdesk_visit_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_work_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_field_templates.xml",
        "views/helpdesk_portal_templates.xml",
        "views/helpdesk_field_menus.xml",
        "report/helpdesk_visit_reports.xml",
        "report/helpdesk_visit_templates.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_product_demo.xml",
        "demo/helpdesk_visit_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "helpdesk_field/static/src/js/*.js",
            "helpdesk_field/static/src/scss/*.scss",
        ],
        "web.assets_tests": [
            "helpdesk_field/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
