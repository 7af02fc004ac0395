"""Rasa server plug-ins (tracker store) that wrap plain ``kneecare`` logic."""
