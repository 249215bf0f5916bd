"""specfirst: a contract-first OpenAPI to FastAPI pipeline."""
