"""The JSON API (django-ninja): typed schemas, and the OpenAPI description made from them.

Authentication: `Authorization: Bearer <token>` with one of the user's API
tokens (see accounts/tokens.py; wrong tokens count towards the address's
lockout), or the browser session (send the CSRF token in `X-CSRFToken`). HTTP
Basic is refused: a password sent with every request is a password to guess.
Every answer other than a success is JSON with a Vietnamese `error` (see docs/api.md).
"""
