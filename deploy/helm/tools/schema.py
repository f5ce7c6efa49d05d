#!/usr/bin/env python3
"""Writes deploy/helm/pharos/values.schema.json. Every object is closed (additionalProperties: false), so a typo
or a wrong type fails `helm install/template/lint` with the field named. The config keys mirror core/config's
readers (ConfigLoader, DnsConfigReader, ApiReader); Pharos validates the values themselves again at start.
Run after changing values.yaml: python3 deploy/helm/tools/schema.py"""
import json, os

def obj(props, required=(), **extra):
    o = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        o["required"] = list(required)
    o.update(extra)
    return o

def free_keys(value_schema, **extra):
    """A map keyed by names the chart cannot know (regions, labels): the values are typed."""
    o = {"type": "object", "additionalProperties": value_schema}
    o.update(extra)
    return o

S = {"type": "string"}
B = {"type": "boolean"}
I = {"type": "integer"}
N = {"type": "number"}
DUR = {"type": "string", "pattern": r"^$|^[0-9]+(ms|s|m|h|d)$", "description": "a duration: 500ms, 30s, 5m, 1h"}
HOSTPORT = {"type": "string", "pattern": r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$",
            "description": "host:port (a DNS name or an IP address)"}
ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}
CIDR = {"type": "string", "pattern": r"^[0-9a-fA-F.:]+/[0-9]{1,3}$"}
STRINGS = {"type": "array", "items": S}
QUANTITY = {"type": ["string", "integer"]}
RESOURCES = obj({"requests": obj({"cpu": QUANTITY, "memory": QUANTITY, "ephemeral-storage": QUANTITY}),
                 "limits": obj({"cpu": QUANTITY, "memory": QUANTITY, "ephemeral-storage": QUANTITY})})
TOLERATION = obj({"key": S, "operator": {"enum": ["Exists", "Equal"]}, "value": S,
                  "effect": {"enum": ["", "NoSchedule", "PreferNoSchedule", "NoExecute"]},
                  "tolerationSeconds": I})
LABELS = free_keys(S)

peer = obj({
    "id": ID,
    "region": ID,
    "raft": HOSTPORT,
    "hazelcast": HOSTPORT,
    "api": HOSTPORT,
    "dns": dict(HOSTPORT, description="where the DNS server binds in its pod (default 0.0.0.0:<controller.ports.dns>)"),
    "dnsAdvertise": {"type": "string", "description": "IPv4 address (and port) resolvers reach it at"},
}, required=["id", "region", "raft", "hazelcast", "api", "dnsAdvertise"])

endpoint = obj({"id": ID, "url": S, "tcp": HOSTPORT, "expect": obj({"status": I, "body": S}),
                "latencyBudget": DUR, "interval": DUR, "timeout": DUR, "critical": B}, required=["id"])
region = obj({"name": ID, "endpoints": {"type": "array", "items": endpoint, "minItems": 1}},
             required=["name", "endpoints"])
record = obj({"name": S, "type": {"enum": ["A", "AAAA", "CNAME"]}, "ttl": I,
              "targets": free_keys(STRINGS), "weights": free_keys(I),
              "aliases": free_keys(obj({"dnsName": S, "hostedZoneId": S, "evaluateTargetHealth": B}))},
             required=["name"])
dns = obj({
    "provider": {"enum": ["embedded", "route53", "rfc2136"]},
    "zone": S,
    "records": {"type": "array", "items": record},
    "route53": obj({k: (I if k in ("maxAttempts", "breakerFailures") else N if k == "requestsPerSecond" else
                        S if k in ("hostedZoneId", "region", "endpoint") else DUR)
                    for k in ("hostedZoneId", "region", "endpoint", "requestsPerSecond", "insyncDeadline",
                              "pollInterval", "maxAttempts", "backoffBase", "backoffMax", "requestTimeout",
                              "breakerFailures", "breakerOpenFor", "fencingTtl")}),
    "rfc2136": obj({"server": HOSTPORT, "tsigKeyName": S, "tsigKeyEnv": S,
                    "tsigAlgorithm": {"enum": ["hmac-sha256", "hmac-sha384", "hmac-sha512"]},
                    "timeout": DUR, "fencingTtl": DUR}),
    "reconcile": obj({"interval": DUR, "drift": S}),
    "server": obj({"rateLimit": obj({"responsesPerSecond": I, "burst": I, "slip": I, "ipv4PrefixLength": I,
                                     "ipv6PrefixLength": I, "exempt": {"type": "array", "items": CIDR}}),
                   "tcp": obj({"maxConnections": I, "idleTimeout": DUR})}),
})
probes = obj({k: (I if k in ("downAfter", "upAfter") else DUR) for k in (
    "interval", "timeout", "confirmAfter", "jitter", "downAfter", "upAfter", "heartbeat", "silenceAfter",
    "maxReportAge", "agentExpiry", "tick")})
