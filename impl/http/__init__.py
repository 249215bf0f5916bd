"""The HTTP layer around the generated app: dependencies, middleware, error mapping."""
