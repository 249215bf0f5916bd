"""Contract-test the reference service: ``make contract`` / ``make contract-deep``.

1. start ``uvicorn impl.main:app`` on a free 127.0.0.1 port, with a fresh SQLite database and
   file store in a temporary folder, and wait for ``/v1/health/ready``;
2. register a user per run (the auth hooks below then get a token from the token endpoint, and
   create an API key with it); the server's ``ADMIN_EMAILS`` names the last run's user, so
   that run is an administrator's;
3. run ``specfirst contract`` against the *source* spec, ``specs/api.yaml``, three times: with a
   user's bearer token, with a user's API key, and with an administrator's bearer token (the
   admin-only operations past their 403); JUnit XML goes to ``reports/contract-<auth>.xml``;
4. stop the server by its PID, and print its log when anything failed.

    python -m tests.contract.run_service                # deterministic: fixed seed, few examples
    python -m tests.contract.run_service --deep         # many more examples, random seed (printed)
    python -m tests.contract.run_service --seed 123 --max-examples 50

Rate limits are raised (not disabled) so that the run measures the contract rather than the
limiter; 429 stays a declared, conformant answer either way.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from specfirst import contract
from specfirst.cli import main as specfirst

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "api.yaml"
REPORTS = ROOT / "reports"
API = "/v1"
EMAIL_VAR = "SPECFIRST_CONTRACT_EMAIL"
PASSWORD_VAR = "SPECFIRST_CONTRACT_PASSWORD"
ADMIN_EMAIL_VAR = "SPECFIRST_CONTRACT_ADMIN_EMAIL"
ADMIN_PASSWORD_VAR = "SPECFIRST_CONTRACT_ADMIN_PASSWORD"
API_KEY_SCOPES = ["profile", "projects:read", "projects:write", "tasks:read", "tasks:write"]

DEFAULT_MAX_EXAMPLES = 10
DEEP_MAX_EXAMPLES = 200
# No time budget by default. schemathesis' max-time is not a cap but a budget that is always
# spent: with it, fuzzing and stateful testing repeat until it runs out, so a run lasts exactly
# that long whatever the example count. `--max-time` asks for such a time-boxed run.


# --- auth hooks (what `specfirst contract --auth` calls) ------------------------------------


def token_auth(ctx: contract.AuthContext) -> dict[str, str]:
    """A bearer token from the OAuth2 password grant, for the user ``run_service`` registered."""
    return contract.password_token(ctx, os.environ[EMAIL_VAR], os.environ[PASSWORD_VAR])


def api_key_auth(ctx: contract.AuthContext) -> dict[str, str]:
    """A fresh API key with every key scope, created with a bearer token (then unused)."""
    bearer = token_auth(ctx)
    response = ctx.request(
        "POST", "api-keys", json={"name": "contract run", "scopes": API_KEY_SCOPES}, headers=bearer
    )
    if response.status_code != 201:
        raise contract.ContractError(
            f"creating an API key failed: {response.status_code} {response.text}"
        )
    return contract.api_key(response.json()["key"])


# --- the setup hook: test data for full reach (what `specfirst contract --setup` calls) ------

OAUTH_ONLY = ("updateCurrentUser", "createApiKey", "listApiKeys", "revokeApiKey")
ADMIN_ONLY = ("listUsers", "deactivateUser")


def _ok(response: Any, what: str, status: int = 201) -> Any:
    if response.status_code != status:
        raise contract.ContractError(
            f"seeding {what}: {response.status_code} {response.text[:300]}"
        )
    return response.json() if response.content else None


def _account(ctx: contract.AuthContext, kind: str) -> tuple[str, str, str]:
    """A new account: (id, email, password)."""
    email, password = new_email(kind), secrets.token_urlsafe(18)
    body = {"email": email, "password": password, "display_name": kind.title()}
    user = _ok(ctx.request("POST", "auth/register", json=body, headers={}), "an account")
    return str(user["id"]), email, password


def seed(ctx: contract.AuthContext) -> contract.SeedData:
    """Resources for every operation to act on, created with the run's own user.

    Shared ones (a project, a task, an attachment, a finished export) are offered to every
    operation; each destructive operation gets its own (a project to delete, a task, a
    comment, an attachment, a membership, an API key, an account to deactivate), so that it
    cannot take the shared ones away from the rest of the run. Preconditions: `If-Match: *`
    and `If-None-Match: *` (the 304). Credentials: the admin-only operations alternate an
    administrator's token with a user's (200 and 403 in one run); in the API-key run the
    operations a key cannot call alternate the key (401) with the user's bearer token.
    """
    user = token_auth(ctx)  # the run's user (the administrator in the admin run)
    admin = contract.password_token(
        ctx, os.environ[ADMIN_EMAIL_VAR], os.environ[ADMIN_PASSWORD_VAR]
    )
    as_user = dataclasses.replace(ctx, headers=user)

    def create(path: str, what: str, **body: Any) -> str:
        return str(_ok(as_user.request("POST", path, json=body), what)["id"])

    project = create("projects", "a project", name="Seeded project")
    doomed_project = create("projects", "a project", name="Project to delete")
    team_project = create("projects", "a project", name="Project to leave")
    task = create(f"projects/{project}/tasks", "a task", title="Seeded task")
    doomed_task = create(f"projects/{project}/tasks", "a task", title="Task to delete")
    comment = create(f"tasks/{task}/comments", "a comment", body="Comment to delete")
    files = [
        str(
            _ok(
                as_user.request(
                    "POST",
                    f"tasks/{task}/attachments",
                    files={"file": (f"seed-{n}.txt", b"seed", "text/plain")},
                ),
                "an attachment",
            )["id"]
        )
        for n in range(2)
    ]
    export = str(
        _ok(
            as_user.request("POST", f"projects/{project}/exports", json={"format": "csv"}),
            "an export",
            202,
        )["id"]
    )
    deadline = time.monotonic() + 30
    while _ok(as_user.request("GET", f"exports/{export}"), "an export", 200)["status"] != "done":
        if time.monotonic() > deadline:
            raise contract.ContractError(f"seeding: export {export} not done within 30 s")
        time.sleep(0.1)
    member_id, member_email, _ = _account(ctx, "member")
    _ok(
        as_user.request(
            "POST",
            f"projects/{team_project}/members",
            json={"email": member_email, "role": "member"},
        ),
        "a membership",
    )
    _, joiner_email, _ = _account(ctx, "joiner")
    victim_id, _, _ = _account(ctx, "victim")
    key_id = create("api-keys", "an API key", name="Key to revoke", scopes=["profile"])

    # Admin-only operations run as the administrator. In the API-key run (whose user is an
    # administrator) the operations a key cannot call run with the same user's bearer token.
    credentials = {op: admin for op in ADMIN_ONLY}
    if "Authorization" not in ctx.headers:
        credentials = {op: user for op in (*OAUTH_ONLY, *ADMIN_ONLY)}
    return contract.SeedData(
        parameters={
            "path.projectId": [project],
            "path.taskId": [task],
            "path.attachmentId": [files[0]],
            "path.exportId": [export],
            "header.If-Match": ["*"],
            "header.If-None-Match": ["*"],
        },
        operations={
            "deleteProject": {"path.projectId": [doomed_project]},
            "deleteTask": {"path.taskId": [doomed_task]},
            "deleteComment": {"path.commentId": [comment]},
            "deleteAttachment": {"path.attachmentId": [files[1]]},
            "addMember": {"body.email": [joiner_email]},
            "removeMember": {"path.projectId": [team_project], "path.userId": [member_id]},
            "revokeApiKey": {"path.apiKeyId": [key_id]},
            "deactivateUser": {"path.userId": [victim_id]},
        },
        # Destructive operations act on their own resources only, in every phase: never on
        # the shared ones, nor on the run's account (ids schemathesis saw in responses).
        always=[
            "deleteProject",
            "deleteTask",
            "deleteComment",
            "deleteAttachment",
            "removeMember",
            "revokeApiKey",
            "deactivateUser",
        ],
        credentials=credentials,
        # the run's user with the `profile` scope only: 403 wherever another scope is needed
        forbidden=contract.password_token(
            ctx, os.environ[EMAIL_VAR], os.environ[PASSWORD_VAR], scope="profile"
        ),
    )


HOOKS = {
    "token": "tests.contract.run_service:token_auth",
    "api-key": "tests.contract.run_service:api_key_auth",
    "admin": "tests.contract.run_service:token_auth",  # the user is an administrator
}
SETUP = "tests.contract.run_service:seed"
AUTHS = ("token", "api-key", "admin")
"""The runs, in order. The admin run comes last: it may deactivate other users (the stateful
phase follows `register` → `deactivateUser`), never itself (409), so the other runs' users
are done with by then."""


# --- the service ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    url: str  # root, e.g. http://127.0.0.1:43123
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def reference_service(
    folder: Path, *, admin_emails: Sequence[str] = (), startup_timeout: float = 60.0
) -> Iterator[Service]:
    """``uvicorn impl.main:app`` on a free port with a fresh database under ``folder``;
    accounts registered with one of ``admin_emails`` are administrators."""
    port = free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "JWT_SECRET": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'contract.db'}",
        "STORAGE_DIR": str(folder / "files"),
        "MIGRATE_ON_STARTUP": "true",
        "RATE_LIMIT_API": "1000000/minute",
        "RATE_LIMIT_LOGIN": "1000000/minute",
        # Small enough that generated files can exceed it (413), large enough for the seeded ones.
        "MAX_UPLOAD_BYTES": "128",
        "LOG_LEVEL": "WARNING",
        "ADMIN_EMAILS": ",".join(admin_emails),
    }
    env.pop("REDIS_URL", None)  # in-memory rate limits: one process
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "impl.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url + API + "/health/ready", process, log_path, startup_timeout)
        yield Service(url=url, pid=process.pid, log=log_path)
    finally:
        _stop(process.pid, process)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the service exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"the service was not ready within {timeout:.0f}s:\n{log.read_text()[-4000:]}"
    )


def _stop(pid: int, process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def new_email(kind: str = "contract") -> str:
    return f"{kind}-{secrets.token_hex(4)}@example.com"


def register_user(service: Service, email: str | None = None) -> tuple[str, str]:
    email = email or new_email()
    password = secrets.token_urlsafe(18)
    response = httpx.post(
        service.url + API + "/auth/register",
        json={"email": email, "password": password, "display_name": "Contract Runner"},
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(f"registration failed: {response.status_code} {response.text}")
    return email, password


# --- the runs ---------------------------------------------------------------------------------


def run(
    *,
    seed: str | None = None,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    max_time: int | None = None,
    auths: Sequence[str] = AUTHS,
    reports: Path = REPORTS,
    extra: Sequence[str] = (),
) -> int:
    """The contract runs against one fresh service; 0 when all pass."""
    codes: dict[str, int] = {}
    admin_email = new_email("admin")
    # The API-key run's user is an administrator too: the operations a key cannot call run with
    # that same user's bearer token, so every request of the run acts as one principal.
    key_user_email = new_email("api-key")
    with (
        tempfile.TemporaryDirectory(prefix="specfirst-contract-") as tmp,
        reference_service(Path(tmp), admin_emails=[admin_email, key_user_email]) as service,
    ):
        print(f"reference service at {service.url} (pid {service.pid})", file=sys.stderr)
        admin = register_user(service, admin_email)
        os.environ[ADMIN_EMAIL_VAR], os.environ[ADMIN_PASSWORD_VAR] = admin
        for auth in sorted(auths, key=AUTHS.index):
            # A user per run: the first run's fuzzing may use up per-user quotas (e.g. API keys).
            user = (
                admin
                if auth == "admin"
                else register_user(service, key_user_email if auth == "api-key" else None)
            )
            os.environ[EMAIL_VAR], os.environ[PASSWORD_VAR] = user
            argv = [
                "contract",
                str(SPEC),
                "--url",
                service.url,
                "--auth",
                HOOKS[auth],
                "--setup",
                SETUP,
                "--max-examples",
                str(max_examples),
                "--junit",
                str(reports / f"contract-{auth}.xml"),
                # every status the runtime sends is declared, and every operation implemented
                "--strict",
                "--require-implemented",
                *(["--seed", seed] if seed is not None else []),
                *(["--max-time", str(max_time)] if max_time is not None else []),
                *extra,
            ]
            print(f"\n== contract run with {auth} auth ==", flush=True)
            codes[auth] = specfirst(argv)
            if codes[auth] == 130:  # interrupted (Ctrl-C, SIGTERM): no further runs
                break
        if any(codes.values()):
            print(
                f"\n== server log (last lines) ==\n{service.log.read_text()[-6000:]}",
                file=sys.stderr,
            )
    print("\n" + ", ".join(f"{auth}: {_verdict(code)}" for auth, code in codes.items()))
    return max(codes.values(), default=0)


def _verdict(code: int) -> str:
    return {0: "passed", 130: "INTERRUPTED"}.get(code, "FAILED")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.contract.run_service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--deep", action="store_true", help="many more examples and a random seed")
    parser.add_argument("--seed", help="an integer, or 'random'")
    parser.add_argument("--max-examples", type=int)
    parser.add_argument(
        "--max-time",
        type=int,
        metavar="SECONDS",
        help="a time budget per run: fuzzing and stateful testing repeat until it is spent",
    )
    parser.add_argument(
        "--auth", choices=sorted(HOOKS), action="append", help="only this auth (repeatable)"
    )
    args = parser.parse_args(argv)
    seed = args.seed
    if args.deep and seed is None:
        seed = str(secrets.randbelow(2**32))
    max_examples = args.max_examples or (DEEP_MAX_EXAMPLES if args.deep else DEFAULT_MAX_EXAMPLES)
    if seed is not None and seed != "random":
        replay = f"python -m tests.contract.run_service --seed {seed}"
        if max_examples != DEFAULT_MAX_EXAMPLES:
            replay += f" --max-examples {max_examples}"
        if args.max_time is not None:
            replay += f" --max-time {args.max_time}"
        print(f"seed: {seed}  (replay: {replay})")
    return run(
        seed=seed, max_examples=max_examples, max_time=args.max_time, auths=args.auth or AUTHS
    )


if __name__ == "__main__":
    sys.exit(main())
