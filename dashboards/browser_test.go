package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/simulate"
)

const chromiumPath = "/usr/bin/chromium"

// screenshotDir is ./out/screenshots at the repository root.
var screenshotDir = filepath.Join("..", "out", "screenshots")

// pageState is what the browser test reads from a page after it drew.
type pageState struct {
	Charts int      `json:"charts"`
	Drawn  int      `json:"drawn"`
	Bad    []string `json:"bad"`
	Pwned  bool     `json:"pwned"`
	Scroll int      `json:"scroll"`
	Width  int      `json:"width"`
	// Wide lists elements that stick out of the viewport on the right
	// (charts and sections), and tables that scroll sideways on a laptop.
	Wide []string `json:"wide"`
	// Squeezed lists id and agent-name cells wrapped into a narrow column (one character
	// per line on a phone).
	Squeezed []string `json:"squeezed"`
	// Overlaps lists pairs of funnel labels whose boxes intersect.
	Overlaps []string `json:"overlaps"`
	// FunnelLabels are the funnel's labels as drawn ("Consulted: 3,565").
	FunnelLabels []string `json:"funnelLabels"`
	// Empty counts empty states ("no data") on the page.
	Empty int `json:"empty"`
	// Legends lists chart legends that page their series (a scrolling
	// legend: "◀ 1/3 ▶" on a phone), stick out of their chart, or run into
	// the plot.
	Legends []string `json:"legends"`
	// WideQuote is the width of an English page's “ in ems: a Chinese
	// font draws it a full character wide.
	WideQuote float64 `json:"wideQuote"`
	// Axes lists charts of days whose first or last day has no label,
	// and shaded bands whose label runs past the band.
	Axes []string `json:"axes"`
}

var bareThousands = regexp.MustCompile(`\d{4}`)

