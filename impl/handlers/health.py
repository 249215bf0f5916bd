"""Liveness and readiness probes (not authenticated, not rate-limited)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from generated import models, responses
from impl.http.deps import RuntimeDep
from impl.outages import OutageLog

_CHECK_TIMEOUT = 2.0


async def _check(
    name: str, probe: Callable[[], Awaitable[float | None]], outages: OutageLog
) -> models.HealthCheck:
    try:
        latency = await asyncio.wait_for(probe(), timeout=_CHECK_TIMEOUT)
    except Exception as exc:
        outages.failed(name, exc)  # logged once per outage, not once per probe
        return models.HealthCheck(status=models.Status.unavailable, detail=f"{type(exc).__name__}")
    outages.recovered(name)
    if latency is None:
        return models.HealthCheck(status=models.Status.ok)
    return models.HealthCheck(status=models.Status.ok, latency_ms=round(latency, 3))


class HealthHandlers:
    # No request session: a probe must not hold a pooled connection while it checks them.
    def __init__(self, runtime: RuntimeDep) -> None:
        self.runtime = runtime

    async def get_liveness(self) -> models.Health:
        return models.Health(status=models.Status.ok, checks={})

    async def get_readiness(
        self,
    ) -> responses.GetReadiness200Response | responses.GetReadiness503Response:
        runtime = self.runtime
        probes: dict[str, Callable[[], Awaitable[float | None]]] = {
            "database": runtime.database.ping
        }
        if runtime.settings.redis_url:

            async def redis() -> float | None:
                loop = asyncio.get_running_loop()
                started = loop.time()
                if not await runtime.limiter.ping():
                    raise ConnectionError("redis did not answer")
                return (loop.time() - started) * 1000

            probes["redis"] = redis
        results = await asyncio.gather(
            *(_check(name, probe, runtime.outages) for name, probe in probes.items())
        )
        checks = dict(zip(probes, results, strict=True))
        if not runtime.ready:  # start-up (the migration) still waits for the database
            checks["startup"] = models.HealthCheck(
                status=models.Status.unavailable, detail="waiting for the database"
            )
        if all(check.status is models.Status.ok for check in checks.values()):
            return responses.GetReadiness200Response(
                body=models.Health(status=models.Status.ok, checks=checks)
            )
        down = ", ".join(
            name for name, check in checks.items() if check.status is not models.Status.ok
        )
        return responses.GetReadiness503Response(
            body=models.Problem(
                type="about:blank",
                title="Service Unavailable",
                status=503,
                detail=f"Not ready: {down} unavailable.",
                code="unavailable",
                checks={
                    name: check.model_dump(exclude_none=True) for name, check in checks.items()
                },
            )
        )
