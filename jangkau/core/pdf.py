"""Printable documents (receipts, recaps, letters, survey forms) from HTML, by WeasyPrint."""


def html_to_pdf(html: str) -> bytes:
    """Returns ``html`` rendered as PDF.

    Templates hold their own styles and fonts are the system's, and the fetcher takes only data: URIs (QR
    codes carry their image inline): text typed by a requester or an officer (a URL in a reason) can never
    make the server fetch anything.
    """
    from weasyprint import HTML  # heavy; loaded only when a document is asked for
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
