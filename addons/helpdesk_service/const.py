"""Values shared by several models of the helpdesk (no model here)."""

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]

SLA_TARGETS = [
    ("ack", "Acknowledgement"),
    ("report", "First report with ETA"),
    ("resolve", "Resolution"),
]
# the ticket's date that reaches each service-level target
TARGET_DATE_FIELD = {
    "ack": "date_ack",
    "report": "date_first_response",
    "resolve": "date_resolved",
}
