"""Custom Rasa NLU components (thin wrappers over ``kneecare``)."""