const pageProbe = `(() => {
  const divs = Array.from(document.querySelectorAll('.chart'));
  const bad = divs.filter(d => !(d.querySelector('canvas, svg') && window.echarts && echarts.getInstanceByDom(d))).map(d => d.id);
  const vw = document.documentElement.clientWidth;
  const wide = [];
  document.querySelectorAll('.chart, .chart canvas, section, .kpi, form.filters').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1) wide.push((el.id || el.className || el.tagName) + ' right=' + Math.round(r.right));
  });
  if (vw >= 1000) document.querySelectorAll('.scroll').forEach(el => {
    if (el.scrollWidth > el.clientWidth + 1) wide.push('table scrolls: ' + (el.querySelector('th') || el).textContent.slice(0, 40));
  });
  // lineCount counts the lines a range's boxes sit on: a box whose middle
  // lies within the previous line's height is on that line (a badge beside
  // a date has its own top a few pixels off the text's, on one line).
  const lineCount = range => {
    const boxes = Array.from(range.getClientRects()).filter(r => r.height > 0).sort((a, b) => (a.top + a.bottom) - (b.top + b.bottom));
    let lines = 0, bottom = -Infinity;
    boxes.forEach(r => { if ((r.top + r.bottom) / 2 > bottom) { lines++; bottom = r.bottom; } });
    return lines;
  };
  const squeezed = [];
  document.querySelectorAll('td.id, td .id, td.name, td.num, td.date, section.conduct td:nth-child(1), section.conduct td:nth-child(3), section.conduct td:nth-child(4)').forEach(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = lineCount(range);
    if (lines > 1) squeezed.push(el.textContent.slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(el.getBoundingClientRect().width) + ' px');
  });
  // on a laptop (900 px and wider), a shop's name (the columns headed
  // "Shop", a shop under an agent's name), an experiment arm's name (up to
  // the id on the next line) and a funnel step or drop-off node read on
  // one line: tables with room wrapped "Goodies / Store", "Current script
  // / (control)" and "Product / questions"; and so do the rows labelled in words (the
  // scoreboard's "Ordered before an agent / replied", the QA table's
  // "Unassigned / (nobody / answered)")
  if (vw >= 900) {
    document.querySelectorAll('td').forEach(td => {
      if (!ROW_LABELS.includes(td.textContent.trim())) return;
      const range = document.createRange();
      range.selectNodeContents(td);
      const lines = lineCount(range);
      if (lines > 1) squeezed.push('row label ' + td.textContent.trim().slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(td.getBoundingClientRect().width) + ' px');
    });
    const named = NAMED_COLUMNS;
    document.querySelectorAll('table').forEach(tb => {
      const heads = Array.from(tb.querySelectorAll('thead th')).map(th => th.textContent.replace(/\u200b/g, '').trim());
      tb.querySelectorAll('tbody tr').forEach(tr => {
        let col = 0;
        Array.from(tr.cells).forEach(td => {
          if (td.colSpan === 1 && named.includes(heads[col])) {
            const range = document.createRange();
            range.selectNodeContents(td);
            const br = td.querySelector('br');
            if (br) range.setEndBefore(br);
            // a leading arm's "(leading, not final)" may wrap after its name
            const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
            for (let n = walk.nextNode(); n; n = walk.nextNode()) {
              const i = TAGS.map(tag => n.data.indexOf(tag)).find(i => i >= 0);
              if (i !== undefined && (!br || br.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_PRECEDING)) { range.setEnd(n, i); break; }
            }
            const lines = lineCount(range);
            if (lines > 1) squeezed.push(heads[col] + ' ' + range.toString().slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(td.getBoundingClientRect().width) + ' px');
          }
          col += td.colSpan;
        });
      });
    });
    document.querySelectorAll('td .shop').forEach(el => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = lineCount(range);
      if (lines > 1) squeezed.push('shop ' + el.textContent.slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(el.getBoundingClientRect().width) + ' px');
    });
  }
  // a time or a date broken between its parts ("10-01" over "18:57:57"
  // on the QA page), and a link of the nav bar broken inside ("中" over
  // "文", "GMV" over "contribution"), at any width
  document.querySelectorAll('td, header.top nav a').forEach(el => {
    if (el.tagName === 'TD' && !/^\s*\d{2,4}-\d\d(-\d\d)?( \d\d:\d\d(:\d\d)?)?\s*$/.test(el.textContent)) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = lineCount(range);
    if (lines > 1) squeezed.push(el.textContent.slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(el.getBoundingClientRect().width) + ' px');
  });
  // a date or an ISO week in running text broken at a hyphen ("2026-09-"
  // over "28" in the header and the notes on a phone)
  const dates = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.parentElement && n.parentElement.closest('script, style, option') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  for (let n = dates.nextNode(); n; n = dates.nextNode()) {
    for (const m of n.data.matchAll(/\d{4}-(\d\d-\d\d|W\d\d)/g)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const lines = lineCount(range);
      if (lines > 1) squeezed.push('date ' + m[0] + ' on ' + lines + ' lines in "' + n.data.slice(Math.max(0, m.index - 24), m.index + 16) + '"');
    }
  }
  // a range of dates or weeks broken before its dash ("2026-09-28" over
  // "– 2026-10-04" in a phone's header, session 21, third pass): the dash
  // stays on the second date's line. The range runs over the spans that
  // keep each date whole, so it is found in the text of the nodes in turn.
  const all = [], starts = [];
  let text = '';
  const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.parentElement && n.parentElement.closest('script, style, option') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  for (let n = tw.nextNode(); n; n = tw.nextNode()) { all.push(n); starts.push(text.length); text += n.data; }
  const at = i => { let k = starts.length - 1; while (k > 0 && starts[k] > i) k--; return [all[k], i - starts[k]]; };
  for (const m of text.matchAll(/\d{4}-(?:\d\d-\d\d|W\d\d) ?– ?\d{4}-(?:\d\d-\d\d|W\d\d)/g)) {
    const dash = m.index + m[0].indexOf('–'), range = document.createRange();
    range.setStart(...at(dash));
    range.setEnd(...at(m.index + m[0].length - 1));
    range.setEnd(range.endContainer, range.endOffset + 1);
    const lines = lineCount(range);
    if (lines > 1) squeezed.push('range ' + m[0] + ': its dash and second date on ' + lines + ' lines');
  }
  // a card's mark ("promo", "refunds due") on the line of the change it
  // qualifies: at 1400 px a growth card's "+2.9 pp vs previous week" had
  // "promo" wrapped under it, alone (session 21, third pass)
  document.querySelectorAll('.kpi .delta .promo-mark').forEach(mark => {
    const walk = document.createTreeWalker(mark.closest('.delta'), NodeFilter.SHOW_TEXT);
    let last = null;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (mark.contains(n)) break;
      if (n.data.trim()) last = n;
    }
    if (!last) return;
    const range = document.createRange();
    range.setStart(last, last.data.trimEnd().length - 1);
    range.setEndAfter(mark);
    const lines = lineCount(range);
    if (lines > 1) squeezed.push('mark "' + mark.textContent + '" under its change "' + mark.closest('.delta').textContent.slice(0, 40) + '", ' + Math.round(mark.closest('.kpi').getBoundingClientRect().width) + ' px card');
  });
  // a short bracketed range broken inside ("Night order share (00–" over
  // "06)", "满意度（4–" over "5 星）" on a phone)
  const ranges = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.parentElement && n.parentElement.closest('script, style, option') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  for (let n = ranges.nextNode(); n; n = ranges.nextNode()) {
    for (const m of n.data.matchAll(/[(（][^()（）\s]{0,6}\d+ ?– ?\d+[^()（）]{0,6}[)）]/g)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const lines = lineCount(range);
      if (lines > 1) squeezed.push('bracketed range ' + m[0] + ' on ' + lines + ' lines in "' + n.data.slice(Math.max(0, m.index - 24), m.index + m[0].length) + '"');
    }
  }
  // any cell pressed into a column a few characters wide by cells that do
  // not wrap beside it (a shop name read one character per line)
  document.querySelectorAll('td').forEach(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = lineCount(range);
    const w = el.getBoundingClientRect().width;
    if (lines >= 3 && w < 48) squeezed.push(el.textContent.slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(w) + ' px wide');
  });
  // a table that scrolls sideways anyway (a phone) has room to widen a
  // column: a cell it still presses onto four lines or more in under
  // 100 px (a message read four characters a line), or a header onto five
  // in under 80 px (one character a line), is squeezed for nothing
  document.querySelectorAll('.scroll').forEach(sc => {
    if (sc.scrollWidth <= sc.clientWidth + 1) return;
    sc.querySelectorAll('td, th').forEach(el => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = lineCount(range);
      const w = el.getBoundingClientRect().width;
      if (el.tagName === 'TH' ? lines >= 5 && w < 80 : lines >= 4 && w < 100) squeezed.push(el.textContent.slice(0, 30) + ' on ' + lines + ' lines, ' + Math.round(w) + ' px wide in a table that scrolls');
    });
  });
  // English text in a Chinese font: its quotation marks are a full
  // character wide ("So its   “Order created”   (263 buyers")
  let wideQuote = 0;
  if (document.documentElement.lang === 'en') {
    const probe = document.createElement('span');
    probe.textContent = '“';
    document.querySelector('main').appendChild(probe);
    const fs = parseFloat(getComputedStyle(probe).fontSize);
    wideQuote = probe.getBoundingClientRect().width / fs;
    probe.remove();
  }
  const overlaps = [], funnelLabels = [];
  const funnel = document.getElementById('chart-funnel');
  const inst = funnel && window.echarts && echarts.getInstanceByDom(funnel);
  if (inst) {
    const texts = [];
    const data = inst.getModel().getSeriesByIndex(0).getData();
    for (let i = 0; i < data.count(); i++) {
      const g = data.getItemGraphicEl(i), t = g && g.getTextContent();
      if (!t || t.ignore) continue;
      const b = t.getBoundingRect().clone(), m = t.getComputedTransform();
      if (m) b.applyTransform(m);
      texts.push({t: t.style.text, b: b});
      funnelLabels.push(t.style.text);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].b, c = texts[j].b;
      if (a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height)
        overlaps.push(texts[i].t + ' / ' + texts[j].t);
    }
    if (texts.length < 2) overlaps.push('no funnel labels found (' + texts.length + ')');
  }
  const legends = [];
  divs.forEach(d => {
    const inst = window.echarts && echarts.getInstanceByDom(d);
    const legend = inst && inst.getModel().getComponent('legend');
    if (!legend || !legend.get('show')) return;
    if (legend.subType === 'scroll') { legends.push(d.id + ': a scrolling legend'); return; }
    const view = inst.getViewOfComponentModel(legend), b = view.group.getBoundingRect();
    const bottom = view.group.y + b.y + b.height, right = view.group.x + b.x + b.width;
    if (right > inst.getWidth() + 1) legends.push(d.id + ': legend ' + Math.round(right) + ' px wide in ' + inst.getWidth());
    const grid = inst.getModel().getComponent('grid');
    if (grid && grid.coordinateSystem && bottom > grid.coordinateSystem.getRect().y)
      legends.push(d.id + ': legend down to ' + Math.round(bottom) + ' px, the plot from ' + Math.round(grid.coordinateSystem.getRect().y));
  });
  // a chart of one series shows no legend and starts its plot at the top:
  // the bot share of GMV kept the grid's room for a legend it did not
  // show, a blank band between the title and the plot (session 21, third
  // pass). The plot's top is the grid's, above its highest axis label.
  divs.forEach(d => {
    const inst = window.echarts && echarts.getInstanceByDom(d);
    const grid = inst && inst.getModel().getComponent('grid');
    if (!grid || !grid.coordinateSystem || (inst.getOption().graphic || []).length) return;
    const legend = inst.getModel().getComponent('legend');
    const items = legend && legend.get('show') ? legend.getData().length : 0;
    // (a legend of one item beside other series names a mark: the
    // heat-map's coverage gaps)
    const named = (inst.getOption().series || []).filter(se => se.name).length;
    if (items === 1 && named === 1) legends.push(d.id + ': a legend of its one series');
    const top = grid.coordinateSystem.getRect().y;
    if (items === 0 && top > 20)
      legends.push(d.id + ': no legend, the plot from ' + Math.round(top) + ' px (room for a legend it does not show)');
  });
  // a chart of days names its first and last day (the GMV chart's 28
  // days named every other one from the first, and not the last), and a
  // shaded band's label (the days not final yet) stays inside the band
  const axes = [];
  divs.forEach(d => {
    const inst = window.echarts && echarts.getInstanceByDom(d);
    const xm = inst && inst.getModel().getComponent('xAxis', 0);
    if (!xm || !xm.axis || xm.axis.type !== 'category' || !xm.get('axisLabel.show')) return;
    const cats = xm.axis.scale.getOrdinalMeta().categories, n = cats.length;
    if (!/^\d\d-\d\d/.test(cats[0])) return;
    const shown = xm.axis.getViewLabels().map(l => l.tickValue);
    if (n > 1 && !(shown.includes(0) && shown.includes(n - 1)))
      axes.push(d.id + ': ' + shown.length + ' of ' + n + ' categories labelled, not the first and the last (' + shown.join(',') + ')');
  });
  divs.forEach(d => {
    const inst = window.echarts && echarts.getInstanceByDom(d);
    if (!inst) return;
    const names = [], days = {};
    const xm = inst.getModel().getComponent('xAxis', 0), cats = xm && xm.axis && xm.axis.type === 'category' ? xm.axis.scale.getOrdinalMeta().categories : [];
    (inst.getOption().series || []).forEach(se => {
      const ma = se.markArea, p = ma && ma.data && ma.data[0];
      if (p && p[0] && p[0].name && ma.label && ma.label.show) {
        names.push(p[0].name);
        days[p[0].name] = cats.indexOf(p[1].xAxis) - cats.indexOf(p[0].xAxis) + 1;
      }
    });
    if (!names.length) return;
    let found = 0;
    inst.getZr().storage.getDisplayList(true).forEach(el => {
      const t = el.getTextContent && el.getTextContent();
      if (!t || !names.includes(t.style.text)) return;
      found++;
      const band = el.getBoundingRect().clone(), bm = el.getComputedTransform();
      if (bm) band.applyTransform(bm);
      // a band covers its days to their edges: one day not final was a
      // band of no width (from the day's centre to itself)
      const want = days[t.style.text] * xm.axis.getBandWidth();
      if (Math.abs(band.width - want) > 1.5)
        axes.push(d.id + ': shaded band "' + t.style.text + '" ' + Math.round(band.width) + ' px wide, ' + days[t.style.text] + ' days of ' + Math.round(xm.axis.getBandWidth()) + ' px');
      const b = t.getBoundingRect().clone(), m = t.getComputedTransform();
      if (m) b.applyTransform(m);
      // a band narrower than the label's longest word has it from its left edge
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = (t.style.fontSize || 12) + 'px sans-serif';
      const word = Math.max(...t.style.text.split(/\s+/).map(w => ctx.measureText(w).width));
      if (band.width > word + 6 && (b.x < band.x - 1 || b.x + b.width > band.x + band.width + 1))
        axes.push(d.id + ': shade label "' + t.style.text + '" ' + Math.round(b.width) + ' px wide on a band of ' + Math.round(band.width) + ' px');
    });
    if (found === 0) axes.push(d.id + ': shade label not found (' + names.join(', ') + ')');
  });
  return {charts: divs.length, legends: legends, axes: axes, drawn: (window.convintelChartsDrawn === undefined ? -1 : window.convintelChartsDrawn),
    bad: bad, pwned: !!window.__pwned, scroll: document.documentElement.scrollWidth, width: window.innerWidth,
    wide: wide, squeezed: squeezed, overlaps: overlaps, funnelLabels: funnelLabels,
    empty: document.querySelectorAll('section.empty, .nodata').length, wideQuote: wideQuote};
})()`

