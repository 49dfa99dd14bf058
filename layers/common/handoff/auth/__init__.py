"""Who is calling (tokens), what they may do (policy), and where (access to a tenant)."""
