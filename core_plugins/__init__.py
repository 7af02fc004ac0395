"""Rasa adapters: the project's behaviour plugged into Rasa's server.

The tracker store (``redacting_tracker_store``, with ``recent_conversations``
and ``fast_json``), the lock store for several processes
(``waiting_lock_store``), the action safety net (``action_safety_net``) and
message turns (``message_admission``). Their decisions are plain code in
``kneecare`` (for example ``kneecare/safety_net.py``); where Rasa offers no
extension point, ``rasa_patches`` attaches them, and nothing here assigns to
Rasa's modules or classes.
"""
