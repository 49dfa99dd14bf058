"""Partner webhooks: subscriptions, Standard Webhooks signing, fan-out, delivery, inbound checks."""
