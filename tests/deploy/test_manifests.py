"""The Kubernetes manifests are valid against the Kubernetes schemas and carry the Performance Guide's values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
VERSION = "1.30.0"


def _load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((K8S / name).read_text())
    return document


def _resources() -> list[str]:
    return [*_load("kustomization.yaml")["resources"], "secret.example.yaml"]


@pytest.mark.parametrize("name", _resources())
def test_every_manifest_is_valid_kubernetes(name: str) -> None:
    kubernetes_validate.validate(_load(name), VERSION, strict=True)


def test_the_validator_rejects_a_broken_manifest() -> None:
    broken = _load("deployment.yaml")
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["paht"] = "/typo"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSION, strict=True)


def test_deployment_has_the_guide_resources_probes_and_a_graceful_stop() -> None:
    pod = _load("deployment.yaml")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["resources"] == {
        "requests": {"memory": "256Mi", "cpu": "250m"},
        "limits": {"memory": "512Mi", "cpu": "500m"},
    }
    assert container["livenessProbe"]["httpGet"]["path"] == "/api/v1/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/api/v1/ready"
    assert container["startupProbe"]["httpGet"]["path"] == "/api/v1/health"
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    # the server drains in-flight requests for up to 30 s after SIGTERM (cli.py: timeout_graceful_shutdown)
    assert pod["terminationGracePeriodSeconds"] > pre_stop + 30
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_hpa_scales_three_to_ten_on_cpu_and_scales_down_gently() -> None:
    hpa = _load("hpa.yaml")
    assert hpa["apiVersion"] == "autoscaling/v2"
    spec = hpa["spec"]
    assert (spec["minReplicas"], spec["maxReplicas"]) == (3, 10)
    assert spec["metrics"][0]["resource"] == {
        "name": "cpu",
        "target": {"type": "Utilization", "averageUtilization": 70},
    }
    assert spec["scaleTargetRef"]["name"] == _load("deployment.yaml")["metadata"]["name"]
    assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300


def test_service_pdb_and_scrape_annotations_select_the_pods() -> None:
    labels = _load("deployment.yaml")["spec"]["template"]["metadata"]["labels"]
    for name in ("service.yaml",):
        assert _load(name)["spec"]["selector"].items() <= labels.items()
    assert _load("pdb.yaml")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    annotations = _load("deployment.yaml")["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"


def test_settings_in_the_config_map_are_valid_settings() -> None:
    from marketing_project.settings import load_settings

    settings = load_settings(_env_file=None, **{k.lower(): v for k, v in _load("configmap.yaml")["data"].items()})
    assert settings.workers == 1
