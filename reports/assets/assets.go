// Package assets embeds the Apache ECharts build the reports inline, so a
// report opens with no network at all.
//
// echarts.min.js is dist/echarts.min.js of the npm package echarts@5.5.1
// (Apache-2.0, see LICENSE.echarts, NOTICE.echarts and LICENSE-d3.echarts,
// which ship in the same package). To refresh or verify it:
//
//	go generate ./reports/assets
//
// which runs fetch-echarts.sh: npm pack of the version in ECHARTS.version,
// unpack, copy the files here, and record the sha256 of the tarball and of
// echarts.min.js in ECHARTS.sha256.
package assets

//go:generate sh fetch-echarts.sh

import _ "embed"

// EChartsVersion is the npm version of the embedded ECharts.
const EChartsVersion = "5.5.1"

// ECharts is dist/echarts.min.js of echarts@5.5.1, with its licence
// header.
//
//go:embed echarts.min.js
var ECharts string

// EChartsLicense is the Apache-2.0 licence text shipped with ECharts.
//
//go:embed LICENSE.echarts
var EChartsLicense string
