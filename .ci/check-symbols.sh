#!/usr/bin/env bash
# Checks the exported interface of a built libnng.so (reference: ABI.md §1,
# API.md §27):
#   - SONAME is libnng.so.1;
#   - no symbol versioning (upstream has none);
#   - the only defined dynamic symbols are functions named nng_* or nn_*
#     (no Rust symbols, no data);
#   - with --headers DIR: every function declared in DIR/nng/**/*.h is exported;
#   - the functions Debian's libnng.so.1 (1.5.2) exports that ours lacks are
#     counted and listed; fatal only with --strict or NNG_SYMBOLS_STRICT=1
#     (while the API is still being filled in).
#
# Usage: check-symbols.sh [--strict] [--headers INCLUDE_DIR] [--reference LIB] LIBNNG_SO
set -euo pipefail

strict="${NNG_SYMBOLS_STRICT:-0}"
headers=""
reference="${NNG_REFERENCE_LIB:-}"
while [ $# -gt 1 ]; do
	case "$1" in
	--strict) strict=1; shift ;;
	--headers) headers="$2"; shift 2 ;;
	--reference) reference="$2"; shift 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 1 ]; then
	echo "usage: $0 [--strict] [--headers INCLUDE_DIR] [--reference LIB] LIBNNG_SO" >&2
	exit 2
fi
lib="$1"
if [ -z "$reference" ]; then
	for d in "/usr/lib/$(gcc -print-multiarch 2>/dev/null || true)" /usr/lib64 /usr/lib; do
		if [ -e "$d/libnng.so.1" ]; then
			reference="$d/libnng.so.1"
			break
		fi
	done
fi

passed=0
failed=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
bad() { echo "FAIL - $*"; failed=$((failed + 1)); }

if [ ! -f "$lib" ]; then
	echo "FAIL - $lib does not exist"
	echo "symbols: 0 passed, 1 failed"
	exit 1
fi

soname="$(readelf -d "$lib" | sed -nE 's/.*\(SONAME\).*\[(.*)\]/\1/p')"
if [ "$soname" = "libnng.so.1" ]; then
	ok "SONAME is libnng.so.1"
else
	bad "SONAME is '${soname}', expected libnng.so.1"
fi

if readelf -S "$lib" | grep -q '\.gnu\.version_d'; then
	bad "symbol versions are defined (upstream exports unversioned symbols):"
	readelf -V "$lib" | sed -n '/\.gnu\.version_d/,/^$/p' | sed 's/^/       /'
else
	ok "no symbol versioning"
fi

# "<type> <name>" for every defined dynamic symbol.
nm -D --defined-only "$lib" | awk 'NF >= 3 { print $2, $3 } NF == 2 { print $1, $2 }' |
	sed 's/@.*//' | sort -k2 -u >"$tmp/ours.all"
awk '{ print $2 }' "$tmp/ours.all" | sort -u >"$tmp/ours"
grep -vE ' (nng|nn)_[A-Za-z0-9_]+$' "$tmp/ours.all" >"$tmp/foreign" || true
grep -vE '^[TWi] ' "$tmp/ours.all" >"$tmp/nonfunc" || true
if [ -s "$tmp/foreign" ]; then
	bad "$(wc -l <"$tmp/foreign") exported symbols are not nng_*/nn_*:"
	head -n 40 "$tmp/foreign" | sed 's/^/       /'
else
	ok "all $(wc -l <"$tmp/ours") exported symbols are nng_*/nn_*"
fi
if [ -s "$tmp/nonfunc" ]; then
	bad "$(wc -l <"$tmp/nonfunc") exported symbols are not functions:"
	head -n 40 "$tmp/nonfunc" | sed 's/^/       /'
else
	ok "all exported symbols are functions"
fi

if [ -n "$headers" ]; then
	# Every function declaration (NNG_DECL, NN_DECL or extern, possibly over
	# several lines): join the text, split it at ';', take the name before
	# the parameter list.
	find "$headers/nng" -name '*.h' -print0 | xargs -0 cat |
		grep -v '^[[:space:]]*//' | tr '\n' ' ' | tr ';{}' '\n\n\n' |
		grep -E '(NNG_DECL|NN_DECL|extern)[[:space:]]' | grep -v typedef |
		sed -nE 's/.*[[:space:]*]((nng|nn)_[A-Za-z0-9_]+)[[:space:]]*\(.*/\1/p' |
		sort -u >"$tmp/declared"
	comm -23 "$tmp/declared" "$tmp/ours" >"$tmp/unexported"
	if [ -s "$tmp/unexported" ]; then
		bad "$(wc -l <"$tmp/unexported") of $(wc -l <"$tmp/declared") functions declared in $headers are not exported:"
		sed 's/^/       /' "$tmp/unexported"
	else
		ok "all $(wc -l <"$tmp/declared") functions declared in the headers are exported"
	fi
	comm -13 "$tmp/declared" "$tmp/ours" >"$tmp/undeclared"
	if [ -s "$tmp/undeclared" ]; then
		echo "note - $(wc -l <"$tmp/undeclared") exported functions are not declared in the headers: $(tr '\n' ' ' <"$tmp/undeclared")"
	fi
fi

if [ -n "$reference" ] && [ -e "$reference" ]; then
	nm -D --defined-only "$reference" | awk '{ print $NF }' | sed 's/@.*//' |
		grep -E '^(nng|nn)_' | sort -u >"$tmp/reference"
	comm -23 "$tmp/reference" "$tmp/ours" >"$tmp/missing"
	nref="$(wc -l <"$tmp/reference")"
	nmiss="$(wc -l <"$tmp/missing")"
	if [ "$nmiss" -eq 0 ]; then
		ok "all $nref functions of $reference are exported"
	elif [ "$strict" = "1" ]; then
		bad "$nmiss of the $nref functions $reference exports are missing:"
		sed 's/^/       /' "$tmp/missing"
	else
		echo "note - $nmiss of the $nref functions $reference exports are still missing (fatal with --strict or NNG_SYMBOLS_STRICT=1)"
		if [ "${NNG_SYMBOLS_VERBOSE:-0}" = "1" ]; then
			sed 's/^/       /' "$tmp/missing"
		fi
	fi
else
	echo "note - no reference libnng.so.1 to compare with (apt-get install libnng1, or --reference LIB)"
fi

echo "symbols: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
