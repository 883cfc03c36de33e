#!/usr/bin/env bash
# moves.sh — the package moves and the rename of issue 18 (step 5), applied
# to a convintel checkout in one go, after every helper's work is merged:
#
#   simulate   -> simulate                 (imports nothing of ingest)
#   ingest/export    -> ingest/export            (beside ingest/tabular, its mirror)
#   reports/schedule/leader     -> reports/schedule/leader  (serves only the scheduler)
#   sql (Go code)     -> warehouse                (package warehouse: no convsql alias;
#                                                  the .sql files stay in sql/)
#   testdata/<dir>    -> <package that reads it>/testdata[/<dir>]
#
# Usage:  .ci/moves.sh [CHECKOUT]      (default: the current directory)
#
# CHECKOUT must be a git checkout of the module with no uncommitted changes
# (the moves are `git mv`, so the result is ready to review and commit).
# It moves whole directories (new files other helpers added move with
# them), rewrites every import path and package qualifier in the tree,
# every path mention in .go/.md/.sql/Makefile/.ci/.yml files, relative
# paths into the root testdata, then runs gofmt, `go build ./...` and
# `go vet ./...`. It stops at the first error. It is not idempotent: run
# it once, on a checkout that still has the old layout.
set -euo pipefail

repo=${1:-.}
cd "$repo"
root=$(git rev-parse --show-toplevel)
cd "$root"
if [ -n "$(git status --porcelain)" ]; then
	echo "moves.sh: $root has uncommitted changes; commit or stash them first" >&2
	exit 1
fi
for d in simulate ingest/export reports/schedule/leader warehouse/chtest; do
	if [ ! -d "$d" ]; then
		echo "moves.sh: $root/$d is missing: already moved?" >&2
		exit 1
	fi
done
mod=$(go list -m)
start=$(date +%s)

# Files whose text may mention package paths.
text_files() {
	git ls-files -z -- '*.go' '*.md' '*.sql' '*.sh' '*.yml' '*.yaml' 'Makefile' '.ci/*' |
		xargs -0 -r grep -lIZ -e "$1" -- 2>/dev/null || true
}
go_files() {
	git ls-files -z -- '*.go' | xargs -0 -r grep -lZ -e "$1" -- 2>/dev/null || true
}

