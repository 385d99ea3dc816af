"""The deploy files pass their validators and keep the promises deploy/README.md makes (offline, in seconds).

Kubernetes manifests against the real API schemas (kubernetes-validate bundles them), compose against the
compose-spec JSON schema vendored in deploy/schemas/ (check-jsonschema, no download), `docker compose config` too
when a Docker engine answers; then what no schema says: probes, resources, securityContext, pinned images, the
order of migrations, the secret layout documented, the lock pinning every dependency.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import kubernetes_validate
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from deploy.compose.letter_schedule import parse
from services.workbench.settings import WorkbenchSettings
from shared.broker_identity import (
    DEAD_LETTER_TRAY,
    EVENTS_EXCHANGE,
    BrokerPermissions,
    broker_permissions,
    broker_users,
    tray_permissions,
    user_of,
)

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
COMPOSE = DEPLOY / "compose.yaml"
BROKER_USERS_SCRIPT = DEPLOY / "rabbitmq" / "broker-users.sh"
README = (DEPLOY / "README.md").read_text()
KUBERNETES_VERSIONS = ("1.28.0", "1.37.0")
# Custom resources of the operators (RabbitMQ Cluster Operator, its Messaging Topology Operator, CloudNativePG): no
# schema is bundled for them.
TOPOLOGY_KINDS = {
    ("rabbitmq.com/v1beta1", "User"),
    ("rabbitmq.com/v1beta1", "Permission"),
    ("rabbitmq.com/v1beta1", "TopicPermission"),
}
OPERATOR_KINDS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"),
    ("postgresql.cnpg.io/v1", "Cluster"),
    *TOPOLOGY_KINDS,
}
# The tags the Topology Operator's User resource accepts (its CRD's enum): `impersonator` is not one of them.
USER_CR_TAGS = {"management", "policymaker", "monitoring", "administrator"}
# Secrets the operators generate themselves (the Cluster Operator's default user): never in examples/secrets.yaml.
GENERATED_SECRETS = {"council-events-default-user"}
# Every broker user the deployments create: each publisher, and the operators' dead-letter tray.
BROKER_USERS = [*broker_users(), DEAD_LETTER_TRAY]
# The services with a database, a broker user and an outbox relay: Deployment name -> package.
SERVICES = {
    "billing": "billing",
    "recovery": "recovery",
    "breathing-space": "breathing_space",
    "agents-gateway": "agents_gateway",
    "writeoff": "writeoff",
}
# The officers' workbench: the sixth deploy unit, pages over the services' HTTP APIs with no database, no broker,
# no relay and no migrations (deploy/local/system.py WITHOUT_RELAY).
WORKBENCH = "workbench"
DEPLOY_UNITS = {**SERVICES, WORKBENCH: "workbench"}
# Each service the workbench calls -> the WorkbenchSettings field naming its API's address.
WORKBENCH_CALLS = {package: f"{package}_url" for package in SERVICES.values()}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in [*sorted(KUBERNETES.glob("*.yaml")), KUBERNETES / "examples" / "secrets.yaml"]:
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found.append((path.name, document))
    return found


DOCUMENTS = _documents()


def _of_kind(kind: str) -> list[dict[str, Any]]:
    return [document for _, document in DOCUMENTS if document["kind"] == kind]


def _pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, document in DOCUMENTS:
        spec = document.get("spec", {})
        name = f"{document['kind']}/{document['metadata']['name']}"
        if document["kind"] in {"Deployment", "Job", "StatefulSet", "DaemonSet"}:
            yield name, spec["template"]["spec"]
        elif document["kind"] == "CronJob":
            yield name, spec["jobTemplate"]["spec"]["template"]["spec"]


def _containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def _is_service_container(container: dict[str, Any]) -> bool:
    return container.get("command", [])[:2] == ["python", "-m"] and container["command"][2].startswith(
        "services."
    )


def _kubernetes_images() -> list[str]:
    images = [c["image"] for _, pod in _pod_specs() for c in _containers(pod)]
    images += [
        d["spec"][key] for _, d in DOCUMENTS for key in ("image", "imageName") if key in d.get("spec", {})
    ]
    return images


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def _expected_permissions(user: str) -> BrokerPermissions:
    return tray_permissions() if user == DEAD_LETTER_TRAY else broker_permissions(user)


def _expected_topic_read(user: str) -> str:
    """Services bind their queues to every routing key they hear (as deploy/local/infra.py allows them); the
    tray reads nothing."""
    return tray_permissions().read if user == DEAD_LETTER_TRAY else ".*"


def _migrate_job() -> dict[str, Any]:
    (job,) = [
        j
        for j in _of_kind("Job")
        if j["spec"]["template"]["spec"]["containers"][0]["command"][:2] == ["council-debt", "migrate"]
    ]
    return job


def _amqp_key(container: dict[str, Any]) -> str:
    """The `council-debt` Secret key a Kubernetes container's AMQP_URL comes from."""
    (variable,) = [e for e in container["env"] if e["name"] == "AMQP_URL"]
    reference = variable["valueFrom"]["secretKeyRef"]
    assert reference["name"] == "council-debt", container["name"]
    return reference["key"]


