# Sourced by bin/pier, bin/test and .ci/run: picks a JDK >= 21 without the user editing paths.
# Order: $JAVA_HOME, java on PATH, then every JDK under /usr/lib/jvm (newest first). Exports JAVA_HOME.
# A candidate's version comes from its `release` file (no JVM start); only a JDK without one is asked by starting
# its java (0.1-0.4 s each, 0.8 s seen on a loaded machine). A $JAVA_HOME that is a JDK >= 21 is taken as it is,
# without the cache. Otherwise the JDK found is remembered in ${XDG_CACHE_HOME:-~/.cache}/pier/java-home, keyed
# by the $JAVA_HOME it was found under (one file per key, so shells with different $JAVA_HOME do not overwrite
# each other's entry): used only while the remembered JDK's java is still there.
# PIER_JAVA_CACHE=0 skips the cache (neither read nor written).

pier_java_major() {
  # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pier_java_home_major() {
  # the major version of the JDK at $1 from its release file (no JVM start), else by asking its java
  # read with builtins only: bin/pier runs this at every start, and each process it forks costs it time
  local line v=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then v="${BASH_REMATCH[1]}"; break; fi
    done <"$1/release"
  fi
  [ -n "$v" ] && { echo "$v"; return 0; }
  pier_java_major "$1/bin/java"
}

pier_java_cache_file() {  # the cache file for the key $1 (the $JAVA_HOME a search runs under)
  local dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/pier"
  if [ -z "$1" ]; then echo "$dir/java-home"; else echo "$dir/java-home.$(printf '%s' "$1" | cksum | cut -d' ' -f1)"; fi
}

# Line 1: the $JAVA_HOME the search ran under (may be empty); line 2: the JDK it found.
pier_java_cached() {
  [ "${PIER_JAVA_CACHE:-1}" = 0 ] && return 1
  local file key found
  file="$(pier_java_cache_file "${JAVA_HOME:-}")"
  [ -r "$file" ] || return 1
  { IFS= read -r key; IFS= read -r found; } <"$file" || return 1
  [ "$key" = "${JAVA_HOME:-}" ] && [ -n "$found" ] && [ -x "$found/bin/java" ] || return 1
  JAVA_HOME="$found"
  export JAVA_HOME
}

pier_java_remember() {  # key found; a cache that cannot be written is only slower, never an error
  [ "${PIER_JAVA_CACHE:-1}" = 0 ] && return 0
  local file tmp
  file="$(pier_java_cache_file "$1")"
  mkdir -p "$(dirname "$file")" 2>/dev/null || return 0
  tmp="$file.$$"
  printf '%s\n%s\n' "$1" "$2" >"$tmp" 2>/dev/null && mv -f "$tmp" "$file" 2>/dev/null || rm -f "$tmp" 2>/dev/null
  return 0
}

pier_find_java() {
  # a $JAVA_HOME that is a JDK >= 21: nothing to search, and its release file says so without a JVM start
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -r "$JAVA_HOME/release" ]; then
    local own
    own="$(pier_java_home_major "$JAVA_HOME")"
    [ -n "$own" ] && [ "$own" -ge 21 ] && { export JAVA_HOME; return 0; }
  fi
  pier_java_cached && return 0
  local candidates=() c major home key="${JAVA_HOME:-}"
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(readlink -f "$(command -v java)")")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}/bin/java"); done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    home=$(dirname "$(dirname "$c")")
    major=$(pier_java_home_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$home"
      export JAVA_HOME
      pier_java_remember "$key" "$JAVA_HOME"
      return 0
    fi
  done
  echo "pier: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
  return 1
}
