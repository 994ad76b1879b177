"""A valid request for ``POST /api/v1/requests``, for the programs that send many of them: the API fuzz test's
examples, the crash soak and the benchmark's load generator. Plain data, no Django, so that a separate load
process can import it without setting Django up."""

# A NIK that passes the checks (DKI Jakarta, born 12 March 1985, a woman: day + 40).
VALID_NIK = "3171015203850001"


def intake_request(*, service, office: str | None = None, **overrides) -> dict:
    """Returns a complete, valid intake body for ``service`` (and ``office``, which the API asks for and the
    services take as an argument), with ``overrides`` applied."""
    body = {
        "full_name": "Siti Aminah",
        "id_type": "ktp",
        "nik": VALID_NIK,
        "phone": "0812-3456-7890",
        "address": "Jl. Kenanga No. 5, Cempaka Putih",
        "area": "Jakarta Pusat",
        "vulnerabilities": ["disability_physical", "elderly"],
        "disability_details": "Pengguna kursi roda",
        "need": "Data mutu sekolah anak saya untuk pendaftaran",
        "service_type": service,
        "delivery_mode": "visit",
        "accommodations": ["wheelchair"],
        "consent": True,
    }
    if office is not None:
        body["office"] = office
    return body | overrides