// TestBrowser opens every report file and every dashboard page (of
// Pages) in a real headless Chromium, in both languages, at 1400 px and
// on a 390 px phone: no JavaScript error, every chart drew (a canvas
// inside and an ECharts instance), the hostile fixture text did not run,
// nothing sticks out sideways (the page, a chart, a section; on the laptop
// no table needs its scroll bar), id cells are not squeezed into a
// character-wide column, the funnel's labels do not overlap, every
// legend shows all its series on lines above the plot (none pages them),
// a chart of one series has no legend and no room left for one,
// and a page over data shows no empty state. Screenshots go to
// out/screenshots (not committed): every page's with
// CONVINTEL_SCREENSHOTS=1, else a failing page's.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless-browser test skipped: %s not found (apt-get install -y chromium)", chromiumPath)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	type target struct{ name, url string }
	var targets []target

	// The self-contained report files, rendered from fixed data with
	// ECharts inline, opened from disk with no server at all.
	// They link each other as the demo's files do (reports.FileNav).
	dir := t.TempDir()
	files := map[[2]string]string{}
	for _, lang := range reports.Langs {
		for _, kind := range reports.Kinds {
			files[[2]string{kind, lang}] = kind + "." + lang + ".html"
		}
	}
	for _, lang := range reports.Langs {
		for _, kind := range reports.Kinds {
			path := filepath.Join(dir, kind+"."+lang+".html")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			o := reports.RenderOptions{Lang: lang, Names: reporttest.Names(), Nav: reports.FileNav(lang, kind, files)}
			switch kind {
			case "weekly":
				err = reports.RenderWeekly(f, reporttest.Weekly(), o)
			case "alerts":
				err = reports.RenderAlerts(f, reporttest.Alerts(), o)
			case "gmv":
				err = reports.RenderGMV(f, reporttest.GMV(), o)
			case "qa":
				err = reports.RenderQA(f, reporttest.QA(), o)
			case "agents":
				err = reports.RenderAgents(f, reporttest.Agents(), o)
			case "experiments":
				err = reports.RenderExperiments(f, reporttest.Experiments(), o)
			}
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			targets = append(targets, target{"report-" + kind + "." + lang, "file://" + path})
		}
		// a GMV report over four weeks, as the demo's: more days than a
		// phone can name
		path := filepath.Join(dir, "gmv-4w."+lang+".html")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		// with a promotion day, as the demo's four weeks have 10-01: the
		// growth cards' changes carry the "promo" mark
		g4 := reporttest.GMVFourWeeks()
		g4.PromotionDays = []string{g4.Period.To.AddDate(0, 0, -4).Format(time.DateOnly)}
		err = reports.RenderGMV(f, g4, reports.RenderOptions{Lang: lang, Names: reporttest.Names(), Nav: reports.FileNav(lang, "gmv", files)})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target{"report-gmv-4w." + lang, "file://" + path})
	}

	// The live dashboards on simulated data.
	if !testing.Short() {
		conn, from, to := loadSimulated(t)
		// Shops and agents named as the demo names them: an agent's
		// nickname is a few characters, which a narrow column wrapped
		// ("机器/人" in the zh scoreboard beside the shops' names).
		dims := "kind,id,zh,en\n"
		nick := [][2]string{{"小美", "Mei"}, {"阿杰", "Jie"}, {"小雨", "Yu"}, {"晓晓", "Xiaoxiao"}, {"安安", "An'an"}, {"小鹿", "Lu"}, {"阿宁", "Ning"}, {"果果", "Guoguo"}}
		n := 0
		for _, sh := range simulate.Shops(reporttest.SmallConfig().Shops) {
			dims += "shop," + sh.ID + "," + sh.Name + "," + sh.NameEN + "\n"
			for _, a := range sh.Agents {
				dims += fmt.Sprintf("agent,%s,%s,%s\n", a, nick[n%len(nick)][0], nick[n%len(nick)][1])
				n++
			}
		}
		names, err := reports.ReadDimensions(strings.NewReader(dims))
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(Options{Settings: DefaultSettings(), Source: reports.ShowSource(conn), Location: reporttest.Loc,
			Coverage: reports.ShowCoverage(conn, reporttest.Loc, 72*time.Hour), Names: names,
			Now: func() time.Time { return to.Add(36 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		week := reports.WeekOf(from.AddDate(0, 0, 14))
		rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
		for _, pg := range Pages {
			for _, lang := range reports.Langs {
				q := rng
				if pg.Weekly {
					q = "week=" + week.Week
				}
				targets = append(targets, target{"dashboard-" + strings.TrimPrefix(pg.Path, "/") + "." + lang, ts.URL + pg.Path + "?" + q + "&lang=" + lang})
			}
		}
		targets = append(targets, target{"dashboard-gmv-shop.en", ts.URL + "/gmv?" + rng + "&lang=en&shop=" + simulate.ShopID(0)})
		for _, g := range growthTargets(t) {
			targets = append(targets, target{g[0], g[1]})
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// the headers of the columns whose names stay on one line on a laptop
	// (a leading arm's tag may wrap after the name)
	var named, tags, rowLabels []string
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		named = append(named, l.T("shop"), strings.ReplaceAll(l.T("exp.variant"), "\u200b", ""), l.T("step"), l.T("node"))
		tags = append(tags, l.T("exp.leading_tag"))
		rowLabels = append(rowLabels, l.T("agents.no_agent"), l.T("agents.total"), l.T("qa.unassigned_row"), l.T("agent.unassigned")+" *")
	}
	rowLabelsJS, err := json.Marshal(rowLabels)
	if err != nil {
		t.Fatal(err)
	}
	namedJS, err := json.Marshal(named)
	if err != nil {
		t.Fatal(err)
	}
	tagsJS, err := json.Marshal(tags)
	if err != nil {
		t.Fatal(err)
	}
	probe := strings.NewReplacer("NAMED_COLUMNS", string(namedJS), "TAGS", string(tagsJS), "ROW_LABELS", string(rowLabelsJS)).Replace(pageProbe)
	// A small laptop (900 px) only for the report files: the funnel's
	// steps wrapped there in the half-width section beside daily conversion.
	viewports := []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"laptop", 1400, 900, false}, {"laptop900", 900, 900, false}, {"phone", 390, 844, true}}
	for _, tg := range targets {
		for _, vp := range viewports {
			if vp.width == 900 && !strings.HasPrefix(tg.name, "report-") {
				continue
			}
			name := tg.name + "." + vp.name
			t.Run(name, func(t *testing.T) {
				ctx, cancel := chromedp.NewContext(bctx)
				defer cancel()
				ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
				defer cancelTimeout()
				var mu sync.Mutex
				var problems []string
				var emuOpts []chromedp.EmulateViewportOption
				if vp.mobile {
					emuOpts = append(emuOpts, chromedp.EmulateMobile)
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, emuOpts...)); err != nil {
					t.Fatal(err)
				}
				messages := chromedp.Console(ctx)
				go func() {
					for m, err := range messages {
						if err != nil {
							return
						}
						if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
							mu.Lock()
							problems = append(problems, m.String())
							mu.Unlock()
						}
					}
				}()
				if err := chromedp.Do(ctx, chromedp.Navigate(tg.url)); err != nil {
					t.Fatalf("open %s: %v", tg.url, err)
				}
				var st pageState
				deadline := time.Now().Add(20 * time.Second)
				for {
					var err error
					st, err = chromedp.Run(ctx, chromedp.Evaluate[pageState](probe))
					if err != nil {
						t.Fatalf("probe: %v", err)
					}
					if st.Drawn >= 0 || time.Now().After(deadline) {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				// A full-page PNG costs seconds per page on a busy machine:
				// saved for every page with CONVINTEL_SCREENSHOTS=1, else
				// only for a page that fails.
				defer func() {
					if os.Getenv("CONVINTEL_SCREENSHOTS") == "" && !t.Failed() {
						return
					}
					shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Errorf("screenshot: %v", err)
						return
					}
					if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), shot, 0o644); err != nil {
						t.Error(err)
					}
				}()
				time.Sleep(200 * time.Millisecond) // let late console messages arrive
				mu.Lock()
				defer mu.Unlock()
				if len(problems) > 0 {
					t.Errorf("JavaScript errors:\n%s", strings.Join(problems, "\n"))
				}
				if st.Drawn != st.Charts || len(st.Bad) > 0 {
					t.Errorf("%d of %d charts drew; not drawn: %v", st.Drawn, st.Charts, st.Bad)
				}
				if strings.HasPrefix(tg.name, "report-") && st.Charts < 3 {
					t.Errorf("only %d charts on a fixture report", st.Charts)
				}
				if st.Pwned {
					t.Error("hostile user text ran as script")
				}
				// a phone lays a page wider than its screen out at that
				// width and opens it zoomed out (innerWidth grows with it):
				// the demo's English nav, links without a space between
				// them, ran 850 px wide
				if st.Width > int(vp.width) {
					t.Errorf("laid out %d px wide on a %d px screen: the page opens zoomed out", st.Width, vp.width)
				}
				if st.Scroll > st.Width+1 {
					t.Errorf("page scrolls sideways: content %d px wide in a %d px viewport", st.Scroll, st.Width)
				}
				if len(st.Wide) > 0 {
					t.Errorf("overflow at %d px: %s", st.Width, strings.Join(st.Wide, "; "))
				}
				if len(st.Squeezed) > 0 {
					t.Errorf("squeezed cells: %s", strings.Join(st.Squeezed, "; "))
				}
				// counts of a thousand and more read with separators,
				// as in the table beside the funnel (it drew "Consulted: 3565")
				for _, label := range st.FunnelLabels {
					if bareThousands.MatchString(label) {
						t.Errorf("funnel label %q: a count without separators", label)
					}
				}
				if len(st.Overlaps) > 0 {
					t.Errorf("funnel labels overlap: %s", strings.Join(st.Overlaps, "; "))
				}
				if len(st.Legends) > 0 {
					t.Errorf("legends: %s", strings.Join(st.Legends, "; "))
				}
				if len(st.Axes) > 0 {
					t.Errorf("chart labels: %s", strings.Join(st.Axes, "; "))
				}
				if st.WideQuote > 0.6 {
					t.Errorf("English text in a Chinese font: a quotation mark is %.2f em wide", st.WideQuote)
				}
				if st.Empty > 0 {
					t.Errorf("%d empty states on a page over data", st.Empty)
				}
				t.Log(fmt.Sprintf("%d charts drawn, %d px wide", st.Drawn, st.Scroll))
			})
		}
	}
}
