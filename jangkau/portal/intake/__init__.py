"""The citizen's request for outreach service on the web (POS step 1): a question per page, a check of the
answers, one case however often it is sent, a confirmation and a printable receipt."""
