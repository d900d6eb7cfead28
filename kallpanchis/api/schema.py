"""OpenAPI additions: the token scheme, and the error answers every operation may give."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERRORS = {
    "401": "No valid token or session: this resource is not published to anonymous readers.",
    "403": "Signed in, but this role may not read it.",
    "404": "No such object in your scope.",
    "405": "The API only reads (GET, HEAD, OPTIONS).",
    "429": "Too many requests for this token or address: wait and retry (see Retry-After).",
}


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kallpanchis.api.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (kp_…), made on the 'API tokens' page. Read-only.",
        }


def error_responses(result, generator, request, public):
    """Every operation documents its error answers ({"detail": "..."}) and 304 for a matching ETag."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
            responses.setdefault("304", {"description": "Not modified: the ETag given in If-None-Match."})
            responses.setdefault(
                "400",
                {
                    "description": "A filter or cursor that is not valid.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            )
    return result
