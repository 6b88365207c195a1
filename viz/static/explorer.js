/* conceptgraph explorer.
 * Corpus text is untrusted: it is only ever inserted with textContent /
 * text nodes / attribute values, never as HTML. */
(function () {
  "use strict";

  /* Any error while the map is built or drawn (also later, in vis-network's frames and in
   * event handlers) replaces the spinner with a message instead of leaving it spinning. */
  function failed(message) {
    var box = document.getElementById("cg-loading");
    box.classList.remove("cg-done");
    box.classList.add("cg-failed");
    box.textContent = "The map could not be drawn: " + message;
    document.documentElement.setAttribute("data-cg-error", "1");
  }
  window.addEventListener("error", function (ev) {
    failed(ev.error && ev.error.message ? ev.error.message : String(ev.message));
  });
  /* Tables keyed by corpus strings (concept labels, ids, types, link kinds) have no
   * prototype: a concept named "constructor" or "__proto__" is an ordinary key. */
  function dict(init) {
    var d = Object.create(null);
    if (init) Object.keys(init).forEach(function (k) { d[k] = init[k]; });
    return d;
  }

  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var timings = { script: Math.round(T0), parse: Math.round(performance.now() - T0) };

  /* The page stores each paper and concept record once (DATA.records, shared by the views)
   * and per view only columns (position, size, cluster, PageRank …; see _pack in
   * viz/html.py): expand them into the node and link records the explorer works with. */
  /* A link's evidence: -1 (none), one index into DATA.strings, or a list of them: its parts, each
   * with its separator, shared from link to link; "\u0001" and "\u0002" stand for the ids of the
   * link's two ends (see _evidence_parts in viz/html.py). */
  function evidenceText(x, fromId, toId) {
    var text = Array.isArray(x) ? x.map(function (i) { return DATA.strings[i]; }).join("") : x >= 0 ? DATA.strings[x] : "";
    return text.split("\u0002").join(toId).split("\u0001").join(fromId);
  }
  /* a node's label: 0 = its title, n = the title's first n characters and "…", else the label itself */
  function labelText(code, title) {
    return code === 0 ? title : typeof code === "number" ? title.slice(0, code) + "\u2026" : code;
  }

  function unpackView(v) {
    var c = v.node, e = v.edge, kinds = v.edgeKinds.map(function (k) { return k.kind; }), defaults = DATA.recordDefaults;
    v.meta = []; v.nodes = []; v.edges = []; v.edgeMeta = [];
    for (var i = 0; i < c.rec.length; i++) {
      var r = DATA.records[c.rec[i]], m = Object.assign({}, JSON.parse(JSON.stringify(defaults[r.kind] || {})), r);
      delete m.shape;
      m.cluster = c.cluster[i];
      m.pagerank = c.pagerank[i];
      if (c.yc) m.yc = c.yc[i];
      v.meta.push(m);
      var node = { id: i, text: labelText(c.label[i], m.title), shape: r.shape, size: c.size[i], group: "c" + m.cluster,
        font: { size: c.font[i] }, x: c.x[i], y: c.y[i] };
      if (m.kind === "concept" && m.generic) node.opacity = DATA.genericOpacity;
      v.nodes.push(node);
    }
    for (var k = 0; k < e.from.length; k++) {
      var kind = kinds[e.kind[k]];
      v.edges.push({ from: e.from[k], to: e.to[k], width: e.width[k], kind: kind });
      v.edgeMeta.push({ kind: kind, weight: e.weight[k], evidence: evidenceText(e.evidence[k], v.meta[e.from[k]].id, v.meta[e.to[k]].id) });
    }
    delete v.node;
    delete v.edge;
  }
  DATA.views.forEach(unpackView);
  timings.unpack = Math.round(performance.now() - T0) - timings.parse;
  var SVGNS = "http://www.w3.org/2000/svg"; // an XML namespace name, never fetched
  var FONT = "#1d2433", HILITE = "rgba(29,36,51,0.72)";
  var KIND_ORDER = dict({ "citation": 0, "inferred-citation": 1, "concept": 2, "cooccurrence": 3, "mention": 4 });
  var KIND_TEXT = dict({
    "concept": "shared concepts", "citation": "citation", "inferred-citation": "inferred citation",
    "cooccurrence": "co-occurrence", "mention": "mention"
  });
  var DIM_EDGE_LIMIT = 6000, ANIMATE_MAX_NODES = 1500, MOVING_EDGE_LIMIT = 6000;

  function $(id) { return document.getElementById(id); }
  /* vis-network animations advance one step per frame, so on big maps (slow
   * frames) they would last seconds: jump instead. */
  function anim(ms) {
    return cur && cur.n > ANIMATE_MAX_NODES ? false : { duration: ms, easingFunction: "easeInOutQuad" };
  }
  function el(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") e.textContent = String(v);
        else if (k === "cls") e.className = v;
        else if (k === "style") Object.assign(e.style, v);
        else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(parent, kid) {
    if (kid === null || kid === undefined || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { add(parent, k); }); return; }
    parent.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : (many || one + "s")); }
  function swatch(colour) { return el("span", { cls: "cg-sw", style: { background: colour } }); }

  var SHAPE_PATHS = dict({
    dot: ["circle", { cx: 8, cy: 8, r: 6 }],
    diamond: ["path", { d: "M8 1.2L14.8 8 8 14.8 1.2 8Z" }],
    square: ["rect", { x: 2.5, y: 2.5, width: 11, height: 11 }],
    hexagon: ["path", { d: "M8 1.5l5.6 3.25v6.5L8 14.5l-5.6-3.25v-6.5Z" }],
    triangle: ["path", { d: "M8 1.8l6.6 12H1.4Z" }],
    triangleDown: ["path", { d: "M1.4 2.5h13.2L8 14.2Z" }],
    star: ["path", { d: "M8 1.2l1.9 4.4 4.8.4-3.6 3.1 1.1 4.7L8 11.3l-4.2 2.5 1.1-4.7L1.3 6l4.8-.4Z" }]
  });
  function shapeIcon(shape, colour) {
    var s = svgEl("svg", { viewBox: "0 0 16 16", "class": "cg-shape", "aria-hidden": "true" });
    var p = SHAPE_PATHS[shape] || SHAPE_PATHS.dot;
    s.appendChild(svgEl(p[0], Object.assign({ fill: colour || "#8d96a3", stroke: "rgba(0,0,0,.35)", "stroke-width": 0.8 }, p[1])));
    return s;
  }
  function edgeIcon(k) {
    var s = svgEl("svg", { viewBox: "0 0 34 12", "class": "cg-edge", "aria-hidden": "true" });
    var colour = String(k.colour).replace(/[\d.]+\)$/, "1)");
    var line = svgEl("line", { x1: 1, y1: 6, x2: k.dashes && DATA_DIRECTED() ? 27 : 33, y2: 6, stroke: colour, "stroke-width": 2 });
    if (k.dashes) line.setAttribute("stroke-dasharray", k.dashes.join(" "));
    s.appendChild(line);
    if (k.dashes && DATA_DIRECTED()) s.appendChild(svgEl("path", { d: "M27 2.5L33 6 27 9.5Z", fill: colour }));
    return s;
  }
  function DATA_DIRECTED() { return cur && cur.v.directed; }

  function hexToRgb(h) {
    h = String(h).replace("#", "");
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  function shade(hex, f) {
    return "#" + hexToRgb(hex).map(function (x) { var h = Math.floor(x * f).toString(16); return h.length < 2 ? "0" + h : h; }).join("");
  }
  /* a vis-network colour object for one node colour (as the Python side builds for groups) */
  function nodeColourObj(hex) {
    var sel = { background: hex, border: "#1d2433" };
    return { background: hex, border: shade(hex, 0.72), highlight: sel, hover: sel };
  }
  function mix(hex, t) { // towards the background
    var c = hexToRgb(hex), b = [244, 245, 248];
    return "rgb(" + c.map(function (x, i) { return Math.round(x + (b[i] - x) * t); }).join(",") + ")";
  }

  // ------------------------------------------------------------------ cross-view indexes
  var conceptPapers = dict();  // lower-case concept label -> paper indexes in list.view
  var byId = dict();           // view name -> {original id string -> index}
  var byLabel = dict();        // view name -> {lower-case concept label -> index}
  DATA.views.forEach(function (v) {
    var ids = byId[v.name] = dict(), labels = byLabel[v.name] = dict();
    v.meta.forEach(function (m, i) {
      ids[m.id] = i;
      if (m.kind === "concept") {
        var key = m.title.toLowerCase();
        if (!(key in labels)) labels[key] = i;
      } else {
        m.concepts.forEach(function (c) {
          var key = c.toLowerCase(), list = conceptPapers[key] || (conceptPapers[key] = []);
          if (v.name === (list.view || v.name)) { list.view = v.name; list.push(i); }
        });
      }
    });
  });

  // ------------------------------------------------------------------ state
  var states = dict(), cur = null, network = null, selected = null;
  var colourMode = DATA.colourBy === "year" ? "year" : "cluster";
  var cg = window.cg = {
    ready: false, readyMs: null, data: DATA, timings: timings,
    network: function () { return network; },
    view: function () { return cur && cur.v.name; },
    stats: function () {
      return {
        view: cur.v.name,
        nodes: network ? network.body.nodeIndices.length : 0,
        edges: !network ? 0 : cur.canvasEdges ? cur.drawnEdges : network.body.edgeIndices.length,
        edgeLayer: cur.v.edgeLayer,
        totalNodes: cur.n, totalEdges: cur.v.edges.length,
        omitted: cur.v.omitted
      };
    },
    select: function (i) { selectNode(i, { focus: true }); return i; },
    search: function (q) { var r = searchIndex(q, 1)[0]; if (r) choose(r); return r ? (r.id === undefined ? null : r.id) : null; },
    selected: function () { return selected; },
    setView: function (name) { setView(name); },
    clear: function () { clearSelection(); },
    /* colouring: "cluster" or "year" (what was asked) and what this view shows */
    colourMode: function () { return colourMode; },
    colouredAs: function () { return cur && cur.colouredAs; },
    setColour: function (mode) { setColourMode(mode); return cur.colouredAs; },
    nodes: function () { return cur && cur.nodes; },
    /* what the last frame labelled: cluster names and node labels, as boxes [x0, y0, x1, y1] in DOM pixels */
    labels: function () {
      var toDom = function (r) {
        var a = network.canvasToDOM({ x: r[0], y: r[1] }), b = network.canvasToDOM({ x: r[2], y: r[3] });
        return [a.x, a.y, b.x, b.y];
      };
      return { clusters: (cur.labelBoxes || []).map(function (r) { return { cluster: r.cluster, box: toDom(r) }; }),
               nodes: (cur.nodeLabelBoxes || []).map(function (r) { return { node: r.node, box: toDom(r) }; }) };
    },
    fitted: function () { return fitted; }
  };

  function makeState(v) {
    var n = v.nodes.length, canvasEdges = v.edgeLayer === "canvas";
    var st = {
      v: v, n: n, meta: v.meta, em: v.edgeMeta, positioned: false, canvasEdges: canvasEdges,
      clusterOn: v.clusters.map(function () { return true; }),
      typeOn: dict(), kindOn: dict(), showGeneric: true, yearFrom: null, yearTo: null,
      visible: new Uint8Array(n), dimmed: new Uint8Array(n), edgeDimmed: null,
      focus: null, hiEdges: null, drawnEdges: 0
    };
    st.visible.fill(1);
    v.types.forEach(function (t) { st.typeOn[t.type] = true; });
    st.kindStyle = dict();
    // dense maps: fade the plain (non-citation) links so the structure shows through
    var fade = Math.max(0.25, Math.min(1, 4 * Math.max(n, 1) / Math.max(v.edges.length, 1)));
    v.edgeKinds.forEach(function (k) {
      st.kindOn[k.kind] = true;
      var sty = Object.assign({}, k);
      if (fade < 1 && k.kind !== "citation" && k.kind !== "inferred-citation") {
        sty.colour = String(k.colour).replace(/([\d.]+)\)$/, function (_, a) { return (+a * fade).toFixed(3) + ")"; });
      }
      st.kindStyle[k.kind] = sty;
    });
    // cluster colours (the same objects as vis-network's groups) and their faded versions
    st.groupColour = v.clusters.map(function (c, ci) { return v.options.groups["c" + ci].color; });
    st.fadedColour = st.groupColour.map(function (c) {
      return { background: mix(c.background, 0.82), border: mix(c.border, 0.8), highlight: c.highlight, hover: c.hover };
    });
    st.labelColour = v.clusters.map(function (c) {
      var rgb = hexToRgb(c.colour);
      return "rgb(" + rgb.map(function (x) { return Math.round(x * 0.55); }).join(",") + ")";
    });
    // year overlay colours (Python gives each node its viridis colour, or grey for "no year")
    st.colouredAs = "cluster";
    if (v.years) {
      st.yearColour = v.meta.map(function (m) { return nodeColourObj(m.yc || DATA.noYearColour); });
      st.yearFaded = st.yearColour.map(function (c) {
        return { background: mix(c.background, 0.82), border: mix(c.border, 0.8), highlight: c.highlight, hover: c.hover };
      });
    }
    st.nodes = new vis.DataSet(v.nodes);
    st.nodesView = new vis.DataView(st.nodes, { filter: function (x) { return st.visible[x.id] === 1; } });
    if (!canvasEdges) {
      st.edges = new vis.DataSet(v.edges.map(function (edge, i) {
        var k = st.kindStyle[edge.kind] || {};
        var o = { id: i, from: edge.from, to: edge.to, width: edge.width, kind: edge.kind,
          color: { color: k.colour, highlight: HILITE, hover: HILITE } };
        if (k.dashes) o.dashes = k.dashes;
        if (v.directed) o.arrows = { to: { enabled: edge.kind === "citation" || edge.kind === "inferred-citation", scaleFactor: 0.45 } };
        return o;
      }));
      st.edgesView = new vis.DataView(st.edges, {
        filter: function (e) { return st.kindOn[e.kind] !== false && st.visible[e.from] === 1 && st.visible[e.to] === 1; }
      });
    } else {
      // batches for the canvas edge layer: one path per (kind, width step)
      var batches = dict();
      v.edges.forEach(function (e, k) {
        var w = Math.round(e.width * 2) / 2, key = e.kind + "|" + w;
        (batches[key] || (batches[key] = { kind: e.kind, width: w, idx: [] })).idx.push(k);
      });
      st.batches = Object.keys(batches).sort().map(function (key) {
        var b = batches[key], sty = st.kindStyle[b.kind] || {};
        b.colour = sty.colour || "rgba(110,120,140,0.35)";
        b.dashes = sty.dashes || null;
        b.arrow = v.directed && (b.kind === "citation" || b.kind === "inferred-citation");
        return b;
      });
    }
    st.adj = [];
    for (var i = 0; i < n; i++) st.adj.push([]);
    v.edges.forEach(function (e, k) {
      st.adj[e.from].push([e.to, k]);
      if (e.to !== e.from) st.adj[e.to].push([e.from, k]);
    });
    st.search = v.meta.map(function (m) { return m.title.toLowerCase(); });
    // node labels are placed most central first (see drawNodeLabels)
    st.labelOrder = v.meta.map(function (m, i) { return i; }).sort(function (a, b) {
      return (v.meta[b].pagerank - v.meta[a].pagerank) || (a - b);
    });
    st.years = [];
    v.meta.forEach(function (m) {
      [m.year, m.firstYear, m.lastYear].forEach(function (y) { if (y !== null && y !== undefined) st.years.push(y); });
    });
    return st;
  }

  // ------------------------------------------------------------------ colouring: cluster | year
  function colourOf(st, i, off) {
    if (st.colouredAs === "year") return off ? st.yearFaded[i] : st.yearColour[i];
    var ci = st.meta[i].cluster;
    return off ? st.fadedColour[ci] : st.groupColour[ci];
  }
  /* bring the current view's node colours in line with the chosen mode */
  function recolour() {
    var st = cur;
    if (!st) return;
    var want = colourMode === "year" && st.v.years ? "year" : "cluster";
    if (st.colouredAs === want) return;
    st.colouredAs = want;
    var upd = [];
    for (var i = 0; i < st.n; i++) upd.push({ id: i, color: colourOf(st, i, st.dimmed[i] === 1) });
    st.nodes.update(upd);
    if (network) network.redraw();
  }
  function setColourMode(mode) {
    colourMode = mode === "year" ? "year" : "cluster";
    recolour();
    buildLegend();
  }

  function edgeShown(st, e) {
    return st.kindOn[e.kind] !== false && st.visible[e.from] === 1 && st.visible[e.to] === 1;
  }

  /* The part of the link p-q inside the rectangle r = [x0, y0, x1, y1] (Liang-Barsky), into SEG as
   * [x0, y0, x1, y1, reaches q]; false when it misses r. With a dash pattern `period` long, the start
   * moves back to a whole number of periods from p, so the dashes stay where they were.
   * Only what is on screen is stroked: zoomed in on a 25,000-link map (a click zooms in), about 5 %
   * of the links' length was in view, and rasterising the rest made each frame cost 0.5-1.4 s. */
  var SEG = [0, 0, 0, 0, false], clipT0 = 0, clipT1 = 1;
  function clipSide(pk, qk) {
    if (pk === 0) return qk >= 0;
    var t = qk / pk;
    if (pk < 0) { if (t > clipT1) return false; if (t > clipT0) clipT0 = t; }
    else { if (t < clipT0) return false; if (t < clipT1) clipT1 = t; }
    return true;
  }
  function clipToView(p, q, r, period) {
    var dx = q.x - p.x, dy = q.y - p.y;
    clipT0 = 0; clipT1 = 1;
    if (!clipSide(-dx, p.x - r[0]) || !clipSide(dx, r[2] - p.x) || !clipSide(-dy, p.y - r[1]) || !clipSide(dy, r[3] - p.y)) return false;
    if (period && clipT0 > 0) {
      var len = Math.sqrt(dx * dx + dy * dy);
      clipT0 = Math.floor(clipT0 * len / period) * period / len;
    }
    SEG[0] = p.x + clipT0 * dx; SEG[1] = p.y + clipT0 * dy;
    SEG[2] = p.x + clipT1 * dx; SEG[3] = p.y + clipT1 * dy;
    SEG[4] = clipT1 === 1;
    return true;
  }
  /* the visible canvas in network coordinates, widened by room for line caps, arrows and node radii */
  function viewRect() {
    var box = $("cg-network"), scale = network.getScale(), pad = 48 + 12 / scale;
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), z = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    return [a.x - pad, a.y - pad, z.x + pad, z.y + pad];
  }
  function dashesFor(dashes, lw) { return dashes ? dashes.map(function (d) { return d * Math.max(1, lw * 0.8); }) : []; }
  function period(dash) { return dash.length ? 2 * dash.reduce(function (x, y) { return x + y; }, 0) : 0; }

  /* The canvas edge layer (static layouts): drawn under the nodes, in network
   * coordinates, from the nodes' live positions (so dragging works). */
  function drawEdges(ctx) {
    var st = cur;
    if (!st || !st.canvasEdges || !network) return;
    var body = network.body.nodes, scale = network.getScale(), edges = st.v.edges;
    var hi = st.hiEdges, count = 0;
    if (st.moving && edges.length > MOVING_EDGE_LIMIT) return;  // like vis's hideEdgesOnDrag/Zoom
    var minW = 0.7 / scale, view = viewRect();
    ctx.save();
    ctx.lineCap = "round";
    st.batches.forEach(function (b) {
      if (st.kindOn[b.kind] === false) return;
      var lw = Math.max(b.width, minW), dash = dashesFor(b.dashes, lw), every = period(dash);
      ctx.lineWidth = lw;
      ctx.setLineDash(dash);
      ctx.strokeStyle = b.colour;
      ctx.beginPath();
      for (var n = 0; n < b.idx.length; n++) {
        var k = b.idx[n], e = edges[k];
        if (st.visible[e.from] !== 1 || st.visible[e.to] !== 1) continue;
        var p = body[e.from], q = body[e.to];
        if (!p || !q) continue;
        count++;
        if (hi && hi.has(k)) continue;  // drawn above the veil by drawFocus
        if (!clipToView(p, q, view, every)) continue;
        ctx.moveTo(SEG[0], SEG[1]);
        ctx.lineTo(SEG[2], SEG[3]);
        if (b.arrow && SEG[4]) arrowHead(ctx, p, q, lw);
      }
      ctx.stroke();
    });
    ctx.restore();
    st.drawnEdges = count;
  }

  /* Canvas mode selection: a veil over the map, then the selection's links and
   * nodes drawn again on top (no per-node updates, so it is instant at 5,000 nodes). */
  function drawFocus(ctx) {
    var st = cur;
    if (!st || !st.canvasEdges || !network || !st.focus) return;
    var body = network.body.nodes, edges = st.v.edges, scale = network.getScale();
    var c = $("cg-network"), a = network.DOMtoCanvas({ x: 0, y: 0 }), z = network.DOMtoCanvas({ x: c.clientWidth, y: c.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(244,245,248,0.78)";
    ctx.fillRect(a.x, a.y, z.x - a.x, z.y - a.y);
    // links inside the focus keep their normal style above the veil
    var minW = 0.7 / scale, focus = st.focus, view = viewRect();
    ctx.lineCap = "round";
    st.batches.forEach(function (b) {
      if (st.kindOn[b.kind] === false) return;
      var lw = Math.max(b.width, minW), dash = dashesFor(b.dashes, lw), every = period(dash), any = false;
      ctx.beginPath();
      for (var n = 0; n < b.idx.length; n++) {
        var k = b.idx[n], e = edges[k];
        if (!focus.has(e.from) || !focus.has(e.to) || (st.hiEdges && st.hiEdges.has(k))) continue;
        if (st.visible[e.from] !== 1 || st.visible[e.to] !== 1) continue;
        var p = body[e.from], q = body[e.to];
        if (!p || !q || !clipToView(p, q, view, every)) continue;
        ctx.moveTo(SEG[0], SEG[1]);
        ctx.lineTo(SEG[2], SEG[3]);
        any = true;
      }
      if (!any) return;
      ctx.lineWidth = lw;
      ctx.setLineDash(dash);
      ctx.strokeStyle = b.colour;
      ctx.stroke();
    });
    if (st.hiEdges) {
      ctx.strokeStyle = HILITE;
      ctx.lineCap = "round";
      st.hiEdges.forEach(function (k) {
        var e = edges[k], p = body[e.from], q = body[e.to], b = st.kindStyle[e.kind] || {};
        if (!edgeShown(st, e) || !p || !q) return;
        var lw = Math.max(e.width * 0.8, 1.3 / scale), dash = dashesFor(b.dashes, lw);
        if (!clipToView(p, q, view, period(dash))) return;
        ctx.lineWidth = lw;
        ctx.setLineDash(dash);
        ctx.beginPath();
        ctx.moveTo(SEG[0], SEG[1]);
        ctx.lineTo(SEG[2], SEG[3]);
        if (SEG[4] && st.v.directed && (e.kind === "citation" || e.kind === "inferred-citation")) arrowHead(ctx, p, q, lw);
        ctx.stroke();
      });
    }
    ctx.setLineDash([]);
    st.focus.forEach(function (i) {
      var node = body[i];
      if (node && st.visible[i] === 1) node.draw(ctx);
    });
    ctx.restore();
  }
  /* island names: each cluster's label above its nodes, at a constant screen size */
  function drawClusterLabels(ctx) {
    var st = cur;
    if (!st || !network || !DATA.clusterLabels) return;
    var body = network.body.nodes, scale = network.getScale(), boxes = [];
    for (var i = 0; i < st.n; i++) {
      if (st.visible[i] !== 1) continue;
      var p = body[i];
      if (!p) continue;
      var ci = st.meta[i].cluster, b = boxes[ci];
      if (!b) b = boxes[ci] = { x0: p.x, x1: p.x, y0: p.y, y1: p.y, n: 0 };
      if (p.x < b.x0) b.x0 = p.x;
      if (p.x > b.x1) b.x1 = p.x;
      if (p.y < b.y0) b.y0 = p.y;
      if (p.y > b.y1) b.y1 = p.y;
      b.n++;
    }
    var min = Math.max(3, Math.ceil(st.n * 0.004)), px = 13 / scale;
    ctx.save();
    ctx.font = "650 " + px + "px Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.lineJoin = "round";
    ctx.globalAlpha = st.focus ? 0.35 : 1;
    var placed = st.labelBoxes = [], pad = 4 / scale, box = $("cg-network");
    var view0 = network.DOMtoCanvas({ x: 0, y: 0 }), view1 = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    boxes.forEach(function (b, ci) {
      var c = st.v.clusters[ci];
      if (!b || b.n < min || c.other || c.id === null) return;
      // on the canvas a cluster is named by its first concept (the legend has the whole label):
      // a dozen three-concept names left no room for a single paper's label
      var name = c.label.split(" / ")[0];
      var w = ctx.measureText(name).width, x = (b.x0 + b.x1) / 2, y, r = null;
      // keep the name inside the visible canvas
      x = Math.max(view0.x + w / 2 + pad * 2, Math.min(view1.x - w / 2 - pad * 2, x));
      // above the cluster, else below it, else further up: larger clusters come first and win
      var tries = [b.y0 - 14 / scale, b.y1 + px + 18 / scale, b.y0 - 14 / scale - (px + 2 * pad), b.y0 - 14 / scale - 2 * (px + 2 * pad)];
      for (var t = 0; t < tries.length && !r; t++) {
        y = Math.max(view0.y + px + pad * 2, tries[t]);
        var cand = [x - w / 2 - pad, y - px - pad, x + w / 2 + pad, y + pad];
        if (!placed.some(function (q) { return overlaps(cand, q); })) r = cand;
      }
      if (!r) return;
      r.cluster = ci;
      placed.push(r);
      ctx.lineWidth = 4 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(name, x, y);
      ctx.fillStyle = st.labelColour[ci];
      ctx.fillText(name, x, y);
    });
    ctx.restore();
  }
  function overlaps(r, q) { return r[0] < q[2] && q[0] < r[2] && r[1] < q[3] && q[1] < r[3]; }

  /* Node labels, drawn by the explorer instead of vis-network so that none overlaps another
   * (or a cluster name): the most central nodes are labelled first, a label that would cover
   * one already drawn is left out until zooming in makes room. With a selection, only the
   * selected nodes and their neighbours are labelled. */
  var LABELS_PER_FRAME = 600;
  var ALWAYS_LABELLED = 10, MIN_LABEL_PX = 6;
  function drawNodeLabels(ctx) {
    var st = cur;
    if (!st || !network) return;
    var body = network.body.nodes, scale = network.getScale(), nodes = st.v.nodes;
    var threshold = st.v.options.nodes.scaling.label.drawThreshold;
    var box = $("cg-network"), a = network.DOMtoCanvas({ x: 0, y: 0 }), z = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    var placed = (st.labelBoxes || []).slice(), drawn = [], pad = 2 / scale;
    var order = st.focus ? st.labelOrder.filter(function (i) { return st.focus.has(i); }) : st.labelOrder;
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    for (var n = 0; n < order.length && drawn.length < LABELS_PER_FRAME; n++) {
      var i = order[n], node = nodes[i], p = body[i];
      if (st.visible[i] !== 1 || !p || !node.text) continue;
      // labels of a selection stay readable when zoomed out; others appear as one zooms in
      var size = st.focus ? Math.max(node.font.size, threshold / scale) : node.font.size;
      // the most central titles are labelled at the fitted zoom even when it is a little below
      // the threshold (a map a bit wider than the last one would otherwise show no title)
      if (size * scale < (n < ALWAYS_LABELLED ? MIN_LABEL_PX : threshold)) continue;
      var y = p.y + node.size + 3 / scale;
      if (p.x < a.x || p.x > z.x || y > z.y || y + size < a.y) continue;
      ctx.font = size + "px Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      var w = ctx.measureText(node.text).width;
      var r = [p.x - w / 2 - pad, y - pad, p.x + w / 2 + pad, y + size + pad];
      if (r[0] < a.x || r[2] > z.x || r[3] > z.y) continue;  // never a label cut at the edge
      if (placed.some(function (q) { return overlaps(r, q); })) continue;
      placed.push(r);
      r.node = i;
      drawn.push(r);
      ctx.lineWidth = Math.max(size * 0.22, 1 / scale);
      ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.strokeText(node.text, p.x, y);
      ctx.fillStyle = FONT;
      ctx.fillText(node.text, p.x, y);
    }
    ctx.restore();
    st.nodeLabelBoxes = drawn;
  }
  function arrowHead(ctx, p, q, lw) {
    var dx = q.x - p.x, dy = q.y - p.y, d = Math.sqrt(dx * dx + dy * dy);
    if (d < 1e-6) return;
    var r = (q.options && q.options.size) || 10, ux = dx / d, uy = dy / d;
    var tx = q.x - ux * r, ty = q.y - uy * r, s = Math.max(5, lw * 4);
    ctx.moveTo(tx - ux * s - uy * s * 0.5, ty - uy * s + ux * s * 0.5);
    ctx.lineTo(tx, ty);
    ctx.lineTo(tx - ux * s + uy * s * 0.5, ty - uy * s - ux * s * 0.5);
    ctx.moveTo(q.x, q.y);
  }
  /* nearest shown edge to a point (network coordinates), within a few pixels */
  function pickEdge(pt) {
    var st = cur, body = network.body.nodes, best = -1, bestD = 6 / network.getScale();
    st.v.edges.forEach(function (e, k) {
      if (!edgeShown(st, e)) return;
      var p = body[e.from], q = body[e.to];
      if (!p || !q) return;
      var dx = q.x - p.x, dy = q.y - p.y, L = dx * dx + dy * dy;
      var t = L ? Math.max(0, Math.min(1, ((pt.x - p.x) * dx + (pt.y - p.y) * dy) / L)) : 0;
      var x = p.x + t * dx - pt.x, y = p.y + t * dy - pt.y, d = Math.sqrt(x * x + y * y);
      if (d < bestD) { bestD = d; best = k; }
    });
    return best;
  }

  // ------------------------------------------------------------------ tooltips (DOM, text only)
  var tipTimer = null;
  function showTip(content, dom) {
    clearTimeout(tipTimer);
    tipTimer = setTimeout(function () {
      var tip = $("cg-tip"), stage = $("cg-stage");
      tip.replaceChildren(content);
      tip.hidden = false;
      var w = tip.offsetWidth, h = tip.offsetHeight, W = stage.clientWidth, H = stage.clientHeight;
      var x = dom.x + 14, y = dom.y + 14;
      if (x + w > W - 8) x = Math.max(8, dom.x - w - 14);
      if (y + h > H - 8) y = Math.max(8, dom.y - h - 14);
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    }, 160);
  }
  function hideTip() { clearTimeout(tipTimer); $("cg-tip").hidden = true; }

  function tooltip(st, i) {
    var m = st.meta[i], c = st.v.clusters[m.cluster];
    var metaBits = [c.label];
    if (m.kind === "paper") { if (m.year) metaBits.push(String(m.year)); }
    else {
      metaBits.unshift(m.type);
      if (m.n_papers !== null && m.n_papers !== undefined) metaBits.push(plural(m.n_papers, "paper"));
      if (yearSpan(m)) metaBits.push(yearSpan(m));
    }
    var box = el("div", { cls: "cg-tip-inner" },
      el("b", { text: m.title }),
      el("div", { cls: "cg-tip-meta" }, swatch(c.colour), metaBits.join(" · ")));
    if (m.kind === "paper" && m.concepts.length) {
      var shown = m.concepts.slice(0, 8).join(", ") + (m.concepts.length > 8 ? ", …" : "");
      box.appendChild(el("div", { cls: "cg-tip-list", text: shown }));
    }
    return box;
  }
  function edgeTip(st, k) {
    var e = st.em[k], ends = st.v.edges[k];
    return el("div", { cls: "cg-tip-inner" },
      el("b", { text: (KIND_TEXT[e.kind] || e.kind) + " · weight " + (+e.weight.toFixed(3)) }),
      el("div", { cls: "cg-tip-meta", text: st.meta[ends.from].title + (st.v.directed ? " → " : " — ") + st.meta[ends.to].title }),
      why(k, ends.from, ends.to) ? el("div", { cls: "cg-tip-list", text: why(k, ends.from, ends.to) }) : null);
  }

  // ------------------------------------------------------------------ mounting a view
  function setView(name) {
    var v = DATA.views.filter(function (x) { return x.name === name; })[0];
    if (!v) return;
    if (cur && network) {
      keepPositions(cur);
      network.destroy();
      network = null;
    }
    selected = null;
    closePanel();
    var t = performance.now();
    cur = states[name] || (states[name] = makeState(v));
    timings.state = Math.round(performance.now() - t);
    recolour();
    Array.prototype.forEach.call($("cg-views").children, function (b) {
      b.setAttribute("aria-pressed", b.dataset.view === name ? "true" : "false");
    });
    buildLegend();
    buildNotice();
    mount();
  }

  function mount() {
    var st = cur;
    var opts = JSON.parse(JSON.stringify(st.v.options));
    $("cg-loading").classList.remove("cg-done");
    st.focus = null; st.hiEdges = null;
    undim();
    recolour();
    var t = performance.now();
    var data = { nodes: st.nodesView, edges: st.canvasEdges ? new vis.DataSet([]) : st.edgesView };
    network = new vis.Network($("cg-network"), data, opts);
    timings.network = Math.round(performance.now() - t);
    var physicsBtn = $("cg-physics");
    physicsBtn.hidden = !st.v.physicsToggle;
    physicsBtn.setAttribute("aria-pressed", "false");
    st.physicsOn = false;
    if (st.canvasEdges) network.on("beforeDrawing", drawEdges);
    network.on("afterDrawing", function (ctx) { drawFocus(ctx); drawClusterLabels(ctx); drawNodeLabels(ctx); });
    network.once("afterDrawing", function () {
      $("cg-loading").classList.add("cg-done");
      timings.firstDraw = Math.round(performance.now() - t);
      if (!cg.ready) {
        cg.ready = true;
        cg.readyMs = Math.round(performance.now());
        document.documentElement.setAttribute("data-cg-ready", "1");
      }
      updateStats();
    });
    fitTo(null);
    network.on("click", function (p) {
      hideTip();
      if (p.nodes.length) { selectNode(p.nodes[0], { focus: false }); return; }
      var k = p.edges.length ? p.edges[0] : (st.canvasEdges ? pickEdge(p.pointer.canvas) : -1);
      if (k >= 0) selectEdge(k); else clearSelection();
    });
    network.on("doubleClick", function (p) {
      if (p.nodes.length) network.focus(p.nodes[0], { scale: Math.max(network.getScale() * 1.8, 1.2), animation: anim(400) });
    });
    network.on("hoverNode", function (p) {
      $("cg-network").style.cursor = "pointer";
      showTip(tooltip(cur, p.node), p.pointer.DOM);
    });
    network.on("blurNode", function () { $("cg-network").style.cursor = ""; hideTip(); });
    network.on("hoverEdge", function (p) { showTip(edgeTip(cur, p.edge), p.pointer.DOM); });
    network.on("blurEdge", hideTip);
    var settle = null;
    var moving = function () {
      st.moving = true;
      clearTimeout(settle);
      settle = setTimeout(function () { st.moving = false; if (network) network.redraw(); }, 160);
    };
    network.on("dragStart", function (p) { hideTip(); if (!p.nodes.length) st.moving = true; });
    network.on("dragEnd", function () { if (st.moving) moving(); });
    network.on("zoom", function () { hideTip(); moving(); });
    updateStats();
  }

  /* Positions of the drawn nodes back into the view's DataSet (after dragging or physics).
   * Not vis's storePositions(): it reads every node of the DataSet, and nodes hidden by a
   * filter have no position in the network, so it threw and the view switch stopped half-way. */
  function keepPositions(st) {
    var body = network.body.nodes, upd = [];
    network.body.nodeIndices.forEach(function (id) {
      var p = body[id];
      if (p) upd.push({ id: id, x: p.x, y: p.y });
    });
    st.nodes.update(upd);
  }

  /* Fit the view to some nodes (null: all shown ones), leaving the band under the notice
   * banner free so that nothing sits below it. */
  var fitted = 0;
  function fitTo(ids) {
    var st = cur;
    if (!ids) { ids = []; for (var i = 0; i < st.n; i++) if (st.visible[i] === 1) ids.push(i); }
    if (!ids.length) return;
    network.fit({ nodes: ids, animation: false });
    // a margin round the nodes, so the labels of those at the edge fit in the view too
    network.moveTo({ scale: network.getScale() * 0.95, animation: false });
    var notice = $("cg-notice"), box = $("cg-network");
    var top = notice.hidden ? 0 : notice.offsetTop + notice.offsetHeight + 8, H = box.clientHeight;
    if (top > 0 && top < H / 2) {
      var scale = network.getScale(), at = network.getViewPosition();
      network.moveTo({ position: { x: at.x, y: at.y - top / 2 / (scale * (H - top) / H) },
                       scale: scale * (H - top) / H, animation: false });
    }
    fitted++;
  }

  // ------------------------------------------------------------------ filters
  function applyFilters() {
    var st = cur;
    if (network && st.physicsOn) keepPositions(st);
    for (var i = 0; i < st.n; i++) {
      var m = st.meta[i], on = st.clusterOn[m.cluster];
      if (on && m.kind === "concept") on = st.typeOn[m.type] !== false && (st.showGeneric || !m.generic);
      if (on && m.kind === "paper" && m.year !== null && m.year !== undefined) {
        if (st.yearFrom !== null && m.year < st.yearFrom) on = false;
        if (st.yearTo !== null && m.year > st.yearTo) on = false;
      }
      if (on && m.kind === "concept" && (m.firstYear !== undefined || m.lastYear !== undefined)) {
        // a concept stays when the years it was used in (first..last) overlap the range
        var fy = m.firstYear !== undefined ? m.firstYear : m.lastYear, ly = m.lastYear !== undefined ? m.lastYear : m.firstYear;
        if (st.yearFrom !== null && ly < st.yearFrom) on = false;
        if (st.yearTo !== null && fy > st.yearTo) on = false;
      }
      st.visible[i] = on ? 1 : 0;
    }
    st.nodesView.refresh();
    if (st.edgesView) st.edgesView.refresh();
    if (network) network.redraw();
    if (selected !== null && !st.visible[selected]) clearSelection();
    syncLegend();
    updateStats();
  }
  function resetFilters() {
    var st = cur;
    st.clusterOn = st.clusterOn.map(function () { return true; });
    Object.keys(st.typeOn).forEach(function (k) { st.typeOn[k] = true; });
    Object.keys(st.kindOn).forEach(function (k) { st.kindOn[k] = true; });
    st.showGeneric = true; st.yearFrom = null; st.yearTo = null;
    buildLegend();
    applyFilters();
  }

  function updateStats() {
    var st = cur, box = $("cg-stats"), v = st.v, shown = st.nodesView.length, links = 0;
    v.edges.forEach(function (e) { if (edgeShown(st, e)) links++; });
    var parts = [];
    var nPapers = 0, nConcepts = 0;
    for (var i = 0; i < st.n; i++) if (st.visible[i]) { if (st.meta[i].kind === "paper") nPapers++; else nConcepts++; }
    box.replaceChildren();
    if (v.kinds.paper) parts.push([nPapers, "paper"]);
    if (v.kinds.concept) parts.push([nConcepts, "concept"]);
    parts.push([links, "link"]);
    parts.forEach(function (p, k) {
      if (k) add(box, " · ");
      add(box, el("b", { text: fmt(p[0]) }));
      add(box, " " + (p[0] === 1 ? p[1] : p[1] + "s"));
    });
    if (shown < st.n) add(box, " (filtered)");
  }

  // ------------------------------------------------------------------ legend
  function section(title, sub, links) {
    var h = el("h3", null, title, sub ? el("small", { text: sub }) : null);
    if (links) h.appendChild(el("span", { cls: "cg-links" }, links));
    return el("div", { cls: "cg-sec" }, h);
  }
  function checkItem(checked, icon, label, count, onchange, extra) {
    var box = el("input", { type: "checkbox" });
    box.checked = checked;
    box.addEventListener("change", function () { onchange(box.checked); });
    var row = el("label", Object.assign({ cls: "cg-item" + (checked ? "" : " cg-off"), title: label }, extra || {}),
      box, icon, el("span", { cls: "cg-lab", text: label }), count === null ? null : el("span", { cls: "cg-n", text: fmt(count) }));
    row._box = box;
    return row;
  }

  function buildLegend() {
    var st = cur, v = st.v, body = $("cg-legend-body");
    body.replaceChildren();
    st.legendRows = { clusters: [], types: dict(), kinds: dict() };

    // colour = cluster | year
    var byYear = st.colouredAs === "year";
    var clusterLinks = [
      el("button", { cls: "cg-linkbtn", type: "button", text: "all", onclick: function () { st.clusterOn = st.clusterOn.map(function () { return true; }); applyFilters(); } }),
      el("button", { cls: "cg-linkbtn", type: "button", text: "none", onclick: function () { st.clusterOn = st.clusterOn.map(function () { return false; }); applyFilters(); } })
    ];
    var sec = section("Colour:", null, byYear ? null : clusterLinks);
    sec.firstChild.insertBefore(colourToggle(st), sec.firstChild.firstChild.nextSibling);
    if (byYear) {
      sec.appendChild(yearLegend(st));
      body.appendChild(sec);
      sec = section("Clusters", null, clusterLinks);
    }
    var LIMIT = 24, list = el("div");
    v.clusters.forEach(function (c, ci) {
      var row = checkItem(st.clusterOn[ci], swatch(c.colour), c.label, c.count, function (on) { st.clusterOn[ci] = on; applyFilters(); },
        { ondblclick: function (ev) {
          ev.preventDefault();
          st.clusterOn = st.clusterOn.map(function (_, k) { return k === ci; });
          applyFilters();
          fitTo(null);  // the cluster alone fills the view
        } });
      if (ci >= LIMIT) row.hidden = true;
      // hovering a cluster in the legend lights it up on the map
      row.addEventListener("mouseenter", function () {
        if (selected !== null || !$("cg-panel").hidden || !st.clusterOn[ci]) return;
        var ids = new Set();
        for (var i = 0; i < st.n; i++) if (st.meta[i].cluster === ci) ids.add(i);
        st.hovering = true;
        dim(ids);
      });
      row.addEventListener("mouseleave", function () {
        if (!st.hovering) return;
        st.hovering = false;
        if (selected === null && $("cg-panel").hidden) undim();
      });
      st.legendRows.clusters.push(row);
      list.appendChild(row);
    });
    sec.appendChild(list);
    if (v.clusters.length > LIMIT) {
      var more = el("button", { cls: "cg-linkbtn cg-more", type: "button", text: "show all " + fmt(v.clusters.length) + " clusters" });
      more.addEventListener("click", function () { st.legendRows.clusters.forEach(function (r) { r.hidden = false; }); more.remove(); });
      sec.appendChild(more);
    }
    var others = v.clusters.filter(function (c) { return c.other; }).length;
    sec.appendChild(el("p", { cls: "cg-note", text: (others && !byYear ? "The " + fmt(others) + " smallest clusters share grey. " : "") + "Double-click a cluster to show it alone." }));
    body.appendChild(sec);

    // shape = kind / concept type
    sec = section("Shape", v.types.length ? "kind · concept type" : "kind");
    if (v.kinds.paper) sec.appendChild(el("div", { cls: "cg-item" }, shapeIcon("dot"), el("span", { cls: "cg-lab", text: "paper" }), el("span", { cls: "cg-n", text: fmt(v.kinds.paper) })));
    v.types.forEach(function (t) {
      var row = checkItem(st.typeOn[t.type], shapeIcon(t.shape), t.type === "concept" ? "other concept" : t.type, t.count,
        function (on) { st.typeOn[t.type] = on; applyFilters(); });
      st.legendRows.types[t.type] = row;
      sec.appendChild(row);
    });
    var generic = v.meta.filter(function (m) { return m.generic; }).length;
    if (generic) {
      var g = checkItem(st.showGeneric, shapeIcon("dot", "#d5d9e0"), "generic concepts (pale)", generic,
        function (on) { st.showGeneric = on; applyFilters(); });
      st.legendRows.generic = g;
      sec.appendChild(g);
    }
    body.appendChild(sec);

    // size = centrality
    sec = section("Size", "centrality");
    sec.appendChild(el("div", { cls: "cg-sizes" }, [6, 10, 15, 21].map(function (d) { return el("span", { style: { width: d + "px", height: d + "px" } }); })));
    sec.appendChild(el("p", { cls: "cg-note", text: "Area grows with PageRank: bigger nodes are more central in the map." }));
    body.appendChild(sec);

    // lines = links
    if (v.edgeKinds.length) {
      sec = section("Lines", "link kind");
      v.edgeKinds.forEach(function (k) {
        var row = checkItem(st.kindOn[k.kind], edgeIcon(k), k.label, k.count, function (on) { st.kindOn[k.kind] = on; applyFilters(); });
        st.legendRows.kinds[k.kind] = row;
        sec.appendChild(row);
      });
      sec.appendChild(el("p", { cls: "cg-note", text: "Thicker lines are stronger links (weight)." +
        (v.directed ? " Arrows point from the citing to the cited paper." : "") + " Click a line to see why two nodes are linked." }));
      body.appendChild(sec);
    }

    // years
    if (st.years.length) {
      var lo = Math.min.apply(null, st.years), hi = Math.max.apply(null, st.years);
      if (hi > lo) {
        sec = section("Years", fmt(lo).replace(",", "") + "–" + String(hi));
        var from = el("input", { type: "number", min: lo, max: hi, placeholder: String(lo), "aria-label": "from year" });
        var to = el("input", { type: "number", min: lo, max: hi, placeholder: String(hi), "aria-label": "to year" });
        if (st.yearFrom !== null) from.value = st.yearFrom;
        if (st.yearTo !== null) to.value = st.yearTo;
        var onYear = function () {
          st.yearFrom = from.value === "" ? null : Number(from.value);
          st.yearTo = to.value === "" ? null : Number(to.value);
          applyFilters();
        };
        from.addEventListener("change", onYear);
        to.addEventListener("change", onYear);
        sec.appendChild(el("div", { cls: "cg-years" }, "from", from, "to", to));
        body.appendChild(sec);
      }
    }
    var reset = el("div", { cls: "cg-sec" }, el("button", { cls: "cg-linkbtn", type: "button", text: "Reset all filters", onclick: resetFilters }));
    body.appendChild(reset);
  }

  function colourToggle(st) {
    var yearsHere = !!st.v.years;
    var mk = function (mode, label) {
      var b = el("button", { type: "button", "data-colour": mode, text: label,
        "aria-pressed": st.colouredAs === mode ? "true" : "false",
        onclick: function () { setColourMode(mode); } });
      if (mode === "year" && !yearsHere) {
        b.disabled = true;
        b.title = DATA.hasYears ? "no years in this view" : "no years in this corpus";
      }
      return b;
    };
    return el("span", { cls: "cg-colour-by", role: "group", "aria-label": "Colour nodes by" },
      el("span", { cls: "cg-seg" }, mk("cluster", "cluster"), mk("year", "year")),
      yearsHere ? null : el("small", { cls: "cg-noyears", text: DATA.hasYears ? "no years in this view" : "no years in this corpus" }));
  }
  function yearLegend(st) {
    var y = st.v.years, scale = DATA.yearScale;
    var stops = scale.map(function (c, k) { return c + " " + (100 * k / (scale.length - 1)).toFixed(1) + "%"; });
    var wrap = el("div", { cls: "cg-year-legend" });
    wrap.appendChild(el("div", { cls: "cg-ramp", role: "img", "aria-label": "colour scale from " + y.min + " to " + y.max,
      style: { background: "linear-gradient(to right, " + stops.join(", ") + ")" } }));
    wrap.appendChild(el("div", { cls: "cg-ramp-labels" }, el("span", { text: String(y.min) }),
      y.max - y.min >= 4 ? el("span", { text: String(Math.round((y.min + y.max) / 2)) }) : null, el("span", { text: String(y.max) })));
    if (y.withoutYear) {
      wrap.appendChild(el("div", { cls: "cg-item cg-noyear" }, swatch(DATA.noYearColour), el("span", { cls: "cg-lab", text: "no year" }),
        el("span", { cls: "cg-n", text: fmt(y.withoutYear) })));
    }
    var what = [];
    if (st.v.kinds.paper) what.push("papers by publication year");
    if (st.v.kinds.concept) what.push("concepts by the mean year of their papers");
    wrap.appendChild(el("p", { cls: "cg-note", text: what.join("; ").replace(/^./, function (c) { return c.toUpperCase(); }) + "." }));
    return wrap;
  }

  /* A small bar chart of counts per year: SVG elements and text nodes only. */
  function timeline(counts, o) {
    o = o || {};
    var W = 330, H = 96, top = 14, bottom = 18, left = 4, right = 4;
    var first = counts[0][0], last = counts[counts.length - 1][0], span = last - first + 1;
    var max = 0, byYear = dict();
    counts.forEach(function (p) { byYear[p[0]] = p[1]; if (p[1] > max) max = p[1]; });
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, "class": "cg-timeline", role: "img",
      "aria-label": (o.what || "Papers") + " per year, " + first + "–" + last });
    var plotH = H - top - bottom, step = (W - left - right) / span, bw = Math.max(1, Math.min(step * 0.82, 28));
    svg.appendChild(svgEl("line", { x1: left, x2: W - right, y1: H - bottom + 0.5, y2: H - bottom + 0.5, stroke: "#c9ced8", "stroke-width": 1 }));
    for (var y = first; y <= last; y++) {
      var n = byYear[y] || 0;
      if (!n) continue;
      var h = Math.max(1.5, plotH * n / max), x = left + (y - first) * step + (step - bw) / 2;
      var bar = svgEl("rect", { x: x.toFixed(2), y: (H - bottom - h).toFixed(2), width: bw.toFixed(2), height: h.toFixed(2), rx: Math.min(2, bw / 3).toFixed(2),
        fill: y === o.highlight ? "#1d2433" : "#3d63dd", "class": "cg-bar", "data-year": String(y), "data-count": String(n) });
      var tip = svgEl("title");
      tip.textContent = y + ": " + plural(n, o.unit || "paper");
      bar.appendChild(tip);
      svg.appendChild(bar);
    }
    var label = function (x, y, anchor, text, cls) {
      var t = svgEl("text", { x: x, y: y, "text-anchor": anchor, "class": cls || "cg-tl-lab" });
      t.textContent = text;
      svg.appendChild(t);
    };
    label(left, H - 4, "start", String(first));
    if (last !== first) label(W - right, H - 4, "end", String(last));
    label(left, top - 4, "start", "max " + fmt(max));
    return svg;
  }
  function timelineBlock(title, counts, caption, o) {
    return [el("h4", { text: title }), timeline(counts, o), caption ? el("p", { cls: "cg-note cg-tl-note", text: caption }) : null];
  }
  function yearSpan(m) {
    if (m.firstYear === undefined && m.lastYear === undefined) return "";
    var a = m.firstYear !== undefined ? m.firstYear : m.lastYear, b = m.lastYear !== undefined ? m.lastYear : m.firstYear;
    return a === b ? String(a) : a + "–" + b;
  }

  function syncLegend() {
    var st = cur, rows = st.legendRows;
    if (!rows) return;
    var set = function (row, on) { if (!row) return; row._box.checked = on; row.classList.toggle("cg-off", !on); };
    rows.clusters.forEach(function (r, ci) { set(r, st.clusterOn[ci]); });
    Object.keys(rows.types).forEach(function (t) { set(rows.types[t], st.typeOn[t]); });
    Object.keys(rows.kinds).forEach(function (k) { set(rows.kinds[k], st.kindOn[k]); });
    set(rows.generic, st.showGeneric);
  }

  function buildNotice() {
    var box = $("cg-notice"), o = cur.v.omitted;
    box.replaceChildren();
    box.hidden = !o;
    if (!o) return;
    var drawn = o.totalNodes - o.nodes;
    if (o.nodes > 0) {
      add(box, "Showing the " + fmt(drawn) + " most central of " + fmt(o.totalNodes) + " nodes (by PageRank) and the " +
        fmt(o.totalEdges - o.edges) + " strongest links among them; " + plural(o.nodes, "node") + " and " +
        plural(o.edges, "link") + " are left out.");
    } else {
      add(box, "Showing the " + fmt(o.totalEdges - o.edges) + " strongest of " + fmt(o.totalEdges) + " links; " +
        plural(o.edges, "link") + " are left out.");
    }
    if (o.suggestMaxNodes) {
      add(box, " To draw every node, rebuild with ");
      add(box, el("code", { text: "conceptgraph build --max-nodes " + String(o.suggestMaxNodes) }));
      add(box, ".");
    } else if (o.nodes > 0) {
      // no number to suggest: more than a browser can draw
      add(box, " A browser cannot draw all of them: to see another part, map a subset of the corpus " +
        "(e.g. one cluster's papers from papers.csv), or open graph.graphml in Gephi.");
    }
    box.appendChild(el("button", { type: "button", title: "Dismiss", text: "×", onclick: function () { box.hidden = true; } }));
  }

  // ------------------------------------------------------------------ selection & highlighting
  function neighbourSet(i) {
    var s = new Set([i]);
    cur.adj[i].forEach(function (p) { s.add(p[0]); });
    return s;
  }
  function dim(keep) {
    var st = cur, upd = [];
    st.focus = keep || null;
    if (st.canvasEdges) { requestDraw(); return; }  // the veil does it (drawFocus)
    // vis-network draws the whole map at once after each DataSet update (its physics, though off,
    // is restarted): none until both updates are in, then one frame
    if (network) network.renderer.allowRedraw = false;  // (not _blockRedraw/_allowRedraw: they forget a frame asked for)
    for (var i = 0; i < st.n; i++) {
      var off = keep && !keep.has(i) ? 1 : 0;
      if (st.dimmed[i] !== off) {
        st.dimmed[i] = off;
        var size = st.v.nodes[i].font ? st.v.nodes[i].font.size : 14;
        upd.push({ id: i, color: colourOf(st, i, off),
          font: off ? { size: size, color: "rgba(0,0,0,0)", strokeWidth: 0 } : { size: size, color: FONT, strokeWidth: 3 } });
      }
    }
    if (upd.length) st.nodes.update(upd);
    if (!st.canvasEdges && st.v.edges.length <= DIM_EDGE_LIMIT) {
      var eu = [];
      if (!st.edgeDimmed) st.edgeDimmed = new Uint8Array(st.v.edges.length);
      st.v.edges.forEach(function (e, k) {
        var off = keep && !(keep.has(e.from) && keep.has(e.to)) ? 1 : 0;
        if (st.edgeDimmed[k] !== off) {
          st.edgeDimmed[k] = off;
          var sty = st.kindStyle[e.kind] || {};
          eu.push({ id: k, color: { color: sty.colour, highlight: HILITE, hover: HILITE, opacity: off ? 0.15 : 1 } });
        }
      });
      if (eu.length) st.edges.update(eu);
    }
    if (network) network.renderer.allowRedraw = true;
    requestDraw();
  }
  function undim() { if (cur) dim(null); }

  function ensureVisible(i) {
    if (!cur.visible[i]) resetFilters();
  }
  function selectNode(i, o) {
    if (i === null || i === undefined || i < 0 || i >= cur.n) return;
    ensureVisible(i);
    selected = i;
    network.selectNodes([i], true);
    cur.hiEdges = new Set(cur.adj[i].map(function (p) { return p[1]; }));
    dim(neighbourSet(i));
    renderPanel(i);  // first: opening the panel narrows the canvas, then we centre
    if (o && o.focus) {
      network.focus(i, { scale: Math.max(network.getScale(), cur.n > 1000 ? 0.8 : 0.9), animation: anim(450) });
    }
  }
  function selectMany(ids) {
    ids = ids.filter(function (i) { return cur.visible[i]; });
    selected = null;
    network.selectNodes(ids, false);
    cur.hiEdges = null;
    dim(new Set(ids));
    if (ids.length) network.fit({ nodes: ids, animation: anim(450), maxZoomLevel: 1.2 });
  }
  function selectEdge(k) {
    var e = cur.v.edges[k];
    selected = null;
    if (cur.canvasEdges) network.unselectAll(); else network.selectEdges([k]);
    cur.hiEdges = new Set([k]);
    dim(new Set([e.from, e.to]));
    renderEdgePanel(k);
  }
  function clearSelection() {
    selected = null;
    if (network) network.unselectAll();
    if (cur) cur.hiEdges = null;
    undim();
    closePanel();
  }

  // ------------------------------------------------------------------ side panel
  function openPanel(children) {
    var body = $("cg-panel-body");
    body.replaceChildren();
    add(body, children);
    var was = $("cg-panel").hidden;
    $("cg-panel").hidden = false;
    body.parentNode.scrollTop = 0;
    if (was) resize();
  }
  function closePanel() {
    var was = !$("cg-panel").hidden;
    $("cg-panel").hidden = true;
    $("cg-panel-body").replaceChildren();
    if (was) resize();
  }
  /* the canvas follows its container at once (side panel / legend opened or closed) */
  function resize() { if (network) { network.setSize("100%", "100%"); requestDraw(); } }
  /* Draw the map in the next animation frame, once however many changes ask for it (vis-network's
   * own request, which a click makes too). network.redraw() draws at once: a click drew the map
   * three times (dimming, the panel narrowing the canvas, vis-network's selection), and zoomed in on
   * a 25,000-link map each frame is 0.5-1 s of rasterising lines in software Chromium. */
  function requestDraw() { if (network) network.body.emitter.emit("_requestRedraw"); }

  function badge(text, colour, icon) {
    return el("span", { cls: "cg-badge", title: text }, icon || (colour ? swatch(colour) : null), text);
  }
  function clusterBadge(m) {
    var c = cur.v.clusters[m.cluster];
    return badge(c.label, c.colour);
  }
  function why(k, a, b) {
    var e = cur.em[k], ma = cur.meta[a], mb = cur.meta[b];
    if (e.evidence) {
      var head = (KIND_TEXT[e.kind] || e.kind) + ":";  // "shared concepts: …" is already said by the badge
      return e.evidence.slice(0, head.length).toLowerCase() === head ? e.evidence.slice(head.length).trim() : e.evidence;
    }
    if (ma.kind === "paper" && mb.kind === "paper") {
      var other = new Set(mb.concepts.map(function (c) { return c.toLowerCase(); }));
      var shared = ma.concepts.filter(function (c) { return other.has(c.toLowerCase()); });
      if (shared.length) return "shared: " + shared.slice(0, 8).join(", ") + (shared.length > 8 ? ", …" : "");
    }
    if (e.kind === "cooccurrence") return "appear together in papers (weight " + (+e.weight.toFixed(3)) + ")";
    return "";
  }
  function neighbourList(i, limit) {
    var seen = dict(), items = [];
    cur.adj[i].forEach(function (p) {
      var j = p[0], k = p[1], e = cur.em[k];
      var item = seen[j];
      if (!item) { item = seen[j] = { j: j, w: 0, edges: [] }; items.push(item); }
      item.w += e.weight;
      item.edges.push(k);
    });
    items.sort(function (x, y) {
      return (y.w - x.w) || (cur.meta[y.j].pagerank - cur.meta[x.j].pagerank) || (x.j - y.j);
    });
    var total = items.length;
    items = items.slice(0, limit);
    var ul = el("ul", { cls: "cg-list" });
    items.forEach(function (it) {
      var m = cur.meta[it.j], c = cur.v.clusters[m.cluster];
      var li = el("li", null, el("div", { cls: "cg-nb" }, swatch(c.colour),
        el("button", { cls: "cg-go", type: "button", text: m.title, title: m.title, onclick: function () { selectNode(it.j, { focus: true }); } }),
        el("span", { cls: "cg-w", text: "w " + (+it.w.toFixed(2)) })));
      var order = function (k) { var kind = cur.em[k].kind; return kind in KIND_ORDER ? KIND_ORDER[kind] : 9; };
      it.edges.sort(function (x, y) { return order(x) - order(y); });
      it.edges.forEach(function (k) {
        var e = cur.em[k], w = why(k, i, it.j);
        li.appendChild(el("div", { cls: "cg-why" }, el("span", { cls: "cg-kind k-" + e.kind, text: KIND_TEXT[e.kind] || e.kind }), w));
      });
      ul.appendChild(li);
    });
    return { list: ul, total: total };
  }

  function renderPanel(i) {
    var m = cur.meta[i];
    if (m.kind === "paper") renderPaper(i, m); else renderConcept(i, m);
  }

  function renderPaper(i, m) {
    var out = [el("div", { cls: "cg-badges" }, badge("paper", null, shapeIcon("dot")), clusterBadge(m)),
      el("h2", { text: m.title })];
    var bits = [];
    if (m.year) bits.push(String(m.year));
    if (m.authors) bits.push(m.authors);
    if (m.venue) bits.push(m.venue);
    if (bits.length) out.push(el("p", { cls: "cg-meta", text: bits.join(" · ") }));
    if (m.abstract) {
      var ab = el("p", { cls: "cg-abstract", text: m.abstract });
      out.push(ab);
      if (m.abstract.length > 420) {
        var more = el("button", { cls: "cg-linkbtn", type: "button", text: "more" });
        more.addEventListener("click", function () { var open = ab.classList.toggle("cg-open"); more.textContent = open ? "less" : "more"; });
        out.push(more);
      }
    }
    if (m.concepts.length) {
      out.push(el("h4", { text: "Concepts (" + m.concepts.length + ")" }));
      out.push(el("div", { cls: "cg-chips" }, m.concepts.map(function (c) {
        var here = byLabel[cur.v.name][c.toLowerCase()];
        return el("button", { cls: "cg-chip", type: "button", text: c,
          title: here !== undefined ? "Select this concept" : "Show the papers with this concept",
          onclick: function () { gotoConcept(c); } });
      })));
    }
    var c = cur.v.clusters[m.cluster];
    if (c.counts && c.counts.length && c.id !== null) {
      out.push(timelineBlock("Its cluster, papers per year", c.counts,
        c.label + " · mean year " + c.meanYear.toFixed(1) + (m.year ? " · this paper: " + m.year : ""), { highlight: m.year }));
    }
    var nb = neighbourList(i, 8);
    if (nb.total) {
      out.push(el("h4", { text: "Strongest links (" + Math.min(8, nb.total) + " of " + nb.total + ")" }));
      out.push(nb.list);
    }
    openPanel(out);
  }

  function papersOfConcept(label) {
    var key = label.toLowerCase(), list = conceptPapers[key];
    if (!list) return null;
    return { view: list.view, ids: list.slice() };
  }

  function paperList(view, ids, limit) {
    var v = DATA.views.filter(function (x) { return x.name === view; })[0];
    ids = ids.slice().sort(function (a, b) { return (v.meta[b].pagerank - v.meta[a].pagerank) || (a - b); });
    var ul = el("ul", { cls: "cg-list" });
    ids.slice(0, limit).forEach(function (j) {
      var m = v.meta[j], c = v.clusters[m.cluster];
      ul.appendChild(el("li", null, el("div", { cls: "cg-nb" }, swatch(c.colour),
        el("button", { cls: "cg-go", type: "button", text: m.title, title: m.title, onclick: function () { gotoPaper(view, j); } }),
        m.year ? el("span", { cls: "cg-w", text: String(m.year) }) : null)));
    });
    if (ids.length > limit) ul.appendChild(el("li", { cls: "cg-empty-note", text: "… and " + plural(ids.length - limit, "more paper") }));
    return ul;
  }

  function gotoPaper(view, j) {
    if (view === cur.v.name) { selectNode(j, { focus: true }); return; }
    var id = DATA.views.filter(function (x) { return x.name === view; })[0].meta[j].id;
    var target = cur.v.name in byId && id in byId[cur.v.name] ? cur.v.name : view;
    if (target !== cur.v.name) setView(target);
    selectNode(byId[target][id], { focus: true });
  }

  function gotoConcept(label) {
    var here = byLabel[cur.v.name][label.toLowerCase()];
    if (here !== undefined) { selectNode(here, { focus: true }); return; }
    // no concept node in this view: highlight its papers here and list them
    var ps = papersOfConcept(label);
    var out = [el("div", { cls: "cg-badges" }, badge("concept", null, shapeIcon("triangleDown"))), el("h2", { text: label })];
    var idsHere = [];
    if (ps && ps.view === cur.v.name) idsHere = ps.ids;
    else if (ps) {
      var other = DATA.views.filter(function (x) { return x.name === ps.view; })[0];
      ps.ids.forEach(function (j) { var k = byId[cur.v.name][other.meta[j].id]; if (k !== undefined) idsHere.push(k); });
    }
    out.push(el("p", { cls: "cg-meta", text: plural(idsHere.length, "paper") + " in this view mention it (highlighted)." }));
    if (idsHere.length) out.push(el("h4", { text: "Papers" }), paperList(cur.v.name, idsHere, 30));
    DATA.views.forEach(function (v) {
      var k = byLabel[v.name][label.toLowerCase()];
      if (v.name !== cur.v.name && k !== undefined) {
        out.push(el("button", { cls: "cg-action", type: "button", text: "Open in the " + v.label.toLowerCase() + " view",
          onclick: function () { setView(v.name); selectNode(k, { focus: true }); } }));
      }
    });
    openPanel(out);
    selectMany(idsHere);
  }

  function renderConcept(i, m) {
    var icon = shapeIcon((cur.v.types.filter(function (t) { return t.type === m.type; })[0] || {}).shape || "triangleDown");
    var out = [el("div", { cls: "cg-badges" }, badge(m.type === "concept" ? "concept" : m.type, null, icon), clusterBadge(m),
      m.generic ? badge("generic") : null), el("h2", { text: m.title })];
    var bits = [];
    if (m.n_papers !== null && m.n_papers !== undefined) bits.push("Mentioned in " + plural(m.n_papers, "paper"));
    if (yearSpan(m)) bits.push(yearSpan(m));
    if (m.meanYear !== undefined) bits.push("mean year " + m.meanYear.toFixed(1));
    if (bits.length) out.push(el("p", { cls: "cg-meta", text: bits.join(" · ") }));
    if (m.counts && m.counts.length) out.push(timelineBlock("Papers per year", m.counts, null, {}));
    // its papers: neighbours in the bipartite view, else the papers view's concept lists, else its own list
    var paperIds = cur.adj[i].filter(function (p) { return cur.meta[p[0]].kind === "paper"; }).map(function (p) { return p[0]; });
    paperIds = Array.from(new Set(paperIds));
    if (paperIds.length) {
      out.push(el("h4", { text: "Papers (" + paperIds.length + ")" }), paperList(cur.v.name, paperIds, 25));
    } else {
      var ps = papersOfConcept(m.title);
      if (ps && ps.ids.length) out.push(el("h4", { text: "Papers (" + ps.ids.length + ")" }), paperList(ps.view, ps.ids, 25));
      else if (m.papers && m.papers.length) {
        out.push(el("h4", { text: "Papers (" + m.papers.length + ")" }));
        out.push(el("ul", { cls: "cg-list" }, m.papers.slice(0, 25).map(function (t) { return el("li", { text: t }); })));
      }
    }
    var concepts = cur.adj[i].filter(function (p) { return cur.meta[p[0]].kind === "concept"; });
    if (concepts.length) {
      var nb = neighbourList(i, 10);
      out.push(el("h4", { text: "Strongest links (" + Math.min(10, nb.total) + " of " + nb.total + ")" }), nb.list);
    }
    openPanel(out);
  }

  function renderEdgePanel(k) {
    var e = cur.v.edges[k], em = cur.em[k];
    var out = [el("div", { cls: "cg-badges" }, badge(KIND_TEXT[em.kind] || em.kind), badge("weight " + (+em.weight.toFixed(3))))];
    [e.from, e.to].forEach(function (j, n) {
      var m = cur.meta[j], c = cur.v.clusters[m.cluster];
      if (n === 1) out.push(el("p", { cls: "cg-meta", text: cur.v.directed ? "→" : "↔" }));
      out.push(el("div", { cls: "cg-nb" }, swatch(c.colour), el("button", { cls: "cg-go", type: "button", text: m.title,
        onclick: function () { selectNode(j, { focus: true }); } })));
    });
    var w = why(k, e.from, e.to);
    out.push(el("h4", { text: "Why they are linked" }), el("p", { cls: "cg-abstract cg-open", text: w || "(no evidence recorded)" }));
    openPanel(out);
  }

  // ------------------------------------------------------------------ search
  function searchIndex(q, limit) {
    q = String(q || "").trim().toLowerCase();
    if (!q) return [];
    var st = cur, hits = [];
    for (var i = 0; i < st.n; i++) {
      var s = st.search[i], p = s.indexOf(q);
      if (p < 0) continue;
      var rank = s === q ? 0 : p === 0 ? 1 : /[\s\-_(/]/.test(s.charAt(p - 1)) ? 2 : 3;
      hits.push({ id: i, rank: rank, pr: st.meta[i].pagerank });
    }
    // concepts named in papers, where this view has no node for them
    var labels = byLabel[st.v.name];
    Object.keys(conceptPapers).forEach(function (key) {
      if (key in labels) return;
      var p = key.indexOf(q);
      if (p < 0) return;
      var rank = key === q ? 0 : p === 0 ? 1 : 3;
      hits.push({ concept: key, rank: rank + 0.5, pr: conceptPapers[key].length / 1e6 });
    });
    hits.sort(function (a, b) { return (a.rank - b.rank) || (b.pr - a.pr) || ((a.id || 0) - (b.id || 0)); });
    return hits.slice(0, limit);
  }
  function conceptDisplay(key) {
    var list = conceptPapers[key], v = DATA.views.filter(function (x) { return x.name === list.view; })[0];
    for (var n = 0; n < list.length; n++) {
      var cs = v.meta[list[n]].concepts;
      for (var c = 0; c < cs.length; c++) if (cs[c].toLowerCase() === key) return cs[c];
    }
    return key;
  }
  function choose(hit) {
    closeResults();
    if (hit.id !== undefined) selectNode(hit.id, { focus: true });
    else gotoConcept(conceptDisplay(hit.concept));
  }
  var results = [], active = -1;
  function renderResults() {
    var ul = $("cg-results"), input = $("cg-search");
    ul.replaceChildren();
    if (!input.value.trim()) { closeResults(); return; }
    results = searchIndex(input.value, 12);
    if (!results.length) ul.appendChild(el("li", { cls: "cg-empty", text: "No match in this view" }));
    results.forEach(function (h, n) {
      var li;
      if (h.id !== undefined) {
        var m = cur.meta[h.id], c = cur.v.clusters[m.cluster];
        var shape = m.kind === "paper" ? "dot" : ((cur.v.types.filter(function (t) { return t.type === m.type; })[0] || {}).shape);
        li = el("li", { role: "option" }, shapeIcon(shape, c.colour), el("span", { cls: "cg-r-text", text: m.title }),
          el("span", { cls: "cg-r-sub", text: m.kind === "paper" ? (m.year ? String(m.year) : "paper") : m.type }));
      } else {
        li = el("li", { role: "option" }, shapeIcon("triangleDown"), el("span", { cls: "cg-r-text", text: conceptDisplay(h.concept) }),
          el("span", { cls: "cg-r-sub", text: plural(conceptPapers[h.concept].length, "paper") }));
      }
      li.setAttribute("aria-selected", n === active ? "true" : "false");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(h); });
      ul.appendChild(li);
    });
    ul.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function closeResults() {
    $("cg-results").hidden = true;
    $("cg-search").setAttribute("aria-expanded", "false");
    active = -1;
  }

  // ------------------------------------------------------------------ wiring
  function init() {
    $("cg-title").textContent = DATA.title;
    var views = $("cg-views");
    if (DATA.views.length > 1) {
      DATA.views.forEach(function (v) {
        views.appendChild(el("button", { type: "button", "data-view": v.name, "aria-pressed": "false", text: v.label,
          onclick: function () { setView(v.name); } }));
      });
    }
    var input = $("cg-search");
    input.addEventListener("input", function () { active = -1; renderResults(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (!results.length) return;
        active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
        renderResults();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        var hits = results.length ? results : searchIndex(input.value, 1);
        if (hits.length) choose(hits[Math.max(active, 0)]);
      } else if (ev.key === "Escape") {
        closeResults();
        input.blur();
      }
    });
    input.addEventListener("blur", function () { setTimeout(closeResults, 120); });
    document.addEventListener("keydown", function (ev) {
      if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "TEXTAREA")) return;
      if (ev.key === "/") { ev.preventDefault(); input.focus(); input.select(); }
      else if (ev.key === "Escape") clearSelection();
    });
    $("cg-panel-close").addEventListener("click", clearSelection);
    $("cg-zoom-in").addEventListener("click", function () { network.moveTo({ scale: network.getScale() * 1.4, animation: anim(200) }); });
    $("cg-zoom-out").addEventListener("click", function () { network.moveTo({ scale: network.getScale() / 1.4, animation: anim(200) }); });
    $("cg-fit").addEventListener("click", function () { fitTo(null); });
    $("cg-physics").addEventListener("click", function () {
      var b = $("cg-physics"), on = b.getAttribute("aria-pressed") !== "true";
      b.setAttribute("aria-pressed", on ? "true" : "false");
      cur.physicsOn = on;
      network.setOptions({ physics: on ? cur.v.physicsOptions : { enabled: false } });
    });
    var legend = $("cg-legend"), toggle = $("cg-legend-toggle");
    var setLegend = function (open) {
      legend.classList.toggle("cg-collapsed", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      setTimeout(resize, 240);
    };
    toggle.addEventListener("click", function () { setLegend(legend.classList.contains("cg-collapsed")); });
    setLegend(DATA.legendOpen !== false);
    setView(DATA.initial);
  }

  init();
})();