def _assert_pinned(image: str) -> None:
    name, _, tag = image.rpartition(":")
    assert name and "/" not in tag and tag not in {"", "latest"}, (
        f"{image}: pin a version, never :latest or no tag"
    )


# --- Kubernetes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_passes_the_kubernetes_schema(version: str) -> None:
    checked = 0
    for file, document in DOCUMENTS:
        if (document["apiVersion"], document["kind"]) in OPERATOR_KINDS:
            continue
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as refusal:
            pytest.fail(
                f"{file} {document['kind']}/{document['metadata']['name']} on {version}: {refusal.message}"
            )
        checked += 1
    assert checked >= 20


def test_operator_resources_keep_their_shape() -> None:
    kinds = {
        (d["apiVersion"], d["kind"]): d
        for _, d in DOCUMENTS
        if (d["apiVersion"], d["kind"]) in OPERATOR_KINDS
    }
    assert set(kinds) == OPERATOR_KINDS
    rabbit = kinds[("rabbitmq.com/v1beta1", "RabbitmqCluster")]["spec"]
    assert (
        rabbit["replicas"] == 3
        and "quorum_queue.initial_cluster_size = 3" in rabbit["rabbitmq"]["additionalConfig"]
    )
    assert rabbit["resources"]["requests"] and rabbit["resources"]["limits"]
    postgres = kinds[("postgresql.cnpg.io/v1", "Cluster")]["spec"]
    assert postgres["instances"] >= 2, "a primary and a streaming standby"
    assert postgres["resources"]["requests"] and postgres["resources"]["limits"]


def test_every_service_container_has_startup_liveness_and_readiness_probes() -> None:
    deployments = _of_kind("Deployment")
    assert {d["metadata"]["name"] for d in deployments} == set(DEPLOY_UNITS)
    for deployment in deployments:
        name = deployment["metadata"]["name"]
        containers = deployment["spec"]["template"]["spec"]["containers"]
        services = [c for c in containers if _is_service_container(c)]
        assert len(services) == 1, name
        container = services[0]
        assert container["command"][2] == f"services.{DEPLOY_UNITS[name]}"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["HTTP_PORT"] == "8080" and env["HTTP_HOST"] == "0.0.0.0", name
        relays = [c for c in containers if c["command"][:2] == ["council-debt", "relay"]]
        if name == WORKBENCH:
            assert relays == [] and "RELAY_IN_PROCESS" not in env, "the workbench has no outbox"
            continue
        assert env["RELAY_IN_PROCESS"] == "false", name
        assert [r["command"][2] for r in relays] == [SERVICES[name]]


