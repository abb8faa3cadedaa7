"""Running Rehabit in production: health and readiness probes, request ids, structured
logs and Prometheus metrics (``/healthz``, ``/readyz``, ``/metrics``)."""
