"""Custom Rasa input channels: signed Twilio SMS/WhatsApp, Telegram with a secret token.

Rasa loads them from credentials.messaging.yml by module path, for example
``channels.twilio_signed.TwilioSignedInput``; see readme "Channels".
"""
