"""Logins: the Cognito user behind each Handoff identity, kept in step with its memberships."""
