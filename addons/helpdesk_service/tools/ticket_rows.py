"""Rows that belong to a ticket and copy some of its fields (stored related
fields on ``ticket_id``, for reports and record rules)."""


def with_ticket_values(model, vals_list):
    """`vals_list` for creating rows of `model` with the values of their
    stored ``ticket_id.<field>`` related fields given: the ticket is in
    memory, so they are inserted with the row instead of being computed and
    written by an UPDATE after it."""
    related = [
        (name, field.related.split(".")[1])
        for name, field in model._fields.items()
        if field.store
        and field.related
        and field.related.count(".") == 1
        and field.related.startswith("ticket_id.")
    ]
    Ticket = model.env["helpdesk.ticket"]
    for vals in vals_list:
        if not vals.get("ticket_id"):
            continue
        ticket = Ticket.browse(vals["ticket_id"])
        for name, ticket_field in related:
            if name not in vals:
                vals[name] = ticket._fields[ticket_field].convert_to_write(
                    ticket[ticket_field], ticket
                )
    return vals_list
