"""Personal data over time (UU 27/2022): retention, anonymisation and data-subject requests."""
