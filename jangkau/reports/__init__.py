"""Periodic evaluation (POS step 8): figures for a period, the SOP monitoring table and follow-up actions."""
