(function () {
  "use strict";
  var boot = window.CONVINTEL || { lang: "en", charts: [] };
  var zh = boot.lang === "zh-CN";
  // A negative number is written with the minus sign U+2212, as the
  // page's text is (reports.Minus): "−3.5 %", not "-3.5 %".
  var MINUS = "\u2212";
  function minus(s) { return s.charAt(0) === "-" ? MINUS + s.slice(1) : s; }
  function group(n) {
    var s = String(Math.round(Math.abs(n))), out = "";
    while (s.length > 3) { out = "," + s.slice(-3) + out; s = s.slice(0, -3); }
    return (Math.round(n) < 0 ? MINUS : "") + s + out;
  }
  function trim1(v) { var s = v.toFixed(1); return minus(s.slice(-2) === ".0" ? s.slice(0, -2) : s); }
  function compact(v) {
    var a = Math.abs(v);
    if (a < 10000) return group(v);
    if (zh) return a >= 1e8 ? trim1(v / 1e8) + "亿" : trim1(v / 1e4) + "万";
    if (a >= 1e9) return trim1(v / 1e9) + "B";
    if (a >= 1e6) return trim1(v / 1e6) + "M";
    return trim1(v / 1e3) + "k";
  }
  function money2(v) {
    var c = Math.round(Math.abs(v) * 100), f = c % 100;
    return (c > 0 && v < 0 ? MINUS : "") + "¥" + group(Math.floor(c / 100)) + "." + (f < 10 ? "0" : "") + f;
  }
  // The formatters charts refer to as "fmt:<name>" (reports/charts.go).
  var F = {
    pct: function (v) { return v == null || v === "-" ? "–" : minus((v * 100).toFixed(1)) + " %"; },
    pct0: function (v) { return v == null || v === "-" ? "–" : minus(String(Math.round(v * 100))) + " %"; },
    pct2: function (v) { return v == null || v === "-" ? "–" : minus((v * 100).toFixed(2)) + " %"; },
    money: function (v) { return v == null ? "–" : v < 0 ? MINUS + "¥" + compact(-v) : "¥" + compact(v); },
    money2: function (v) { return v == null ? "–" : money2(v); },
    count: function (v) { return v == null ? "–" : compact(v); }
  };
  // Formatters that read the whole label item, not only its value.
  var named = {
    named_count: function (p) { return p.name + (zh ? "：" : ": ") + (valueOf(p) == null ? "–" : group(valueOf(p))); }
  };
  // stackTotal is an axis tooltip (reports/charts.go withStackTotal): the
  // day, each series with the tooltip's valueFormatter, then their sum
  // under tip.totalLabel. The GMV chart "stacked: the top line is the
  // total" named the day's three parts but not the total its top line
  // stands at. The shaded bands' carriers (no name) are left out.
  function stackTotal(tip) {
    return function (ps) {
      var vf = typeof tip.valueFormatter === "function" ? tip.valueFormatter : F.money2;
      var head = "", lines = [], sum = 0, any = false;
      [].concat(ps || []).forEach(function (p) {
        if (!p || !p.seriesName) return;
        var v = valueOf(p);
        if (!head) head = p.axisValueLabel || p.name || "";
        if (typeof v === "number" && isFinite(v)) { sum += v; any = true; }
        lines.push((p.marker || "") + p.seriesName + "  " + vf(v));
      });
      if (!lines.length) return "";
      return [head].concat(lines, [tip.totalLabel + "  " + (any ? vf(sum) : vf(null))]).join("\n");
    };
  }
  function valueOf(p) {
    var v = p && typeof p === "object" && "value" in p ? p.value : p;
    return Array.isArray(v) ? v[v.length - 1] : v;
  }
  // fix replaces formatter markers with functions. Label formatters get a
  // params object, axis and value formatters a bare value.
  function fix(o, parent) {
    if (Array.isArray(o)) { for (var i = 0; i < o.length; i++) o[i] = fix(o[i], parent); return o; }
    if (!o || typeof o !== "object") return o;
    for (var k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      var v = o[k];
      if (k === "formatter" && v === "fmt:lines") {
        // a category label drawn on the lines it was broken into
        // (reports/charts.go withLabelLines); the category itself, which
        // the tooltip shows, stays whole
        o[k] = (function (lines) {
          return function (c) { return Object.prototype.hasOwnProperty.call(lines, c) ? lines[c] : c; };
        })(o.lines || {});
      } else if (k === "formatter" && v === "fmt:stack_total") {
        o[k] = stackTotal(o);
      } else if ((k === "formatter" || k === "valueFormatter") && typeof v === "string" && v.indexOf("fmt:") === 0) {
        var f = F[v.slice(4)], n = named[v.slice(4)];
        if (n && k === "formatter" && parent === "label") { o[k] = n; continue; }
        if (!f) { throw new Error("unknown formatter " + v); }
        o[k] = (k === "formatter" && parent === "label") ? function (p) { return f(valueOf(p)); } : f;
      } else {
        o[k] = fix(v, k);
      }
    }
    return o;
  }
  // fitLegend starts the plot below the legend's last line: a legend
  // wraps where the chart is narrow (three series on a phone take two or
  // three lines), and the grid's fixed top would put the plot under it.
  // The legend's box is read from ECharts after it laid the legend out.
  function fitLegend(inst, baseTop) {
    var legend = inst.getModel().getComponent("legend");
    var view = legend && legend.get("show") && inst.getViewOfComponentModel(legend);
    if (!view) return;
    var box = view.group.getBoundingRect();
    var top = Math.max(baseTop, Math.ceil(view.group.y + box.y + box.height) + 10);
    var grid = inst.getOption().grid;
    if (grid && grid.length && parseFloat(grid[0].top) !== top) inst.setOption({ grid: [{ top: top }] });
  }
  function gridTop(opt) {
    var g = Array.isArray(opt.grid) ? opt.grid[0] : opt.grid;
    return g && g.top != null ? parseFloat(g.top) || 0 : -1;
  }
  // labelEnds names a line chart's days (the "ends" interval of
  // reports/charts.go): all of them when their labels fit, else every s-th
  // counted back from the last, and the first, so the last day and the
  // first always carry a label (ECharts counts from the first: the GMV
  // chart's 28 days lost the last's). s is the smallest step that keeps
  // the labels apart and leaves the first one room before the next.
  var measure = document.createElement("canvas").getContext("2d");
  function labelEnds(inst, cats) {
    var axisModel = inst.getModel().getComponent("xAxis", 0);
    var axis = axisModel && axisModel.axis;
    var n = cats.length;
    if (!axis || n < 2) return;
    var fs = axis.getLabelModel().get("fontSize") || 12, w = 0, bw = axis.getBandWidth();
    // a chart laid out at no width (its section hidden) has no labels to
    // place: need was Infinity and the step search below never ended,
    // freezing the page
    if (!(bw > 0)) return;
    measure.font = fs + "px sans-serif";
    cats.forEach(function (c) { w = Math.max(w, measure.measureText(String(c)).width); });
    var need = Math.max(1, Math.ceil((w + 8) / bw));
    // at most the whole axis: the first and last day only. Narrower than
    // two labels (need > n − 1) the search ran on for ever too.
    var s = Math.min(need, n - 1);
    while (s < n - 1 && (n - 1) % s !== 0 && (n - 1) % s < need) s++;
    var f = need <= 1 ? 0 : function (i) { return i === 0 || (n - 1 - i) % s === 0; };
    // the ticks stay on every day: the shaded bands are placed on them
    inst.setOption({ xAxis: [{ axisLabel: { interval: f } }] });
  }
  // fitShades keeps a shaded band's label (the days not final yet) inside
  // the band: as wide as the band, on more lines if it needs them. On a
  // phone "Still inside the order window (not final)" ran past its band.
  function fitShades(inst, opt, cats) {
    var upd = [], any = false;
    [].concat(opt.series || []).forEach(function (se) {
      var ma = se.markArea, d = ma && ma.data && ma.data[0];
      upd.push({});
      if (!d || !Array.isArray(d) || !ma.label || !ma.label.show) return;
      var a = cats.indexOf(d[0].xAxis), b = cats.indexOf(d[1].xAxis);
      if (a < 0 || b < 0) return;
      // the band covers its days to their edges (a bar series carries
      // it, reports/charts.go): one day is a day wide
      var axis = inst.getModel().getComponent("xAxis", 0).axis;
      var w = Math.abs(inst.convertToPixel({ xAxisIndex: 0 }, b) - inst.convertToPixel({ xAxisIndex: 0 }, a)) + axis.getBandWidth();
      if (!(w > 0)) return;
      // a band narrower than the label's longest word (the GMV chart's
      // three partial days on a phone) gets the label from its left edge
      // on one line: broken into "pa / rti / al" it read as nothing
      measure.font = (ma.label.fontSize || 12) + "px sans-serif";
      var word = 0;
      String(d[0].name || "").split(/\s+/).forEach(function (t) { word = Math.max(word, measure.measureText(t).width); });
      // the width given is the one compared: a word a pixel wider than
      // floor(w) − 6 (but not than w − 6) was broken, "prom" over "o"
      var lw = Math.floor(w) - 6;
      var label = lw >= Math.ceil(word) ? { width: lw, overflow: "break", position: "insideTop" } : { width: null, overflow: "none", position: "insideTopLeft" };
      upd[upd.length - 1] = { markArea: { label: label } };
      any = true;
    });
    if (any) inst.setOption({ series: upd });
  }
  // clearShadeLabels keeps a shaded band's label off the lines: where a
  // point of a line lies under the label (or beside it, within a few
  // pixels), the value axis of that line gets one more step at the top.
  // The QA page's violations peaked on the promotion day under its
  // "promo" label, and an alert's spike the day after it ran through
  // the label on a phone, where the label reaches past its narrow band.
  function clearShadeLabels(inst, opt) {
    var names = {};
    [].concat(opt.series || []).forEach(function (se) {
      var d = se.markArea && se.markArea.label && se.markArea.label.show && se.markArea.data && se.markArea.data[0];
      if (d && d[0] && d[0].name) names[d[0].name] = true;
    });
    if (!Object.keys(names).length) return;
    for (var round = 0; round < 4; round++) {
      var boxes = [];
      inst.getZr().storage.getDisplayList(true).forEach(function (e) {
        if (!e.style || typeof e.style.text !== "string" || !names[e.style.text]) return;
        var r = e.getBoundingRect().clone(), m = e.getComputedTransform();
        if (m) r.applyTransform(m);
        boxes.push(r);
      });
      var raise = {};
      inst.getModel().eachSeries(function (sm) {
        if (sm.subType !== "line") return;
        var pts = sm.getData().getLayout("points");
        if (!pts) return;
        for (var i = 0; i + 1 < pts.length; i += 2) {
          var x = pts[i], y = pts[i + 1];
          boxes.forEach(function (r) {
            if (x >= r.x - 6 && x <= r.x + r.width + 6 && y <= r.y + r.height + 4) raise[sm.get("yAxisIndex") || 0] = true;
          });
        }
      });
      var upd = [], any = false;
      inst.getModel().eachComponent("yAxis", function (am, k) {
        upd.push({});
        if (!raise[k] || am.get("type") === "category") return;
        var ext = am.axis.scale.getExtent(), iv = am.axis.scale.getInterval();
        if (!(iv > 0)) return;
        upd[k] = { min: ext[0], max: ext[1] + iv, interval: iv };
        any = true;
      });
      if (!any) return;
      inst.setOption({ yAxis: upd });
    }
  }
  function categories(opt) {
    var x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    return x && (x.type === undefined || x.type === "category") && Array.isArray(x.data) ? x.data : null;
  }
  var drawn = [];
  (boot.charts || []).forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) { throw new Error("no element for chart " + c.id); }
    var opt = fix(c.option, "");
    // Text in tooltips is drawn, never parsed as HTML: ids and names are
    // user data.
    opt.tooltip = opt.tooltip || {};
    opt.tooltip.renderMode = "richText";
    opt.tooltip.confine = true;
    var cats = categories(opt);
    var xa = cats && (Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis);
    var ends = !!(xa && xa.axisLabel && xa.axisLabel.interval === "ends");
    if (ends) xa.axisLabel.interval = "auto";
    var inst = echarts.init(el, null, { renderer: "canvas" });
    inst.setOption(opt);
    var baseTop = gridTop(opt);
    if (baseTop >= 0) {
      fitLegend(inst, baseTop);
      inst.on("finished", function () { fitLegend(inst, baseTop); });
    }
    var fit = function () {
      if (ends) labelEnds(inst, cats);
      if (cats) fitShades(inst, opt, cats);
      if (cats) clearShadeLabels(inst, opt);
    };
    fit();
    drawn.push({ inst: inst, fit: fit });
  });
  window.addEventListener("resize", function () { drawn.forEach(function (d) { d.inst.resize(); d.fit(); }); });
  // The filter form holds a week or dates: editing one clears the other,
  // so Apply never sends both (the server would refuse the mix).
  var form = document.querySelector("form.filters");
  if (form) {
    var week = form.elements.week, from = form.elements.from, to = form.elements.to;
    if (week && from && to) {
      week.addEventListener("input", function () { if (week.value) { from.value = ""; to.value = ""; } });
      var dates = function () { if (from.value || to.value) { week.value = ""; } };
      from.addEventListener("input", dates);
      to.addEventListener("input", dates);
    }
  }
  window.convintelChartsDrawn = drawn.length;
})();
