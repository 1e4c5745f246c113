"""The API (issue 13 §4): other systems read and write cases, registers and reports over HTTP.

django-ninja under ``/api/``, its OpenAPI schema at ``/api/openapi.json`` (checked in as
``openapi.json`` beside this file and diffed by ``tests/api/test_openapi.py``). A caller
authenticates with a token of one unit (:class:`~gongkai.api.models.ApiToken`) and acts as that
unit's *service principal*: every permission is decided by the same gatekeeper as the pages
(:func:`gongkai.agencies.gatekeeper.service_principal`), from the token's scopes.

Modules: :mod:`.models` (tokens, idempotency keys), :mod:`.services` (issuing and revoking
tokens, authenticating, the idempotent registration), :mod:`.selectors` (reads),
:mod:`.schemas` (the request and response shapes), :mod:`.errors` (one JSON error shape, in
Chinese), :mod:`.views` (the endpoints), :mod:`.urls`.
"""
