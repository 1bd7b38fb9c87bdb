{{/* Names ---------------------------------------------------------------------------------- */}}

{{- define "mc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>; call with (dict "root" $ "name" "identity"). */}}
{{- define "mc.componentName" -}}
{{- printf "%s-%s" (include "mc.fullname" .root | trunc 50 | trimSuffix "-") .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels --------------------------------------------------------------------------------- */}}

{{- define "mc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mc.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "mc.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mc.selectorLabels" . }}
app.kubernetes.io/part-of: mission-control
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Components ------------------------------------------------------------------------------- */}}

{{/* The services that own a Postgres schema, then the edge. */}}
{{- define "mc.serviceNames" -}}identity agent mission integration analytics{{- end -}}
{{- define "mc.componentNames" -}}{{ include "mc.serviceNames" . }} gateway web{{- end -}}

{{- define "mc.isService" -}}
{{- if has .name (splitList " " (include "mc.serviceNames" .root)) }}true{{ end -}}
{{- end -}}

{{/* A component runs the internal principal check: the gateway and every subgraph. */}}
{{- define "mc.needsInternalSecret" -}}
{{- $c := index .root.Values .name -}}
{{- if or (eq .name "gateway") (and (include "mc.isService" .) $c.subgraph) }}true{{ end -}}
{{- end -}}

{{- define "mc.image" -}}
{{- $repository := .image.repository | default (printf "%s/%s" .root.Values.image.registry .name) -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{- define "mc.serviceAccountName" -}}
{{- $c := index .root.Values .name -}}
{{- if $c.serviceAccount.create -}}
{{- $c.serviceAccount.name | default (include "mc.componentName" .) -}}
{{- else -}}
{{- $c.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* Replicas the component never goes below (the HPA's floor when autoscaling). */}}
{{- define "mc.minReplicas" -}}
{{- $c := index .root.Values .name -}}
{{- if $c.autoscaling.enabled }}{{ $c.autoscaling.minReplicas }}{{ else }}{{ $c.replicaCount }}{{ end -}}
{{- end -}}

{{/* Secrets -------------------------------------------------------------------------------- */}}

{{- define "mc.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "mc.fullname" .)) -}}
{{- end -}}

{{- define "mc.databaseUrl" -}}
{{- $pg := .Values.postgres -}}
{{- $auth := $pg.username | urlquery -}}
{{- if $pg.password }}{{ $auth = printf "%s:%s" $auth ($pg.password | urlquery) }}{{ end -}}
{{- $url := printf "postgresql://%s@%s:%d/%s" $auth $pg.host (int $pg.port) $pg.database -}}
{{- if $pg.sslmode }}{{ $url = printf "%s?sslmode=%s" $url $pg.sslmode }}{{ end -}}
{{- $url -}}
{{- end -}}

{{- define "mc.secretEnv" -}}
{{- $keys := .root.Values.secrets.keys -}}
{{- $secret := include "mc.secretName" .root -}}
{{- if include "mc.isService" . }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.databaseUrl }}
{{- end }}
{{- if include "mc.needsInternalSecret" . }}
- name: INTERNAL_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.internalAuthSecret }}
{{- end }}
{{- if or (eq .name "gateway") (eq .name "web") }}
{{- /* Optional: an install without it still runs, counting logins per web pod. */}}
- name: CLIENT_ADDRESS_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.clientAddressSecret }}
      optional: true
{{- end }}
{{- if eq .name "identity" }}
- name: IDENTITY_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.identitySigningKey }}
{{- end }}
{{- end -}}

{{/* Engines: host and port ----------------------------------------------------------------- */}}

{{/* The port of an http(s) URL, explicit or by scheme. */}}
{{- define "mc.urlPort" -}}
{{- $u := urlParse . -}}
{{- $parts := splitList ":" $u.host -}}
{{- if gt (len $parts) 1 }}{{ last $parts }}{{ else if eq $u.scheme "https" }}443{{ else }}80{{ end -}}
{{- end -}}

{{- define "mc.kafkaPorts" -}}
{{- $ports := list -}}
{{- range .Values.kafka.brokers }}{{ $ports = append $ports (last (splitList ":" .)) }}{{ end -}}
{{- $ports | uniq | join " " -}}
{{- end -}}

{{/* Public URL of the ingress host, if there is one. */}}
{{- define "mc.publicUrl" -}}
{{- if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* Non-secret environment of a component, as YAML (the ConfigMap's data). */}}
{{- define "mc.configEnv" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $c := index $v .name -}}
{{- $env := dict "NODE_ENV" $v.nodeEnv -}}
{{- $topics := $v.kafka.topics -}}
{{- if include "mc.isService" . -}}
{{- $_ := set $env "LOG_LEVEL" $v.logLevel -}}
{{- $_ := set $env "HOST" "0.0.0.0" -}}
{{- $_ := set $env (printf "%s_PORT" (upper .name)) (toString $c.port) -}}
{{- $_ := set $env "KAFKA_BROKERS" (join "," $v.kafka.brokers) -}}
{{- $_ := set $env "DATABASE_POOL_SIZE" (toString $v.postgres.poolSize) -}}
{{- if eq .name "identity" -}}
{{- $_ := set $env "IDENTITY_EVENTS_TOPIC" $topics.identity -}}
{{- $_ := set $env "AGENT_EVENTS_TOPIC" $topics.agent -}}
{{- $_ := set $env "AUTH_ISSUER" $v.auth.issuer -}}
{{- $_ := set $env "AUTH_AUDIENCE" $v.auth.audience -}}
{{- else if eq .name "agent" -}}
{{- $_ := set $env "AGENT_EVENTS_TOPIC" $topics.agent -}}
{{- $_ := set $env "MISSION_EVENTS_TOPIC" $topics.mission -}}
{{- else if eq .name "mission" -}}
{{- $_ := set $env "MISSION_EVENTS_TOPIC" $topics.mission -}}
{{- else if eq .name "analytics" -}}
{{- $_ := set $env "AGENT_EVENTS_TOPIC" $topics.agent -}}
{{- $_ := set $env "MISSION_EVENTS_TOPIC" $topics.mission -}}
{{- $_ := set $env "ELASTICSEARCH_URL" $v.elasticsearch.url -}}
{{- $_ := set $env "ELASTICSEARCH_INDEX_PREFIX" $v.elasticsearch.indexPrefix -}}
{{- $_ := set $env "INFLUX_URL" $v.influxdb.url -}}
{{- $_ := set $env "INFLUX_DATABASE" $v.influxdb.database -}}
{{- end -}}
{{- else if eq .name "gateway" -}}
{{- $_ := set $env "LOG_LEVEL" $v.logLevel -}}
{{- $_ := set $env "HOST" "0.0.0.0" -}}
{{- $_ := set $env "GATEWAY_PORT" (toString $c.port) -}}
{{- $_ := set $env "KAFKA_BROKERS" (join "," $v.kafka.brokers) -}}
{{- $_ := set $env "AUTH_ISSUER" $v.auth.issuer -}}
{{- $_ := set $env "AUTH_AUDIENCE" $v.auth.audience -}}
{{- $_ := set $env "LIVE_TOPICS" (values $topics | sortAlpha | join ",") -}}
{{- $_ := set $env "TRUST_PROXY_HOPS" (toString $c.trustProxyHops) -}}
{{- $identity := dict "root" $root "name" "identity" -}}
{{- $_ := set $env "IDENTITY_JWKS_URL" (printf "http://%s:%d/.well-known/jwks.json" (include "mc.componentName" $identity) (int $v.identity.port)) -}}
{{- range $name := splitList " " (include "mc.serviceNames" $root) -}}
{{- $s := index $v $name -}}
{{- if and $s.enabled $s.subgraph -}}
{{- $_ := set $env (printf "%s_GRAPHQL_URL" (upper $name)) (printf "http://%s:%d/graphql" (include "mc.componentName" (dict "root" $root "name" $name)) (int $s.port)) -}}
{{- end -}}
{{- end -}}
{{- $origins := $c.corsOrigins | default (compact (list (include "mc.publicUrl" $root))) -}}
{{- if $origins }}{{ $_ := set $env "CORS_ORIGINS" (join "," $origins) }}{{ end -}}
{{- else if eq .name "web" -}}
{{- $_ := set $env "HOSTNAME" "0.0.0.0" -}}
{{- $_ := set $env "PORT" (toString $c.port) -}}
{{- $_ := set $env "NEXT_TELEMETRY_DISABLED" "1" -}}
{{- $_ := set $env "TRUST_PROXY_HOPS" (toString (default 0 $c.trustProxyHops)) -}}
{{- $gateway := dict "root" $root "name" "gateway" -}}
{{- $_ := set $env "GATEWAY_URL" (printf "http://%s:%d" (include "mc.componentName" $gateway) (int $v.gateway.port)) -}}
{{- $public := $c.publicGatewayUrl | default (include "mc.publicUrl" $root) -}}
{{- if $public }}{{ $_ := set $env "PUBLIC_GATEWAY_URL" $public }}{{ end -}}
{{- end -}}
{{- range $key, $value := $c.env }}{{ $_ := set $env $key (toString $value) }}{{ end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* NetworkPolicy peers -------------------------------------------------------------------- */}}

{{- define "mc.podPeer" -}}
- podSelector:
    matchLabels:
      {{- include "mc.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* An egress rule to an engine: its peers (any address when none) on its ports. */}}
{{- define "mc.engineEgress" -}}
- {{- if .to }}
  to:
    {{- toYaml .to | nindent 4 }}
  {{- end }}
  ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ int . }}
    {{- end }}
{{- end -}}

{{- define "mc.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.to | nindent 4 }}
  ports:
    {{- range .Values.networkPolicy.dns.ports }}
    - protocol: UDP
      port: {{ int . }}
    - protocol: TCP
      port: {{ int . }}
    {{- end }}
{{- end -}}