# move OLD NEW: git mv the directory, rewrite imports and path mentions,
# and fix relative paths (../) inside it whose depth changed.
move() {
	local old=$1 new=$2 follow='/|[\s`"'"'"'),:;]|$'
	# a one-word name (sql) is also a word of prose, and other packages have
	# their own sql/ subdirectories: rewrite it only as a path into one of
	# its own entries (sql/metrics/…, warehouse/chtest)
	if [[ $old != */* ]]; then
		follow="/(?:$(ls "$old" | sed 's/[.]/\\./g' | paste -sd'|'))(?![\\w.-])"
	fi
	echo "==> $old -> $new"
	mkdir -p "$(dirname "$new")"
	git mv "$old" "$new"
	# import paths: "mod/old" and "mod/old/sub"
	go_files "\"$mod/$old[/\"]" | xargs -0 -r perl -pi -e \
		"s#\"\\Q$mod/$old\\E(?=[/\"])#\"$mod/$new#g"
	# path mentions in code comments, strings, docs, SQL, scripts:
	# `old/…`, ./old/…, or old as a whole path (not inside another path).
	text_files "$old" | xargs -0 -r perl -pi -e \
		"s#(?<![\\w/.\\-])(\\./)?\\Q$old\\E(?=$follow)#\$1$new#g"
	# relative paths from inside the moved tree to the repository root
	local od nd
	od=$(awk -F/ '{print NF}' <<<"$old")
	nd=$(awk -F/ '{print NF}' <<<"$new")
	if [ "$od" != "$nd" ]; then
		find "$new" -name '*.go' -print0 | while IFS= read -r -d '' f; do
			# depth of f's directory below $new
			local rel sub
			rel=$(dirname "${f#"$new"/}")
			sub=0
			[ "$rel" != "." ] && sub=$(awk -F/ '{print NF}' <<<"$rel")
			perl -pi -e "s#(?<![\\w./])((?:\\.\\./){$((od + sub))})(?!\\.\\./)#'../' x $((nd + sub))#ge" "$f"
		done
	fi
}

move simulate simulate
move ingest/export ingest/export
move reports/schedule/leader reports/schedule/leader

# sql -> warehouse: the Go code (connection, migrator, cluster layout, local
# server, test servers) becomes package warehouse; the .sql files stay under
# sql/, whose package keeps one thing, the embedded Files. An importer that
# reads only sql.Files keeps "mod/sql"; every other importer uses warehouse.X
# (and sql.Files where it reads files too). No alias is needed anywhere.
echo "==> sql (Go code) -> warehouse; the .sql files stay in sql/"
mkdir -p warehouse
for sub in chlocal chtest clustertest; do
	git mv "sql/$sub" "warehouse/$sub"
	go_files "\"$mod/sql/$sub[/\"]" | xargs -0 -r perl -pi -e "s#\"\\Q$mod/sql/$sub\\E(?=[/\"])#\"$mod/warehouse/$sub#g"
	text_files "sql/$sub" | xargs -0 -r perl -pi -e "s#(?<![\\w/.\\-])(\\./)?sql/$sub(?![\\w-])#\$1warehouse/$sub#g"
done
importers=$(go_files "\"$mod/sql\"" | tr '\0' '\n' | grep -v '^sql/[^/]*$' | sort -u)
for f in $(git ls-files 'sql/*.go'); do
	[ "$f" = sql/files.go ] && continue
	git mv "$f" warehouse/
	b=$(basename "$f")
	text_files "sql/$b" | xargs -0 -r perl -pi -e "s#(?<![\\w/.\\-])sql/\\Q$b\\E#warehouse/$b#g"
done
perl -pi -e 's/^package sql$/package warehouse/; s/^package sql_test$/package warehouse_test/' warehouse/*.go
importers="$importers $(grep -l '^package warehouse_test' warehouse/*_test.go || true)"
# inside warehouse the embedded files are sql.Files
for f in $(grep -lE '(^|[^\w.])Files\b' warehouse/*.go); do
	perl -0pi -e 's/(?<![\w.])Files\b/sql.Files/g; s#^import \((.*?)^\)#import ($1\n\t"'"$mod"'/sql"\n)#ms or s#^import ("[^"\n]+")\n#import (\n\t$1\n\n\t"'"$mod"'/sql"\n)\n#m' "$f"
done
for f in $importers; do
	alias=$(perl -ne "print \$1 if m{^\\s*(\\w+)\\s+\"\\Q$mod/sql\\E\"}" "$f")
	q=${alias:-sql}
	if perl -ne "exit 1 if /\\b\\Q$q\\E\\.(?!Files\\b)[A-Z]/" "$f"; then
		# reads only the files
		perl -pi -e "s#^(\\s*)\\w+\\s+(\"\\Q$mod/sql\\E\")#\$1\$2#; s/\\b\\Q$q\\E\\.Files\\b/sql.Files/g" "$f"
	else
		files=0
		grep -qE "\\b$q\\.Files\\b" "$f" && files=1
		perl -pi -e "s/\\b\\Q$q\\E\\.Files\\b/sql.Files/g; s/\\b\\Q$q\\E\\.(?=[A-Z])/warehouse./g" "$f"
		if [ $files = 1 ]; then
			perl -pi -e "s#^(\\s*)\\w*\\s*\"\\Q$mod/sql\\E\"#\$1\"$mod/sql\"\\n\$1\"$mod/warehouse\"#" "$f"
		else
			perl -pi -e "s#^(\\s*)\\w*\\s*\"\\Q$mod/sql\\E\"#\$1\"$mod/warehouse\"#" "$f"
		fi
	fi
done
# mentions of the package's exported names in docs (warehouse.Single, warehouse.Conn)
text_files 'sql\.' | xargs -0 -r perl -pi -e 's/(?<![\w.\/])(?:conv)?sql\.(?=[A-Z][a-z])(?!Files\b)/warehouse./g'

# testdata beside the package that reads it: each directory of the root
# testdata goes to the package (directory of Go files) that refers to it
# most, as <pkg>/testdata when the package has its name, else
# <pkg>/testdata/<dir>; every relative and root-relative mention follows.
if [ -d testdata ]; then
	for td in testdata/*/; do
		td=${td%/}
		name=${td#testdata/}
		# a reference from a package: "../testdata/NAME…" or
		# filepath.Join("..", "testdata", "NAME", …)
		ref="(\.\./)+$td([^A-Za-z0-9_-]|\$)|(\"\.\.\", *)+\"testdata\", *\"$name\""
		refs=$(git ls-files -z -- '*.go' '*.sh' 'Makefile' | xargs -0 -r grep -lE "$ref" -- 2>/dev/null || true)
		owner=$(for f in $refs; do [[ $f == *.go ]] && dirname "$f"; done | sort | uniq -c |
			awk -v n="$name" '{d=$2; k=split(d, p, "/"); s=$1*10+(p[k]==n ? 1000 : 0)-k; print s, d}' |
			sort -k1,1nr -k2 | head -1 | cut -d' ' -f2)
		if [ -z "$owner" ]; then
			echo "==> $td: no Go package refers to it through ../; left in place"
			continue
		fi
		if [ "$(basename "$owner")" = "$name" ]; then dest=$owner/testdata; else dest=$owner/testdata/$name; fi
		echo "==> $td -> $dest"
		mkdir -p "$dest"
		for f in "$td"/* "$td"/.[!.]*; do
			[ -e "$f" ] || continue
			git mv "$f" "$dest/"
		done
		# root-relative mentions (docs, comments, messages): testdata/NAME
		text_files "$td" | xargs -0 -r perl -pi -e "s#(?<![\\w./\\-])\\Q$td\\E(?![\\w-])#$dest#g"
		# relative references, now from each file's own directory
		for f in $refs; do
			relnew=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$dest" "$(dirname "$f")")
			join=$(sed 's#\([^/]*\)#"\1"#g; s#/#, #g' <<<"$relnew")
			perl -pi -e "s#(?<![\\w./])(?:\\.\\./)+\\Q$td\\E(?![\\w-])#$relnew#g; s#(?:\"\\.\\.\", *)+\"testdata\", *\"\\Q$name\\E\"#$join#g" "$f"
		done
		rmdir "$td" 2>/dev/null || true
	done
	rmdir testdata 2>/dev/null || true
fi

echo "==> gofmt, go build, go vet"
git ls-files -z -- '*.go' | xargs -0 gofmt -l -w >/dev/null
git ls-files -z --others --exclude-standard -- '*.go' | xargs -0 -r gofmt -w
git add -A
go build ./...
go vet ./...
echo "==> done in $(($(date +%s) - start)) s; review with: git status && git diff --cached --stat"