def test_every_container_has_resources_and_a_locked_down_security_context() -> None:
    for name, pod in _pod_specs():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in _containers(pod):
            where = f"{name} {container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
            security = container["securityContext"]
            assert security["runAsNonRoot"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["capabilities"]["drop"] == ["ALL"], where


def test_images_are_pinned_to_one_release_everywhere() -> None:
    images = _kubernetes_images()
    for image in images:
        _assert_pinned(image)
    ours = {
        image.rpartition(":")[2] for image in images if image.rpartition(":")[0].endswith("/council-debt")
    }
    assert len(ours) == 1, f"one release everywhere, found {ours}"
    (release,) = ours
    job = _migrate_job()
    assert job["metadata"]["name"] == f"council-debt-migrate-{release.replace('.', '-')}"
    assert release in README


def test_services_wait_for_the_migrate_job_of_their_release() -> None:
    job = _migrate_job()
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["council-debt", "migrate"]
    assert "ttlSecondsAfterFinished" not in job["spec"], "a pod restarted later must still find the Job"
    for deployment in _of_kind("Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        if deployment["metadata"]["name"] == WORKBENCH:
            # No schema of its own and no table of anyone's: nothing to wait for, and no token to mount.
            assert "initContainers" not in pod and pod["automountServiceAccountToken"] is False
            continue
        (wait,) = pod["initContainers"]
        assert wait["command"][:2] == ["kubectl", "wait"]
        assert f"job/{job['metadata']['name']}" in wait["command"]
        assert "--for=condition=complete" in wait["command"]
        assert pod["serviceAccountName"] == "council-debt"
    (binding,) = _of_kind("RoleBinding")
    (role,) = _of_kind("Role")
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "council-debt"}]
    assert role["rules"] == [
        {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch"]}
    ]


def test_a_service_and_a_disruption_budget_per_deployment_and_recreate_for_the_single_poller() -> None:
    services = {s["metadata"]["name"]: s for s in _of_kind("Service")}
    budgets = {b["metadata"]["name"]: b for b in _of_kind("PodDisruptionBudget")}
    for deployment in _of_kind("Deployment"):
        name, labels = deployment["metadata"]["name"], deployment["spec"]["template"]["metadata"]["labels"]
        selector = services[name]["spec"]["selector"]
        assert selector.items() <= labels.items(), name
        assert services[name]["spec"]["ports"][0]["targetPort"] == "http"
        assert budgets[name]["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
    gateway = next(d for d in _of_kind("Deployment") if d["metadata"]["name"] == "agents-gateway")
    assert gateway["spec"]["strategy"]["type"] == "Recreate" and gateway["spec"]["replicas"] == 1
    others = [d for d in _of_kind("Deployment") if d["metadata"]["name"] != "agents-gateway"]
    assert all(d["spec"]["strategy"]["type"] == "RollingUpdate" for d in others)


def test_the_ingress_reaches_the_push_endpoint_the_approvals_page_and_the_workbench_over_tls() -> None:
    (ingress,) = _of_kind("Ingress")
    services = {s["metadata"]["name"] for s in _of_kind("Service")}
    routes = {
        (rule["host"], path["path"]): path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert set(routes.values()) <= services
    assert ("breathing-space.council.example", "/notifications") in routes
    assert routes[("writeoff.council.example", "/approvals")] == "writeoff"
    assert routes[("workbench.council.example", "/")] == WORKBENCH
    tls_hosts = {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    assert {host for host, _ in routes} <= tls_hosts
    assert all(tls["secretName"] for tls in ingress["spec"]["tls"])


def _cron(name: str) -> dict[str, Any]:
    (cron,) = [c for c in _of_kind("CronJob") if c["metadata"]["name"] == name]
    return cron


def test_the_daily_runs_due_are_requested_every_quarter_hour_at_the_configured_time() -> None:
    cron = _cron("recovery-daily-run")
    assert cron["spec"]["timeZone"] == "Europe/London"
    assert cron["spec"]["schedule"] == "*/15 * * * *"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    (container,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["council-debt", "recovery", "request-due-daily-runs"]
    assert _amqp_key(container) == "AMQP_URL_RECOVERY", "the requests are recovery's events"
    config_maps = {c["metadata"]["name"]: c["data"] for c in _of_kind("ConfigMap")}
    sources = [s["configMapRef"]["name"] for s in container["envFrom"] if "configMapRef" in s]
    times = [
        config_maps[name]["RECOVERY_DAILY_RUN_AT"]
        for name in sources
        if "RECOVERY_DAILY_RUN_AT" in config_maps[name]
    ]
    assert len(times) == 1 and re.fullmatch(r"\d\d:\d\d", times[0]), times
    # The recovery pods do not schedule runs themselves in Kubernetes: the CronJob does.
    for deployment in _of_kind("Deployment"):
        for source in deployment["spec"]["template"]["spec"]["containers"][0].get("envFrom", []):
            name = source.get("configMapRef", {}).get("name")
            assert name is None or "RECOVERY_DAILY_RUN_AT" not in config_maps[name], deployment["metadata"]
    recovery = _compose()["services"]["recovery"]
    assert recovery["environment"]["RECOVERY_DAILY_RUN_AT"] == "06:30", (
        "compose: recovery requests its own runs"
    )
    assert "catching up" in README.lower() or "catch up" in README.lower()
    assert "request-due-daily-runs" in README


def _referenced_secrets() -> dict[str, set[str]]:
    """Secret name -> keys named explicitly (an envFrom secretRef or a mounted volume names no key)."""
    referenced: dict[str, set[str]] = {}
    for _, pod in _pod_specs():
        for container in _containers(pod):
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    referenced.setdefault(source["secretRef"]["name"], set())
            for variable in container.get("env", []):
                key_ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if key_ref:
                    referenced.setdefault(key_ref["name"], set()).add(key_ref["key"])
        for volume in pod.get("volumes", []):
            if "secret" in volume:
                keys = {item["key"] for item in volume["secret"].get("items", [])}
                referenced.setdefault(volume["secret"]["secretName"], set()).update(keys)
    for ingress in _of_kind("Ingress"):
        for tls in ingress["spec"]["tls"]:
            referenced.setdefault(tls["secretName"], set()).update({"tls.crt", "tls.key"})
    for user in _of_kind("User"):
        referenced.setdefault(user["spec"]["importCredentialsSecret"]["name"], set()).update(
            {"username", "password"}
        )
    return {name: keys for name, keys in referenced.items() if name not in GENERATED_SECRETS}


def test_the_print_batch_runs_each_working_evening_into_its_volume_and_old_letters_are_purged_monthly() -> (
    None
):
    printing, purging = _cron("recovery-print-run"), _cron("recovery-purge-letters")
    assert printing["spec"]["schedule"] == "0 19 * * 1-5" and printing["spec"]["timeZone"] == "Europe/London"
    pod = printing["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["council-debt", "recovery", "print-run"]
    folder = {e["name"]: e.get("value") for e in container["env"]}["RECOVERY_LETTERS_PRINT_FOLDER"]
    mounted = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    claims = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName") for v in pod["volumes"]}
    assert claims[mounted[folder]] in {c["metadata"]["name"] for c in _of_kind("PersistentVolumeClaim")}
    # Delivered by SFTP: every setting LetterSettings needs, the key and pinned host key from the mounted Secret.
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["RECOVERY_LETTERS_PRINT_DESTINATION"] == "sftp"
    for name in ("HOST", "PORT", "USERNAME", "REMOTE_FOLDER"):
        assert env[f"RECOVERY_LETTERS_SFTP_{name}"], name
    secrets = {v["name"]: v["secret"] for v in pod["volumes"] if "secret" in v}
    for setting, key in (("KEY_PATH", "id_ed25519"), ("KNOWN_HOSTS", "known_hosts")):
        path = PurePosixPath(env[f"RECOVERY_LETTERS_SFTP_{setting}"])
        volume = mounted[str(path.parent)]
        assert secrets[volume]["secretName"] == "council-debt-print-sftp"
        assert {"key": key, "path": path.name} in secrets[volume]["items"]
    (purge,) = purging["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert purge["command"] == ["council-debt", "recovery", "purge-letters"]
    assert purging["spec"]["schedule"] == "30 2 1 * *"


def test_every_secret_referenced_is_in_the_example_layout_and_documented() -> None:
    example = {
        d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
        for file, d in DOCUMENTS
        if file == "secrets.yaml"
    }
    referenced = _referenced_secrets()
    assert referenced, "the manifests name their secrets"
    for name, keys in referenced.items():
        assert name in example, f"Secret {name} is not in examples/secrets.yaml"
        assert keys <= example[name], (
            f"Secret {name}: keys {keys - example[name]} not in examples/secrets.yaml"
        )
    for name, keys in example.items():
        assert f"`{name}`" in README, f"Secret {name} is not documented in deploy/README.md"
        for key in keys:
            assert f"`{key}`" in README, f"key {key} of Secret {name} is not documented in deploy/README.md"
    for _, document in DOCUMENTS:
        secret = document.get("stringData", {}) if document["kind"] == "Secret" else {}
        for key, value in secret.items():
            if key == "username":  # a broker user's name, not a secret
                assert value in BROKER_USERS, document["metadata"]["name"]
                continue
            assert "CHANGE-ME" in value or value.strip().endswith("[]"), (
                "placeholders only, never real values"
            )
    for name in GENERATED_SECRETS:
        assert f"`{name}`" in README, f"generated Secret {name} is not documented in deploy/README.md"


# --- compose -------------------------------------------------------------------------------------------------


def test_compose_passes_the_compose_spec_schema() -> None:
    schema = DEPLOY / "schemas" / "compose-spec.json"
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _docker_compose_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return (
            subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=10).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def _example_environment() -> dict[str, str]:
    lines = (DEPLOY / "compose.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name: value for name, value in pairs}


@pytest.mark.skipif(
    not _docker_compose_answers(), reason="no docker compose here (the schema check still ran)"
)
def test_docker_compose_config_accepts_the_file() -> None:
    environment = {**os.environ, **_example_environment()}
    checked = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert checked.returncode == 0, checked.stderr


def test_compose_starts_in_order_of_health_and_publishes_the_officer_pages() -> None:
    services = _compose()["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    for node in ("rabbitmq-1", "rabbitmq-2", "rabbitmq-3"):
        assert "rabbitmq-diagnostics" in services[node]["healthcheck"]["test"]
    assert not any("standby" in name for name in services), "no PostgreSQL standby unless it really works"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["broker-users"]["depends_on"]["rabbitmq-1"]["condition"] == "service_healthy"
    for name, service in services.items():
        if name in {"postgres", "migrate", "broker-users"} or name.startswith("rabbitmq"):
            continue
        if name == WORKBENCH:
            # No schema and no broker: it starts after the services it calls, and waits for nothing else.
            assert set(service["depends_on"]) == set(SERVICES.values())
        else:
            assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
            assert service["depends_on"]["broker-users"]["condition"] == "service_completed_successfully", (
                name
            )
        assert service["deploy"]["resources"]["limits"], name
        if service["command"][:2] == ["python", "-m"] and service["command"][2].startswith("services."):
            assert "/healthz" in " ".join(service["healthcheck"]["test"]), name
            assert service["ports"], f"{name} publishes its HTTP port"
            assert service["environment"]["HTTP_PORT"] == "8080", name
    assert services["agents_gateway"]["deploy"]["replicas"] == 1
    assert set(SERVICES.values()) | {WORKBENCH} <= set(services)
    for service in services.values():
        if "image" in service:
            _assert_pinned(service["image"].replace("${COUNCIL_DEBT_VERSION:-", "").rstrip("}"))


def _cron_as_schedule(cron: str) -> tuple[str, str, str]:
    """A CronJob's 'minute hour day-of-month * day-of-week' as (HH:MM, day of month, weekdays)."""
    minute, hour, day_of_month, month, weekdays = cron.split()
    assert month == "*", cron
    return f"{int(hour):02d}:{int(minute):02d}", day_of_month, weekdays


@pytest.mark.parametrize(
    ("service", "cron_job"),
    [("recovery-print-run", "recovery-print-run"), ("recovery-purge-letters", "recovery-purge-letters")],
)
def test_compose_runs_each_letter_job_on_the_schedule_of_its_cronjob(service: str, cron_job: str) -> None:
    compose = _compose()
    job = compose["services"][service]
    cron = _cron(cron_job)
    (container,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert job["command"][:3] == ["python", "-m", "deploy.compose.letter_schedule"]
    schedule, command = parse(job["command"][3:])
    assert command == container["command"], "the same council-debt command as the CronJob"
    at, day_of_month, weekdays = _cron_as_schedule(cron["spec"]["schedule"])
    assert cron["spec"]["timeZone"] == "Europe/London"  # the schedule's times are England's too
    assert schedule.at.strftime("%H:%M") == at
    if day_of_month == "*":
        first, last = (int(d) for d in weekdays.split("-"))  # cron: Monday 1; the schedule: Monday 0
        assert schedule.weekdays == frozenset(range(first - 1, last)) and schedule.day_of_month is None
    else:
        assert schedule.day_of_month == int(day_of_month) and weekdays == "*" and not schedule.weekdays
    assert schedule.late_by.total_seconds() == cron["spec"]["startingDeadlineSeconds"], "late as the CronJob"
    assert job["environment"]["AMQP_URL"] == compose["x-broker-urls"]["recovery"], (
        "recovery's own broker user"
    )
    assert job["deploy"]["replicas"] == 1, "one schedule, so no two runs side by side"
    assert job["read_only"] and job["cap_drop"] == ["ALL"]


def test_compose_writes_the_print_batch_to_a_named_volume_the_council_user_owns() -> None:
    compose = _compose()
    job = compose["services"]["recovery-print-run"]
    folder = PurePosixPath(job["environment"]["RECOVERY_LETTERS_PRINT_FOLDER"])
    assert job["environment"]["RECOVERY_LETTERS_PRINT_DESTINATION"] == "folder"
    mounts = dict(reversed(m.split(":")[:2]) for m in job["volumes"])
    (mount,) = [
        path for path in mounts if folder == PurePosixPath(path) or PurePosixPath(path) in folder.parents
    ]
    assert mounts[mount] in compose["volumes"], "a named volume, kept across restarts"
    # A new named volume takes the owner of the image's folder it is mounted on: the image makes that folder the
    # council user's (the user every container runs as), so the print run can write its batches there.
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(rf"chown -R council:council {re.escape(mount)}\b", dockerfile), mount
    assert "USER 10001:10001" in dockerfile
    for name in ("recovery-print-run", "recovery-purge-letters", "print-batches", "letter_schedule"):
        assert name in README, f"deploy/README.md says nothing of {name}"


def test_compose_secrets_come_from_the_documented_env_file() -> None:
    required = set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text()))
    assert {
        "POSTGRES_PASSWORD",
        "RABBITMQ_PASSWORD",
        "AUTH_ISSUER",
        "WRITEOFF_AUTH_SESSION_SECRET",
        "WORKBENCH_AUTH_CLIENT_SECRET",
        "WORKBENCH_AUTH_SESSION_SECRET",
    } <= required
    example = _example_environment()
    for name in required:
        assert name in example and "CHANGE-ME" in example[name], f"{name} missing from compose.env.example"
        assert f"`{name}`" in README, f"{name} is not documented in deploy/README.md"
    assert "council:council@" not in COMPOSE.read_text(), "no password written into compose.yaml"


def test_every_compose_variable_is_documented_in_the_example_env_file() -> None:
    referenced = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text()))
    example = (DEPLOY / "compose.env.example").read_text()
    documented = set(re.findall(r"(?:^|[#\s])([A-Z_][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert referenced, "compose takes its settings from deploy/.env"
    assert referenced <= documented, f"not in compose.env.example: {sorted(referenced - documented)}"


# --- image and lock ----------------------------------------------------------------------------------------------


def test_the_dockerfile_is_multi_stage_non_root_from_the_lock_with_a_healthcheck() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line and not line[0].isspace()]
    stages = [rest for word, *rest in instructions if word == "FROM"]
    assert len(stages) >= 2, "multi-stage"
    users = [rest[0].strip() for word, *rest in instructions if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert "requirements.lock" in dockerfile and "--constraint requirements.lock" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    image_argument = re.search(r"ARG PYTHON_IMAGE=(\S+)", dockerfile)
    assert image_argument
    _assert_pinned(image_argument.group(1))
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".git", ".venv", "var", ".env", "**/node_modules"} <= set(ignored)
    node_argument = re.search(r"ARG NODE_IMAGE=(\S+)", dockerfile)
    assert node_argument
    _assert_pinned(node_argument.group(1))


def test_the_image_carries_the_workbench_gov_uk_frontend_built_from_its_lock() -> None:
    """GOV.UK Frontend comes from services/workbench/package-lock.json (`npm ci`, runtime packages only) in a
    stage of its own, and only its built files reach the runtime stage, where the workbench serves them from."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)[1:]
    (assets,) = [stage for stage in stages if stage.split()[:3] == ["${NODE_IMAGE}", "AS", "assets"]]
    assert "COPY services/workbench/package.json services/workbench/package-lock.json" in assets
    assert "npm ci --omit=dev" in assets and "--ignore-scripts" in assets
    runtime = stages[-1]
    assert "node" not in runtime.split()[0].lower(), "no Node.js in the runtime image"
    served = WorkbenchSettings().assets_directory.relative_to(ROOT)
    copies = [
        " ".join(line.split())
        for line in runtime.replace("\\\n", " ").splitlines()
        if line.startswith("COPY --from=assets")
    ]
    assert copies == [f"COPY --from=assets /src/{served} ./{served}"], copies
    assert (ROOT / "services" / "workbench" / "package-lock.json").exists()


def test_the_lock_pins_every_dependency_exactly() -> None:
    lines = [
        line for line in (ROOT / "requirements.lock").read_text().splitlines() if line and line[0] != "#"
    ]
    pinned = {}
    for line in lines:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==" and not requirement.url, line
        pinned[canonicalize_name(requirement.name)] = specifier.version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    for dependency in wanted:
        requirement = Requirement(dependency)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{name}=={pinned[name]} vs {dependency}"
        )


# --- broker users --------------------------------------------------------------------------------------------


def _script_calls() -> dict[str, dict[str, list[str]]]:
    """user -> {"user": [password variable, tags], "permit": [configure, write, read], "topic": [write, read]}."""
    calls: dict[str, dict[str, list[str]]] = {}
    for line in BROKER_USERS_SCRIPT.read_text().splitlines():
        words = shlex.split(line) if line[:1].isalpha() else []
        if words and words[0] in {"user", "permit", "topic"}:
            function, user, *arguments = words
            assert function not in calls.get(user, {}), f"{function} {user} twice"
            calls.setdefault(user, {})[function] = arguments
    return calls


def test_the_compose_script_gives_each_broker_user_exactly_the_permissions_of_broker_identity() -> None:
    calls = _script_calls()
    assert set(calls) == set(BROKER_USERS)
    for user in BROKER_USERS:
        expected = _expected_permissions(user)
        variable, tags = calls[user]["user"]
        assert variable == f"BROKER_PASSWORD_{user.upper()}"
        assert tags == ("impersonator" if user == DEAD_LETTER_TRAY else ""), user
        assert calls[user]["permit"] == [expected.configure, expected.write, expected.read], user
        assert calls[user]["topic"] == [expected.publish_topics, _expected_topic_read(user)], user
    script = BROKER_USERS_SCRIPT.read_text()
    assert f'set_topic_permissions -p / "$1" {EVENTS_EXCHANGE} ' in script
    assert "change_password" in script and "add_user" in script, (
        "idempotent: an existing user gets its password"
    )
    assert subprocess.run(["bash", "-n", str(BROKER_USERS_SCRIPT)], capture_output=True).returncode == 0


def test_the_compose_broker_users_service_runs_the_script_with_every_password() -> None:
    services = _compose()["services"]
    job = services["broker-users"]
    assert job["image"] == services["rabbitmq-1"]["image"]
    assert job["restart"] == "no"
    assert "./rabbitmq/broker-users.sh:/etc/rabbitmq/broker-users.sh:ro" in job["volumes"]
    assert job["command"] == ["bash", "/etc/rabbitmq/broker-users.sh"]
    environment = job["environment"]
    assert (
        environment["RABBITMQ_ERLANG_COOKIE"]
        == services["rabbitmq-1"]["environment"]["RABBITMQ_ERLANG_COOKIE"]
    )
    for user in BROKER_USERS:
        variable = f"BROKER_PASSWORD_{user.upper()}"
        assert environment[variable].startswith(f"${{{variable}:?"), (
            f"compose must refuse to start without {variable}"
        )


def _kubernetes_users() -> dict[str, dict[str, Any]]:
    """Broker user -> {"user": its User resource (None for the tray), "permission": ..., "topic": ...}."""
    usernames = {
        d["metadata"]["name"]: d["stringData"]["username"]
        for file, d in DOCUMENTS
        if file == "secrets.yaml" and "username" in d.get("stringData", {})
    }
    by_resource = {
        u["metadata"]["name"]: usernames[u["spec"]["importCredentialsSecret"]["name"]]
        for u in _of_kind("User")
    }
    found: dict[str, dict[str, Any]] = {}
    for user in _of_kind("User"):
        found.setdefault(by_resource[user["metadata"]["name"]], {})["user"] = user
    for kind, key in (("Permission", "permission"), ("TopicPermission", "topic")):
        for resource in _of_kind(kind):
            spec = resource["spec"]
            name = spec["user"] if "user" in spec else by_resource[spec["userReference"]["name"]]
            assert key not in found.get(name, {}), f"two {kind}s for {name}"
            found.setdefault(name, {})[key] = resource
    return found


def test_the_topology_resources_give_each_broker_user_exactly_the_permissions_of_broker_identity() -> None:
    found = _kubernetes_users()
    assert set(found) == set(BROKER_USERS)
    (cluster,) = _of_kind("RabbitmqCluster")
    for user in BROKER_USERS:
        expected = _expected_permissions(user)
        permission, topic = found[user]["permission"]["spec"], found[user]["topic"]["spec"]
        for spec in (permission, topic):
            assert spec["vhost"] == "/" and spec["rabbitmqClusterReference"] == {
                "name": cluster["metadata"]["name"]
            }
        assert permission["permissions"] == {
            "configure": expected.configure,
            "write": expected.write,
            "read": expected.read,
        }, user
        assert topic["permissions"] == {
            "exchange": EVENTS_EXCHANGE,
            "write": expected.publish_topics,
            "read": _expected_topic_read(user),
        }, user
        if user != DEAD_LETTER_TRAY:
            spec = found[user]["user"]["spec"]
            assert spec["tags"] == [] and spec["rabbitmqClusterReference"] == {
                "name": cluster["metadata"]["name"]
            }
    for resource in _of_kind("User"):
        assert set(resource["spec"].get("tags", [])) <= USER_CR_TAGS, (
            "the User resource's CRD refuses other tags"
        )
    assert "user" not in found[DEAD_LETTER_TRAY], "a User resource cannot carry the impersonator tag"


def test_the_dead_letter_tray_user_is_created_with_the_impersonator_tag() -> None:
    (job,) = [j for j in _of_kind("Job") if j["metadata"]["name"] == "broker-user-dead-letter-tray"]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    command = " ".join(container["command"])
    assert "rabbitmqadmin" in command and "declare user" in command and "tags=impersonator" in command
    (cluster,) = _of_kind("RabbitmqCluster")
    assert f"--host={cluster['metadata']['name']}" in command
    assert container["image"] == cluster["spec"]["image"]
    secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert (
        secrets["TRAY_USERNAME"]["name"]
        == secrets["TRAY_PASSWORD"]["name"]
        == "council-debt-broker-dead-letter-tray"
    )
    assert secrets["ADMIN_PASSWORD"]["name"] in GENERATED_SECRETS


def test_every_kubernetes_service_and_relay_connects_as_its_own_broker_user() -> None:
    keys: dict[str, str] = {}
    for deployment in _of_kind("Deployment"):
        if deployment["metadata"]["name"] == WORKBENCH:
            continue  # no broker (test_the_workbench_is_deployed_with_no_broker_and_no_database)
        service = SERVICES[deployment["metadata"]["name"]]
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert _amqp_key(container) == f"AMQP_URL_{service.upper()}", container["name"]
        keys[service] = f"AMQP_URL_{service.upper()}"
    assert len(set(keys.values())) == len(SERVICES), "no two services share a broker user"
    (council_debt,) = [
        d for file, d in DOCUMENTS if file == "secrets.yaml" and d["metadata"]["name"] == "council-debt"
    ]
    for service, key in keys.items():
        assert user_of(council_debt["stringData"][key]) == service, key
    assert "AMQP_URL" not in council_debt["stringData"], (
        "no shared AMQP_URL left for a service to fall back on"
    )


def test_every_compose_service_and_relay_connects_as_its_own_broker_user() -> None:
    users: dict[str, str] = {}
    for name, service in _compose()["services"].items():
        command = service.get("command", [])
        if command[:3] == ["python", "-m", "deploy.compose.letter_schedule"]:
            command = command[command.index("--") + 1 :]  # a scheduled one-shot: its service's own command
        if command == ["python", "-m", f"services.{WORKBENCH}"]:
            assert "AMQP_URL" not in service["environment"], "the workbench has no broker"
            continue
        if command[:2] == ["python", "-m"]:
            owner = command[2].removeprefix("services.")
        elif command[:2] == ["council-debt", "relay"]:
            owner = command[2]
        elif command[:1] == ["council-debt"] and command[1].replace("-", "_") in SERVICES.values():
            owner = command[1].replace("-", "_")  # council-debt <service> <command>: that service's job
        else:
            assert "AMQP_URL" not in service.get("environment", {}), f"{name} needs no broker user"
            continue
        url = service["environment"]["AMQP_URL"]
        user = user_of(re.sub(r"\$\{[^}]*\}", "password", url))  # the password from deploy/.env
        assert user == owner, f"{name} connects as {user!r}, not as {owner!r}"
        assert f"${{BROKER_PASSWORD_{owner.upper()}:?" in url, name
        users[name] = owner
    assert set(users.values()) == set(SERVICES.values())


# --- the officers' workbench -------------------------------------------------------------------------------------


def _kubernetes_workbench() -> dict[str, Any]:
    (deployment,) = [d for d in _of_kind("Deployment") if d["metadata"]["name"] == WORKBENCH]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


def test_the_workbench_is_deployed_with_no_broker_and_no_database() -> None:
    container = _kubernetes_workbench()
    names = {e["name"] for e in container["env"]}
    assert not {"AMQP_URL", "DATABASE_URL"} & names and "envFrom" in container
    assert not any("secretRef" in source for source in container["envFrom"]), "only the ConfigMap"
    compose = _compose()["services"][WORKBENCH]
    assert not {"AMQP_URL", "DATABASE_URL"} & set(compose["environment"])


def test_the_workbench_calls_each_service_at_its_own_api_in_kubernetes_and_compose() -> None:
    fields = WorkbenchSettings.model_fields
    assert set(WORKBENCH_CALLS.values()) <= set(fields), "a service the workbench no longer calls"
    called = {name for name in fields if name.endswith("_url") and name != "writeoff_pages_url"}
    assert called == set(WORKBENCH_CALLS.values()), "a service the workbench calls is not deployed for it"
    kubernetes = {e["name"]: e.get("value") for e in _kubernetes_workbench()["env"]}
    service_names = {s["metadata"]["name"] for s in _of_kind("Service")}
    compose = _compose()["services"]
    environment = compose[WORKBENCH]["environment"]
    for deployment, package in SERVICES.items():
        variable = f"WORKBENCH_{WORKBENCH_CALLS[package].upper()}"
        assert kubernetes[variable] == f"http://{deployment}" and deployment in service_names, variable
        assert environment[variable] == f"http://{package}:8080" and package in compose, variable
    ingress_hosts = {rule["host"] for ingress in _of_kind("Ingress") for rule in ingress["spec"]["rules"]}
    pages = kubernetes["WORKBENCH_WRITEOFF_PAGES_URL"]
    assert pages.startswith("https://") and pages.removeprefix("https://") in ingress_hosts
    assert "WRITEOFF_PUBLIC_BASE_URL" in environment["WORKBENCH_WRITEOFF_PAGES_URL"]


def test_the_workbench_signs_officers_in_as_its_own_client_at_its_public_address() -> None:
    references = {
        e["name"]: e["valueFrom"]["secretKeyRef"] for e in _kubernetes_workbench()["env"] if "valueFrom" in e
    }
    for key in ("AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET", "AUTH_SESSION_SECRET"):
        assert references[key] == {"name": "council-debt-workbench", "key": key}
    kubernetes = {e["name"]: e.get("value") for e in _kubernetes_workbench()["env"]}
    (ingress,) = _of_kind("Ingress")
    (host,) = [
        r["host"]
        for r in ingress["spec"]["rules"]
        if r["http"]["paths"][0]["backend"]["service"]["name"] == WORKBENCH
    ]
    assert kubernetes["AUTH_PUBLIC_BASE_URL"] == f"https://{host}"
    environment = _compose()["services"][WORKBENCH]["environment"]
    for key in ("AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET", "AUTH_SESSION_SECRET"):
        assert environment[key].startswith(f"${{WORKBENCH_{key}:?"), key
    assert environment["AUTH_PUBLIC_BASE_URL"].startswith("${WORKBENCH_PUBLIC_BASE_URL:?")
    writeoff = _compose()["services"]["writeoff"]["environment"]
    assert environment["AUTH_SESSION_SECRET"] != writeoff["AUTH_SESSION_SECRET"], "a session key of its own"
