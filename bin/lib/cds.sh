# Sourced by bin/pier: the class-data sharing options of `pier serve` (docs/benchmarks.md, "Cold start").
# PIER_CDS_KIND chooses the kind:
#   aot     JDK 25's AOT cache (JEP 483/514/515: classes loaded and linked, plus method profiles): the first
#           `pier serve` after a build is the training run (-XX:AOTCacheOutput, the JVM writes the cache when it
#           exits, which takes it a few seconds more), later ones start with -XX:AOTCache. JDK 25 and newer only.
#   appcds  a dynamic AppCDS archive (JDK 19+): -XX:+AutoCreateSharedArchive, written when the first `pier serve`
#           after a build exits.
#   auto    (default) the one measured faster: see pier_cds_auto_kind.
# The JVM does not notice every change that makes an archive stale (JDK 25 keeps and ignores a dynamic archive
# whose jar changed: it neither uses nor rewrites it), so the archive's file name holds a checksum of what it
# depends on: the JDK, Pier's jar, the class path (and the file it was read from) and the JVM options that change
# its layout. Anything else gets another file, written by its first start; archives older than Pier's jar are
# removed then.

pier_cds_auto_kind() {  # $1: the JDK's major version; sets the caller's $kind (no subshell at every start)
  # measured (docs/benchmarks.md, "Cold start"): on JDK 25 the AOT cache started slower than the dynamic archive
  kind=appcds
}

# pier_cds_options TARGET JAR [EXTRA_KEY [CLASSPATH_FILE]]: sets the array PIER_CDS_OPTS for the class path in
# $CLASSPATH. CLASSPATH_FILE (the file bin/pier read it from) joins the key by its time and size: the jars in target/
# that bin/lib/ClassFileUpgrade.java writes keep their names when they are written again, and it writes that file
# after them.
pier_cds_options() {
  local target="$1" jar="$2" major kind ext file sum
  PIER_CDS_OPTS=()
  major="${java_major:-$(pier_java_home_major "$JAVA_HOME")}"
  kind="${PIER_CDS_KIND:-auto}"
  [ "$kind" = auto ] && pier_cds_auto_kind "$major"
  [ "$kind" = aot ] && [ "$major" -lt 25 ] && kind=appcds
  case "$kind" in
    aot) ext=aot ;;
    appcds) ext=jsa ;;
    *) echo "pier: PIER_CDS_KIND must be auto, aot or appcds, got '$kind'" >&2; return 0 ;;
  esac
  sum="$(printf '%s|' "$kind" "$JAVA_HOME" "$(stat -c '%Y %s' "$jar" "$JAVA_HOME/lib/modules" ${4:+"$4"} 2>/dev/null)" \
    "${CLASSPATH:-}" "${3:-}" | cksum)"
  sum="${sum%% *}"
  file="$target/pier-serve-$sum.$ext"
  if [ ! -f "$file" ]; then
    find "$target" -maxdepth 1 -name "pier-serve-*.$ext" ! -newer "$jar" -delete 2>/dev/null || true
  fi
  case "$kind" in
    aot)
      if [ -f "$file" ]; then
        PIER_CDS_OPTS=("-XX:AOTCache=$file")
      else
        # this run trains: the JVM writes the cache when it exits (a few seconds more, once)
        PIER_CDS_OPTS=("-XX:AOTCacheOutput=$file")
      fi
      PIER_CDS_OPTS+=(-Xlog:aot=off -Xlog:cds=off)
      ;;
    appcds)
      PIER_CDS_OPTS=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$file" -Xlog:cds=off -Xlog:cds+dynamic=off)
      ;;
  esac
}
