"""The reception staff's view of flagged cases and call-back requests.

A small Sanic app (``staff.app``, its routes in ``staff.routes``) over
``kneecare.cases``: sign-in with hashed passwords and server-side sessions
(``staff.auth``), a queue sorted by urgency, a case page with its transcript,
status changes with notes, a CSV export, and an audit log of every staff
action. ``python -m staff`` serves it;
``python -m staff.accounts`` manages staff accounts.
"""
