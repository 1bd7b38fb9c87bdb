#!/usr/bin/env bash
# Runs HelmRunner.java (helm lint/template through helm-java) with helm-java's jars from Maven
# Central, fetched once into the user's cache like deploy/local does for Kafka:
#   tools/helm-java.sh <jobs-file> <out-dir>        (see HelmRunner.java for the job format)
#   tools/helm-java.sh --fetch                      (only make sure the jars are cached)
set -euo pipefail

HELM_JAVA_VERSION=0.0.21
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/mission-control"
LIB="$CACHE/helm-java-$HELM_JAVA_VERSION"

log() { echo "[helm-java] $*"; }
die() { echo "[helm-java] ERROR: $*" >&2; exit 1; }

command -v java >/dev/null || die "java (17+) is required: apt-get install openjdk-17-jre-headless"

case "$(uname -m)" in
  x86_64 | amd64) NATIVE=linux-amd64 ;;
  aarch64 | arm64) NATIVE=linux-arm64 ;;
  *) die "no helm-java native library for $(uname -m)" ;;
esac
[ "$(uname -s)" = Linux ] || die "only Linux is wired here (helm-java also ships darwin/windows jars)"

fetch() {
  local t0=$SECONDS tmp
  command -v mvn >/dev/null || die "mvn is required to fetch helm-java from Maven Central: apt-get install maven"
  log "fetching helm-java $HELM_JAVA_VERSION ($NATIVE) with Maven…"
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.helm-java-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.mission-control</groupId><artifactId>helm-java-fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>com.marcnuri.helm-java</groupId><artifactId>helm-java</artifactId><version>$HELM_JAVA_VERSION</version></dependency>
    <dependency><groupId>com.marcnuri.helm-java</groupId><artifactId>$NATIVE</artifactId><version>$HELM_JAVA_VERSION</version></dependency>
  </dependencies>
</project>
POM
  (cd "$tmp" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib") \
    >"$tmp/maven.log" 2>&1 || { tail -n 40 "$tmp/maven.log" >&2; die "mvn dependency:copy-dependencies failed"; }
  [ -e "$tmp/lib/$NATIVE-$HELM_JAVA_VERSION.jar" ] || die "Maven fetched no $NATIVE jar"
  rm -rf "$LIB" && mv "$tmp/lib" "$LIB"
  log "$(ls "$LIB" | wc -l) jars in $LIB ($((SECONDS - t0))s)"
}

if [ -e "$LIB/helm-java-$HELM_JAVA_VERSION.jar" ] && [ -e "$LIB/$NATIVE-$HELM_JAVA_VERSION.jar" ]; then
  log "helm-java $HELM_JAVA_VERSION: cached in $LIB"
else
  fetch
fi
[ "${1:-}" = --fetch ] && exit 0
[ $# = 2 ] || die "usage: $0 <jobs-file> <out-dir> | --fetch"

# Single-file source launch: no build step; C1 only, the run is short.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
  -cp "$LIB/*" "$HERE/HelmRunner.java" "$1" "$2"
