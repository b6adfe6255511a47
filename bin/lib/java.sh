# Sourced by bin/pier, bin/test and .ci/run: picks a JDK >= 21 without the user editing paths.
# Order: $JAVA_HOME, java on PATH, then every JDK under /usr/lib/jvm (newest first). Exports JAVA_HOME.

pier_java_major() {
  # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pier_find_java() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(readlink -f "$(command -v java)")")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}/bin/java"); done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(pier_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME=$(dirname "$(dirname "$c")")
      export JAVA_HOME
      return 0
    fi
  done
  echo "pier: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
  return 1
}
