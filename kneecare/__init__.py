"""Clinic logic for the knee pain assistant, written without any Rasa import.

Everything here is plain, typed Python so that the triage rules, the parsing of
what people write and the clinic's settings can be read, tested and reused
without a running assistant. The Rasa adapters in ``actions/`` and
``nlu_components/`` are thin wrappers over these modules.
"""
