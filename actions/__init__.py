"""Rasa custom actions: thin adapters between Rasa and the ``kneecare`` package.

Importing the package (the action server does, at start-up) turns on log
redaction: no name, phone number or e-mail is written to a log in plain text.
"""

from kneecare.cases.contact import install_log_redaction

install_log_redaction()
