#!/usr/bin/env bash
# Checks that every top-level module of src/ imports only from its own layer or below:
#   error, numbers  →  scenario  →  model  →  sim  →  tune, output  →  cli, explore
# (each layer may use the ones to its left). Prints every `crate::` path that points to a
# higher layer, and every pair of modules of one layer that use each other (a cycle), with
# file and line; exits 1 if there is any. Comment lines are skipped: a doc link is no import.
# tests/layers.rs runs the same check under `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rnE --include='*.rs' 'crate::[a-z_]+' src |
  awk '
    BEGIN {
      split("error:0 numbers:0 scenario:1 model:2 sim:3 tune:4 output:4 cli:5 explore:5", kv, " ")
      for (i in kv) { split(kv[i], p, ":"); layer[p[1]] = p[2] }
    }
    {
      file = $0; sub(/:.*/, "", file)
      rest = $0; sub(/^[^:]*:/, "", rest)
      line = rest; sub(/:.*/, "", line)
      code = rest; sub(/^[^:]*:/, "", code)
      if (code ~ /^[ \t]*\/\//) next
      from = file; sub(/^src\//, "", from); sub(/[\/.].*/, "", from)
      if (!(from in layer)) next   # main.rs and lib.rs: the binary and the module list
      while (match(code, /crate::[a-z_]+/)) {
        to = substr(code, RSTART + 7, RLENGTH - 7)
        code = substr(code, RSTART + RLENGTH)
        if (!(to in layer) || to == from) continue
        if (layer[to] > layer[from]) {
          printf "%s:%s: %s imports %s (a higher layer)\n", file, line, from, to
          bad++
        } else if (layer[to] == layer[from]) {
          same[from "\t" to] = same[from "\t" to] sprintf("  %s:%s\n", file, line)
        }
      }
    }
    END {
      for (k in same) {
        split(k, m, "\t")
        if (m[1] < m[2] && ((m[2] "\t" m[1]) in same)) {
          printf "%s and %s use each other (a cycle):\n%s%s", m[1], m[2], same[k], same[m[2] "\t" m[1]]
          bad++
        }
      }
      if (bad) { printf "%d upward import(s) or cycle(s)\n", bad; exit 1 }
      print "no upward imports"
    }
  '
