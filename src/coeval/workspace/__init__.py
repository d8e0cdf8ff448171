"""The coding workspace: a web application over one project, for a team coding together.

``coeval serve PROJECT`` (or :func:`serve`) starts it; :func:`create_app` returns the ASGI
application for tests or another server. Coders select text and pick a code; the coordinator
runs rounds, assignments, reconciliation, the codebook and invitations. It owns no analysis:
pages show what the library computes and call the library to change the project.

Modules: ``accounts`` (people, passwords, sessions), ``security`` (the login requirement, CSRF,
headers), ``views`` (what each person may see, with the blind rule), ``pages`` and ``api`` (the
coder's side), ``coordinator`` and ``team_pages`` (the coordinator's side), ``forms`` and
``templating`` (shared helpers), ``app`` (the application and the server).
"""

from .app import DEFAULT_PORT, create_app, serve

__all__ = ["create_app", "serve", "DEFAULT_PORT"]
