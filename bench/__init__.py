"""Benchmarks that print figures (never timed tests): cold start and DynamoDB calls per request."""
