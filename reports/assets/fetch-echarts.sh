#!/bin/sh
# Fetches the pinned echarts npm package and copies its minified build and
# licence files here. Run through `go generate ./reports/assets`.
set -eu
version=$(cat ECHARTS.version)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "echarts@$version" >/dev/null
tar -xzf "$tmp/echarts-$version.tgz" -C "$tmp"
cp "$tmp/package/dist/echarts.min.js" echarts.min.js
cp "$tmp/package/LICENSE" LICENSE.echarts
cp "$tmp/package/NOTICE" NOTICE.echarts
cp "$tmp/package/licenses/LICENSE-d3" LICENSE-d3.echarts
(cd "$tmp" && sha256sum "echarts-$version.tgz" package/dist/echarts.min.js) > ECHARTS.sha256
