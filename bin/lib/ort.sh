# Sourced by bin/pier: ONNX Runtime's native libraries unpacked once, so that a start loads them in place.
# Without this, ONNX Runtime's Java API inflates its native libraries (28 MB on linux-x64) from its jar into a new
# temporary directory at every start and deletes them at exit (0.2-0.5 s of CPU per start, docs/benchmarks.md,
# "Cold start"). With -Donnxruntime.native.path=DIR it loads them from DIR instead.

# pier_ort_native_dir TARGET CLASSPATH_FILE: sets PIER_ORT_NATIVE_DIR to TARGET/onnxruntime-native/PLATFORM, holding
# the native libraries of the onnxruntime jar named in CLASSPATH_FILE (unpacked again when that jar changes).
# Returns 1 where that cannot be done (an unknown platform, no such jar, no `jar` tool): ONNX Runtime then
# unpacks them itself as before. PIER_ORT_UNPACKED=0 turns it off.
pier_ort_native_dir() {
  # builtins only on the path every start takes (no forks): bin/pier runs this at each start
  local target="$1" cpfile="$2" ortjar="" platform dir tmp line from="" entries entry
  [ "${PIER_ORT_UNPACKED:-1}" != 0 ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    IFS=: read -r -a entries <<<"$line"
    for entry in "${entries[@]}"; do
      [[ "$entry" =~ /onnxruntime(_gpu)?-[0-9][^/]*\.jar$ ]] && { ortjar="$entry"; break 2; }
    done
  done <"$cpfile"
  [ -n "$ortjar" ] || return 1
  case "${OSTYPE:-} ${HOSTTYPE:-}" in
    linux*" x86_64") platform=linux-x64 ;;
    linux*" aarch64") platform=linux-aarch64 ;;
    darwin*" x86_64") platform=osx-x64 ;;
    darwin*" aarch64" | darwin*" arm64") platform=osx-aarch64 ;;
    *) return 1 ;;
  esac
  dir="$target/onnxruntime-native/$platform"
  [ -r "$dir/.from" ] && IFS= read -r from <"$dir/.from"
  if [ "$from" != "$ortjar" ]; then
    # unpacked beside and renamed into place, so a second launcher starting at the same moment never sees half
    tmp="$target/onnxruntime-native/.unpack.$$"
    rm -rf "$tmp" && mkdir -p "$tmp" || return 1
    if ! (cd "$tmp" && "$JAVA_HOME/bin/jar" xf "$ortjar" "ai/onnxruntime/native/$platform/") 2>/dev/null \
       || [ -z "$(ls "$tmp/ai/onnxruntime/native/$platform" 2>/dev/null)" ]; then
      rm -rf "$tmp"
      return 1
    fi
    printf '%s\n' "$ortjar" >"$tmp/ai/onnxruntime/native/$platform/.from"
    rm -rf "$dir"
    mv "$tmp/ai/onnxruntime/native/$platform" "$dir" 2>/dev/null || [ -f "$dir/.from" ] || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  fi
  PIER_ORT_NATIVE_DIR="$dir"
}
