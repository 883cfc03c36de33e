(function () {
  "use strict";
  var boot = window.CONVINTEL || { lang: "en", charts: [] };
  var zh = boot.lang === "zh-CN";
  function group(n) {
    var neg = n < 0, s = String(Math.round(Math.abs(n))), out = "";
    while (s.length > 3) { out = "," + s.slice(-3) + out; s = s.slice(0, -3); }
    return (neg ? "-" : "") + s + out;
  }
  function trim1(v) { var s = v.toFixed(1); return s.slice(-2) === ".0" ? s.slice(0, -2) : s; }
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
    return (v < 0 ? "-" : "") + "¥" + group(Math.floor(c / 100)) + "." + (f < 10 ? "0" : "") + f;
  }
  // The formatters charts refer to as "fmt:<name>" (reports/charts.go).
  var F = {
    pct: function (v) { return v == null ? "–" : (v * 100).toFixed(1) + " %"; },
    pct0: function (v) { return v == null ? "–" : Math.round(v * 100) + " %"; },
    pct2: function (v) { return v == null ? "–" : (v * 100).toFixed(2) + " %"; },
    money: function (v) { return v == null ? "–" : "¥" + compact(v); },
    money2: function (v) { return v == null ? "–" : money2(v); },
    count: function (v) { return v == null ? "–" : compact(v); }
  };
  // Formatters that read the whole label item, not only its value.
  var named = {
    named_count: function (p) { return p.name + (zh ? "：" : ": ") + (valueOf(p) == null ? "–" : group(valueOf(p))); }
  };
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
      if ((k === "formatter" || k === "valueFormatter") && typeof v === "string" && v.indexOf("fmt:") === 0) {
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
    var inst = echarts.init(el, null, { renderer: "canvas" });
    inst.setOption(opt);
    var baseTop = gridTop(opt);
    if (baseTop >= 0) {
      fitLegend(inst, baseTop);
      inst.on("finished", function () { fitLegend(inst, baseTop); });
    }
    drawn.push(inst);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (i) { i.resize(); }); });
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
