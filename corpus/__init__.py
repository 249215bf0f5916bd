"""The corpus runner: public OpenAPI documents through every stage of the pipeline (``make corpus``)."""
