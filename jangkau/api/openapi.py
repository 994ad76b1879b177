"""The OpenAPI document, refusing two different schemas under one name.

ninja builds each operation's schemas on their own and merges their definitions by name, so two classes
called alike (two ``Status`` enums, two ``SlaOut`` models) silently leave the document describing one with
the other's fields. Generating the document then fails instead, naming the clash.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema


class UniqueNamesOpenAPISchema(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ImproperlyConfigured(
                    f"Two different schemas are both named {name!r} in the OpenAPI document; rename one."
                )
        super().add_schema_definitions(definitions)


class JangkauAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesOpenAPISchema(self, path_prefix)
