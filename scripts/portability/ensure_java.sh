#!/usr/bin/env bash
# Spark (dbt-spark session mode, pyspark 4) needs Java 17 or newer. Installs a
# headless JRE from the Debian packages when no java is found (needs root).
set -euo pipefail

java_major() {
    java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'
}

if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] 2>/dev/null; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure_java: Spark needs Java 17+; install it (e.g. apt-get install default-jre-headless)." >&2
    exit 1
fi
echo "ensure_java: installing a Java runtime from the Debian packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq default-jre-headless >/dev/null
java -version >&2
