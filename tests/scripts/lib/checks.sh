# Shared helpers for the end-to-end CLI scripts (sourced; expects $work to be a scratch folder).
# Counts checks and failures; each script prints its own summary from $checks and $failures.
failures=0
checks=0
ok() { checks=$((checks + 1)); }
bad() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  echo "FAIL: $*" >&2
}
expect_eq() {  # expect_eq WHAT GOT WANT
  if [ "$2" == "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
expect_match() {  # expect_match WHAT TEXT REGEX
  if grep -qE -- "$3" <<<"$2"; then ok; else bad "$1: '$2' lacks /$3/"; fi
}
# expect_error WHAT PATTERN CMD...: exit 1, exactly one stderr line "ipvm: ..." matching PATTERN.
expect_error() {
  local what="$1" pattern="$2"
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$rc" -ne 1 ]; then bad "$what: exit $rc, want 1 ($(head -c 300 "$work/err"))"; return; fi
  if [ "$lines" -ne 1 ]; then bad "$what: $lines stderr lines, want 1: $(head -c 300 "$work/err")"; return; fi
  if ! grep -q '^ipvm: ' "$work/err"; then bad "$what: stderr lacks 'ipvm: ': $(cat "$work/err")"; return; fi
  if ! grep -qE -- "$pattern" "$work/err"; then bad "$what: stderr '$(cat "$work/err")' lacks /$pattern/"; return; fi
  ok
}
