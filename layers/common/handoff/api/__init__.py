"""The HTTP edge shared by every function: the resolver, declared routes, errors and the Lambda entry."""
