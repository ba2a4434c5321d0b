def migrate(cr, version):
    """Visits: 'no position' is empty, not 0, 0. The check-ins that stored
    coordinates get the new 'position shared' flag; the 0, 0 pairs written for
    check-ins without a position become empty."""
    if not version:
        return
    cr.execute(
        """
        UPDATE helpdesk_visit
           SET arrival_latitude = NULL, arrival_longitude = NULL
         WHERE arrival_latitude = 0 AND arrival_longitude = 0
        """
    )
    cr.execute(
        """
        UPDATE helpdesk_visit
           SET arrival_has_position = TRUE
         WHERE arrival_latitude IS NOT NULL AND arrival_longitude IS NOT NULL
        """
    )
