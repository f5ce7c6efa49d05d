{{/* Names and labels */}}
{{- define "pharos.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pharos.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
pharos.io/region: {{ .Values.region | quote }}
{{- end -}}

{{- define "pharos.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pharos.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "pharos.secretName" -}}
{{- default (printf "%s-secrets" (include "pharos.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* This release's controllers: the peers of .Values.region, in order. A list of peer ids joined by spaces. */}}
{{- define "pharos.localIds" -}}
{{- $ids := list -}}
{{- range .Values.peers -}}{{- if eq .region $.Values.region -}}{{- $ids = append $ids .id -}}{{- end -}}{{- end -}}
{{- join " " $ids -}}
{{- end -}}

{{/* Checks the schema cannot express; fails the render naming the value. Included by every template. */}}
{{- define "pharos.validate" -}}
{{- if not .Values.region -}}
{{- fail "region: is required (this cluster's region, one of config.regions[].name)" -}}
{{- end -}}
{{- $seen := dict -}}
{{- range $i, $p := .Values.peers -}}
{{- if hasKey $seen $p.id -}}
{{- fail (printf "peers[%d].id: controller id '%s' is used twice (ids must be unique)" $i $p.id) -}}
{{- end -}}
{{- $_ := set $seen $p.id true -}}
{{- end -}}
{{- $regions := list -}}
{{- range .Values.config.regions -}}{{- $regions = append $regions .name -}}{{- end -}}
{{- if not (has .Values.region $regions) -}}
{{- fail (printf "region: '%s' is not one of config.regions[].name %v" .Values.region $regions) -}}
{{- end -}}
{{- range $i, $p := .Values.peers -}}
{{- if not (has $p.region $regions) -}}
{{- fail (printf "peers[%d].region: '%s' is not one of config.regions[].name %v" $i $p.region $regions) -}}
{{- end -}}
{{- end -}}
{{- if .Values.controller.enabled -}}
{{- $local := splitList " " (include "pharos.localIds" .) | compact -}}
{{- if gt (int .Values.controller.replicas) (len $local) -}}
{{- fail (printf "controller.replicas: %d controllers asked for region '%s', but peers names %d there %v" (int .Values.controller.replicas) .Values.region (len $local) $local) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.secrets.existingSecret -}}
{{- if and .Values.controller.enabled (not .Values.secrets.masterSecret) -}}
{{- fail "secrets.masterSecret: is required for the controllers (or name secrets.existingSecret)" -}}
{{- end -}}
{{- if and .Values.controller.enabled (not .Values.secrets.controllerKey) -}}
{{- fail "secrets.controllerKey: the controllers' Ed25519 private key (PEM) is required (or name secrets.existingSecret)" -}}
{{- end -}}
{{- if and .Values.controller.enabled (not .Values.certManager.enabled) -}}
{{- if not .Values.secrets.raftCa -}}
{{- fail "secrets.raftCa: the controllers' CA certificate is required for Raft mutual TLS (or certManager.enabled, or secrets.existingSecret)" -}}
{{- end -}}
{{- range $id := splitList " " (include "pharos.localIds" .) | compact -}}
{{- $c := index $.Values.secrets.raftCerts $id | default dict -}}
{{- if not (and $c.crt $c.key) -}}
{{- fail (printf "secrets.raftCerts.%s: this region's controller %s needs crt and key (PEM) for Raft mutual TLS" $id $id) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.agent.enabled (not .Values.nodeLabelRegion.enabled) (not .Values.secrets.regionKey) -}}
{{- fail (printf "secrets.regionKey: the agents need region %s's key (pharos keys derive --region %s), or name secrets.existingSecret" .Values.region .Values.region) -}}
{{- end -}}
{{- if and .Values.agent.enabled .Values.nodeLabelRegion.enabled -}}
{{- range $r := $regions -}}
{{- if not (index $.Values.secrets.regionKeys $r) -}}
{{- fail (printf "secrets.regionKeys.%s: node-label mode needs every region's key" $r) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.certManager.enabled (not .Values.certManager.issuerRef.name) -}}
{{- fail "certManager.issuerRef.name: is required when certManager.enabled" -}}
{{- end -}}
{{- if not .Values.security.controllerPublicKey -}}
{{- fail "security.controllerPublicKey: the controllers' Ed25519 public key is required (pharos keys generate)" -}}
{{- end -}}
{{- end -}}

{{/* Environment variable name for a region's key in node-label mode: PHAROS_REGION_KEY_<REGION> */}}
{{- define "pharos.regionKeyVar" -}}
{{- printf "PHAROS_REGION_KEY_%s" (. | upper | replace "-" "_" | replace "." "_") -}}
{{- end -}}

{{/*
The Pharos config both kinds of pod read, as a dict. Argument: (dict "root" $ "agent" bool). For agents the
region's own peers' Hazelcast address is the release's controller Service (agent.bootstrapLocal), and no
controller-only file is named.
*/}}
{{- define "pharos.config" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $cfg := dict "regions" $v.config.regions -}}
{{- if $v.config.environment -}}{{- $_ := set $cfg "environment" $v.config.environment -}}{{- end -}}
{{- range $k := list "dns" "probes" "policy" -}}
{{- if index $v.config $k -}}{{- $_ := set $cfg $k (index $v.config $k) -}}{{- end -}}
{{- end -}}
{{- $svc := printf "%s-controller.%s.svc" (include "pharos.fullname" $root) $root.Release.Namespace -}}
{{- $peers := list -}}
{{- range $p := $v.peers -}}
{{- $q := deepCopy $p -}}
{{- if not $q.dns -}}{{- $_ := set $q "dns" (printf "0.0.0.0:%d" (int $v.controller.ports.dns)) -}}{{- end -}}
{{- if and $.agent $v.agent.bootstrapLocal $v.controller.enabled (eq $p.region $v.region) -}}
{{- $_ := set $q "hazelcast" (printf "%s:%d" $svc (int $v.controller.ports.hazelcast)) -}}
{{- end -}}
{{- $peers = append $peers $q -}}
{{- end -}}
{{- $controllers := dict "group" $v.config.group "storageDir" "/data" "peers" $peers -}}
{{- if $v.config.electionTimeoutMin -}}{{- $_ := set $controllers "electionTimeoutMin" $v.config.electionTimeoutMin -}}{{- end -}}
{{- if $v.config.electionTimeoutMax -}}{{- $_ := set $controllers "electionTimeoutMax" $v.config.electionTimeoutMax -}}{{- end -}}
{{- $_ := set $controllers "tls" (dict "certFile" "/etc/pharos/raft/raft-{id}.crt" "keyFile" "/etc/pharos/raft/raft-{id}.key" "caFile" "/etc/pharos/raft/raft-ca.crt") -}}
{{- $_ := set $cfg "controllers" $controllers -}}
{{- $sec := dict "controllerPublicKey" $v.security.controllerPublicKey "masterSecretEnv" "PHAROS_MASTER_SECRET" "regionKeyEnv" "PHAROS_REGION_KEY" -}}
{{- range $k := list "controllerPreviousPublicKey" "previousKeyGrace" "agentStateExpiry" -}}
{{- if index $v.security $k -}}{{- $_ := set $sec $k (index $v.security $k) -}}{{- end -}}
{{- end -}}
{{- if not $.agent -}}{{- $_ := set $sec "controllerKeyFile" "/etc/pharos/keys/controller-key.pem" -}}{{- end -}}
{{- $_ := set $cfg "security" $sec -}}
{{- $api := deepCopy $v.config.api -}}
{{- if not $.agent -}}{{- $_ := set $api "tokensFile" "/etc/pharos/api/api-tokens" -}}{{- end -}}
{{- if $api -}}{{- $_ := set $cfg "api" $api -}}{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}
