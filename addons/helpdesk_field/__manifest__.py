{
    "name": "Helpdesk Field Service",
    "summary": "Field engineers' visits to the client's sites for helpdesk tickets",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Helpdesk Service Desk contributors",
    "website": "https://github.com/helpdesk-service-desk/helpdesk",
    "depends": ["helpdesk_service"],
    "data": [
        "security/helpdesk_field_groups.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "installable": True,
}