policy = obj({
    "mode": {"enum": ["auto", "approve", "observe"]}, "writePrimary": ID, "cooldown": DUR,
    "maxAutoFailovers": obj({"count": I, "per": DUR}), "failback": {"enum": ["manual", "auto"]},
    "failingErrorRate": N, "degradedErrorRate": N, "latencyBudget": DUR, "startupGrace": DUR,
    "recoverAfter": DUR, "modeLease": DUR, "selfFence": B, "degradedAfter": DUR,
    "shortEvidence": {"enum": ["approve", "alert"]}})
api = obj({"open": STRINGS, "rateLimit": obj({"failedAuthPerIp": I, "perToken": I}), "bodyLimit": I,
           "audit": obj({"retain": I})})

schema = obj({
    "region": dict(ID, description="this cluster's region"),
    "peers": {
        "type": "array", "items": peer,
        "description": "the quorum-wide controller list: 3 or 5 controllers, unique ids, the same in every release",
        "anyOf": [{"minItems": 3, "maxItems": 3}, {"minItems": 5, "maxItems": 5}],
    },
    "image": obj({"repository": S, "tag": S, "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]}}),
    "imagePullSecrets": {"type": "array", "items": obj({"name": S}, required=["name"])},
    "config": obj({"environment": S, "group": ID, "electionTimeoutMin": DUR, "electionTimeoutMax": DUR,
                   "regions": {"type": "array", "items": region}, "dns": dns, "probes": probes, "policy": policy,
                   "api": api}),
    "security": obj({"controllerPublicKey": S, "controllerPreviousPublicKey": S, "previousKeyGrace": DUR,
                     "agentStateExpiry": DUR}),
    "secrets": obj({"existingSecret": S, "masterSecret": S, "regionKey": S, "regionKeys": free_keys(S),
                    "apiTokens": S, "controllerKey": S, "raftCa": S,
                    "raftCerts": free_keys(obj({"crt": S, "key": S}, required=["crt", "key"]))}),
    "certManager": obj({"enabled": B, "issuerRef": obj({"name": S, "kind": S, "group": S}),
                        "duration": S, "renewBefore": S}),
    "controller": obj({
        "enabled": B, "replicas": {"type": "integer", "minimum": 0, "maximum": 5}, "bind": S,
        "ports": obj({"raft": I, "hazelcast": I, "api": I, "dns": I}),
        "storage": obj({"size": S, "storageClassName": S}),
        "resources": RESOURCES, "javaOpts": S,
        "terminationGracePeriodSeconds": {"type": "integer", "minimum": 1},
        "preStopSeconds": {"type": "integer", "minimum": 0},
        "podAntiAffinity": {"enum": ["required", "preferred"]},
        "nodeSelector": LABELS, "tolerations": {"type": "array", "items": TOLERATION}, "podAnnotations": LABELS,
        "service": obj({"type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]}, "dnsPort": I,
                        "annotations": LABELS}),
        "peerService": obj({"enabled": B, "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                            "annotations": LABELS}),
    }),
    "agent": obj({
        "enabled": B, "port": I, "hostNetwork": B, "bootstrapLocal": B, "resources": RESOURCES, "javaOpts": S,
        "terminationGracePeriodSeconds": {"type": "integer", "minimum": 1},
        "preStopSeconds": {"type": "integer", "minimum": 0},
        "tolerations": {"type": "array", "items": TOLERATION}, "nodeSelector": LABELS, "podAnnotations": LABELS,
        "updateStrategy": obj({"maxUnavailable": {"type": ["integer", "string"]}}),
    }),
    "nodeLabelRegion": obj({"enabled": B, "label": S}),
    "networkPolicy": obj({"enabled": B, "peerIpBlocks": {"type": "array", "items": CIDR},
                          "apiFrom": {"type": "array", "items": CIDR}, "dnsFrom": {"type": "array", "items": CIDR}}),
    "podDisruptionBudget": obj({"enabled": B}),
    "monitoring": obj({"serviceMonitor": obj({"enabled": B, "interval": DUR, "labels": LABELS}),
                       "prometheusRule": obj({"enabled": B, "labels": LABELS})}),
    # helm passes these to every chart: allowed, not used
    "global": {"type": "object"},
})
schema["$schema"] = "http://json-schema.org/draft-07/schema#"
schema["title"] = "Pharos chart values"

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pharos", "values.schema.json")
with open(out, "w") as f:
    json.dump(schema, f, indent=2)
    f.write("\n")
print(out)
