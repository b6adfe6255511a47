# Sourced by bin/pier: the class-data sharing options of `pier serve` (docs/benchmarks.md, "Cold start").
# PIER_CDS_KIND chooses the kind:
#   aot     JDK 25's AOT cache (JEP 483/514/515: classes loaded and linked, plus method profiles): the first
#           `pier serve` after a build is the training run (-XX:AOTCacheOutput, the JVM writes the cache when it
#           exits, which takes it a few seconds more), later ones start with -XX:AOTCache. JDK 25 and newer only.
#   appcds  a dynamic AppCDS archive (JDK 19+): -XX:+AutoCreateSharedArchive, written when the first `pier serve`
#           after a build exits.
#   auto    (default) the one measured faster on this JDK: see pier_cds_auto_kind.
# The JVM does not notice every change that makes an archive stale (JDK 25 keeps and ignores a dynamic archive
# whose jar changed: it neither uses nor rewrites it), so the archive is keyed here: by the JDK, Pier's jar, the
# dependency list and the JVM options; a different key removes it, and the next start writes a new one.

pier_cds_auto_kind() {  # $1: the JDK's major version
  echo appcds
}

# pier_cds_options TARGET JAR CLASSPATH_FILE [EXTRA_KEY]: sets the array PIER_CDS_OPTS.
pier_cds_options() {
  local target="$1" jar="$2" cpfile="$3" major kind file key
  PIER_CDS_OPTS=()
  major="${java_major:-$(pier_java_home_major "$JAVA_HOME")}"
  kind="${PIER_CDS_KIND:-auto}"
  [ "$kind" = auto ] && kind="$(pier_cds_auto_kind "$major")"
  [ "$kind" = aot ] && [ "$major" -lt 25 ] && kind=appcds
  case "$kind" in
    aot) file="$target/pier-serve.aot" ;;
    appcds) file="$target/pier-serve.jsa" ;;
    *) echo "pier: PIER_CDS_KIND must be auto, aot or appcds, got '$kind'" >&2; return 0 ;;
  esac
  key="$kind|$JAVA_HOME|$(stat -c '%Y %s' "$jar" "$cpfile" "$JAVA_HOME/lib/modules" 2>/dev/null | tr '\n' ' ')|${4:-}"
  if [ "$(cat "$file.key" 2>/dev/null)" != "$key" ]; then
    rm -f "$file" "$file.key"
  fi
  case "$kind" in
    aot)
      if [ -f "$file" ]; then
        PIER_CDS_OPTS=("-XX:AOTCache=$file")
      else
        # this run trains; -Xlog:aot=off keeps the JVM's notes about classes it skips off the console
        PIER_CDS_OPTS=("-XX:AOTCacheOutput=$file")
      fi
      PIER_CDS_OPTS+=(-Xlog:aot=off -Xlog:cds=off)
      ;;
    appcds)
      PIER_CDS_OPTS=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$file" -Xlog:cds=off -Xlog:cds+dynamic=off)
      ;;
  esac
  printf '%s' "$key" >"$file.key" 2>/dev/null || true
}
