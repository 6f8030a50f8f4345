/* apnmap report page: what to pursue next, the competency graph, the charts
 * and the tables, all drawn from the JSON block #apn-data (report_page.c
 * writes it; docs/report.md describes it). Document text is only ever put into
 * the page with textContent. window.apnmapGraph (read-only) is the cytoscape
 * instance, for tests/browser/report.test.js and the console.
 *
 * Sections: data; what next (the "we hold" selector ranks as `apnmap plan
 * --next` does); the graph (a grid layout computed here: groups by category,
 * neighbours by what they share, labels never overlapping, 12 px at the
 * default zoom, laid out again when the window changes); the side panel;
 * charts (gzip-compressed SVG inflated into the page); tables; start. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('apn-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };

  /* ---- data ---- */
  var comps = {};
  D.competencies.forEach(function (c, i) { c.index = i; comps[c.slug] = c; });
  var state = {
    offering: D.default_offering || D.offerings[0] || '',
    common: Math.round((D.specific_share || 0.5) * 100), minShared: 1, cats: true, preNodes: false,
    held: {}, ftr: {}, selected: null
  };
  function catColor(k) { return (D.category_colors || {})[k] || '#8a94a6'; }
  function reqsOf(off, slug) { return ((D.requirements[off] || {})[slug]) || []; }
  function shareOf(off, id) { return ((D.share || {})[off] || {})[id] || 0; }
  function viaOf(r) { return r[1] >= 0 ? D.vias[r[1]] : null; }
  function isSpecific(off, id, pct) { return shareOf(off, id) <= (D.npresent[off] || 0) * pct / 100; }
  function compsIn(off) {
    return D.competencies.filter(function (c) { return c.offerings[off]; }).map(function (c) { return c.slug; });
  }
  function isPartial(slug, off) { var o = comps[slug] && comps[slug].offerings[off]; return !!(o && o.partial); }
  function nameOf(slug, off) { return (comps[slug] ? comps[slug].name : slug) + (isPartial(slug, off) ? ' *' : ''); }
  function byName(a, b) {
    var x = comps[a].name.toLowerCase(), y = comps[b].name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : (a < b ? -1 : a > b ? 1 : 0);
  }
  function isFtr(name) { var k = name && D.checklists[name]; return !!(k && k.programme === 'FTR'); }
  /* the FTR variant of an offering (its requirements come "via" it), or null */
  function ftrOf(off) {
    var found = null;
    compsIn(off).some(function (s) {
      return reqsOf(off, s).some(function (r) { var v = viaOf(r); if (isFtr(v)) { found = v; return true; } return false; });
    });
    return found;
  }
  /* specific requirements two competencies share, and all they share */
  function specificSets(off, pct) {
    var sets = {};
    compsIn(off).forEach(function (s) {
      var m = {};
      reqsOf(off, s).forEach(function (r) { m[r[0]] = isSpecific(off, r[0], pct) ? 2 : 1; });
      sets[s] = m;
    });
    return sets;
  }
  function sharedPairs(off, pct) {
    var slugs = compsIn(off), sets = specificSets(off, pct), out = [];
    for (var i = 0; i < slugs.length; i++)
      for (var j = i + 1; j < slugs.length; j++) {
        var a = sets[slugs[i]], b = sets[slugs[j]], n = 0, all = 0, ids = [];
        for (var id in a) if (b[id]) { all++; if (a[id] === 2) { n++; ids.push(id); } }
        out.push({ a: slugs[i], b: slugs[j], n: n, all: all, ids: ids.sort() });
      }
    return out;
  }

  /* ---- what next ---- */
  /* The candidates: those the planner ranked with nothing held (it leaves out
   * what it cannot cost, such as partial checklists); all shown when it gave no
   * answer. */
  function isCandidate(off, s) {
    var plan = D.plan[off] || {};
    return !plan.candidates || plan.candidates.indexOf(s) >= 0;
  }
  /* The cheapest next competencies given what is held, as apnmap plan --next
   * ranks them: new = requirements of the candidate not done by a held
   * competency (or the FTR), ties in slug order, equal values share a rank. */
  function cheapest(off, held, ftr) {
    var done = {}, ftrName = ftr ? ftrOf(off) : null;
    held.forEach(function (s) { reqsOf(off, s).forEach(function (r) { done[r[0]] = true; }); });
    if (ftrName)
      compsIn(off).forEach(function (s) {
        reqsOf(off, s).forEach(function (r) { if (viaOf(r) === ftrName) done[r[0]] = true; });
      });
    var rows = compsIn(off).filter(function (s) {
      return held.indexOf(s) < 0 && isCandidate(off, s);
    }).map(function (s) {
      var rs = reqsOf(off, s);
      return { slug: s, new: rs.filter(function (r) { return !done[r[0]]; }).length, total: rs.length,
        evidence: rs.filter(function (r) { return r[2]; }).length, partial: isPartial(s, off) };
    });
    rows.sort(function (a, b) { return a.new - b.new || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0); });
    rows.forEach(function (r, i) { r.rank = i && r.new === rows[i - 1].new ? rows[i - 1].rank : i + 1; });
    return rows;
  }

  function heldList(off) { return Object.keys(state.held[off] || {}).filter(function (s) { return state.held[off][s]; }).sort(); }

  function nextTable(off) {
    var held = heldList(off), ftr = !!state.ftr[off], plan = D.plan[off] || {}, rows;
    var box = $('next-cheapest');
    box.textContent = '';
    if (!held.length && !ftr) {
      // nothing held: the plan's own answer, as written by apnmap
      rows = (plan.next || []).map(function (r) {
        return { slug: r.competency, rank: r.rank, new: r.new, total: r.total, evidence: r.evidence_new, partial: r.partial };
      });
      box.appendChild(el('h3', 'Cheapest next (nothing held yet)'));
    } else {
      rows = cheapest(off, held, ftr).slice(0, 10);
      box.appendChild(el('h3', 'Cheapest next, holding ' + held.length + ' competenc' + (held.length === 1 ? 'y' : 'ies') +
        (ftr ? ' and the FTR' : '')));
    }
    if (plan.next_error) box.appendChild(el('p', 'not computed: ' + plan.next_error, 'note'));
    var t = el('table', null, 'next'); t.id = 'next-table';
    var hr = el('tr');
    ['rank', 'competency', 'new', 'total', 'evidence'].forEach(function (h) { hr.appendChild(el('th', h)); });
    t.appendChild(el('thead')).appendChild(hr);
    var tb = t.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var tr = el('tr'); tr.setAttribute('data-slug', r.slug);
      tr.appendChild(el('td', String(r.rank), 'num'));
      tr.appendChild(el('td', nameOf(r.slug, off)));
      tr.appendChild(el('td', String(r.new), 'num'));
      tr.appendChild(el('td', String(r.total), 'num'));
      tr.appendChild(el('td', String(r.evidence), 'num'));
      tb.appendChild(tr);
    });
    box.appendChild(t);
    var note = [];
    if (D.limited[off]) note.push('The page knows the ' + compsIn(off).length + ' competencies it shows of ' + D.npresent[off] +
      '; apnmap plan --next ranks all of them.');
    var left = compsIn(off).filter(function (s) { return !isCandidate(off, s) && held.indexOf(s) < 0; }).sort(byName);
    if (left.length) {
      // what the planner cannot cost (a partial checklist): unknown, not cheap
      var lp = el('p', null, 'hint');
      lp.id = 'next-unknown';
      lp.appendChild(el('b', 'Unknown cost, left out (' + left.length + '): '));
      left.forEach(function (s, i) {
        var sp = lp.appendChild(el('span', (i ? ', ' : '') + comps[s].name + (isPartial(s, off) ? ' *' : ' (not ranked)')));
        sp.setAttribute('data-slug', s);
      });
      if (left.some(function (s) { return isPartial(s, off); }))
        lp.appendChild(document.createTextNode('. * partial checklist: only some of its requirements are known.'));
      box.appendChild(lp);
    }
    if (rows.some(function (r) { return r.partial; }))
      note.push('* partial checklist: its new and total are lower bounds.');
    note.forEach(function (n) { box.appendChild(el('p', n, 'hint')); });
  }

  function setsBox(off) {
    var plan = D.plan[off] || {}, box = $('next-sets');
    box.textContent = '';
    box.appendChild(el('h3', 'Best together (nothing held)'));
    [['best2', 'Best 2'], ['best3', 'Best 3']].forEach(function (k) {
      var p = el('p', null, 'set'); p.id = 'next-' + k[0];
      var row = (plan[k[0]] || [])[0];
      p.appendChild(el('b', k[1] + ': '));
      if (row) {
        p.appendChild(document.createTextNode(row.names.join(' + ') + ' \u2014 ' + row.new + ' new, ' +
          row.evidence_new + ' evidence' + (row.optimal ? ' (optimal)' : ' (best found, not proven optimal)') +
          (row.partial ? ' *' : '')));
      } else {
        p.appendChild(document.createTextNode(plan[k[0] + '_error'] ? 'not computed: ' + plan[k[0] + '_error'] : 'none'));
      }
      box.appendChild(p);
    });
    box.appendChild(el('h3', 'Industry \u00d7 workload pairs'));
    var pairs = plan.pairs || [];
    if (!pairs.length) box.appendChild(el('p', plan.pairs_error ? 'not computed: ' + plan.pairs_error : 'none', 'hint'));
    else {
      var t = el('table', null, 'next'); t.id = 'next-pairs';
      var hr = el('tr');
      ['rank', 'industry', 'then workload', 'new', 'shared'].forEach(function (h) { hr.appendChild(el('th', h)); });
      t.appendChild(el('thead')).appendChild(hr);
      var tb = t.appendChild(el('tbody'));
      pairs.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('td', String(r.rank), 'num'));
        tr.appendChild(el('td', r.first_names.join(', ')));
        tr.appendChild(el('td', r.second_names.join(', ') + (r.partial ? ' *' : '')));
        tr.appendChild(el('td', String(r.new_second), 'num'));
        tr.appendChild(el('td', String(r.shared), 'num'));
        tb.appendChild(tr);
      });
      box.appendChild(t);
      box.appendChild(el('p', 'new = what the workload adds after the industry; shared = what the two have in common.', 'hint'));
    }
  }

  function drawNext() {
    var off = state.offering, body = $('next-body');
    body.textContent = '';
    var plan = D.plan[off] || {};
    if (plan.skipped) {
      body.appendChild(el('p', 'More than ' + plan.skipped + ' competencies in ' + off + ': run apnmap plan for what to pursue next.', 'note'));
      return;
    }
    var grid = body.appendChild(el('div', null, 'next-grid'));
    var heldBox = grid.appendChild(el('div', null, 'held'));
    heldBox.id = 'held';
    heldBox.appendChild(el('h3', 'We hold \u2026'));
    var h = state.held[off] = state.held[off] || {};
    var ftr = ftrOf(off);
    if (ftr) {
      var lf = heldBox.appendChild(el('label', null, 'ftr'));
      var cf = lf.appendChild(el('input')); cf.type = 'checkbox'; cf.id = 'held-ftr'; cf.checked = !!state.ftr[off];
      lf.appendChild(document.createTextNode(' the FTR (' + ftr + ')'));
      cf.addEventListener('change', function () { state.ftr[off] = cf.checked; nextTable(off); });
    }
    var list = heldBox.appendChild(el('div', null, 'held-list'));
    compsIn(off).sort(byName).forEach(function (s) {
      var l = list.appendChild(el('label'));
      var c = l.appendChild(el('input')); c.type = 'checkbox'; c.setAttribute('data-slug', s); c.checked = !!h[s];
      l.appendChild(document.createTextNode(' ' + nameOf(s, off)));
      c.addEventListener('change', function () { h[s] = c.checked; nextTable(off); });
    });
    var clear = heldBox.appendChild(el('button', 'clear')); clear.type = 'button'; clear.id = 'held-clear';
    clear.addEventListener('click', function () { state.held[off] = {}; state.ftr[off] = false; drawNext(); });
    grid.appendChild(el('div', null, 'cheapest')).id = 'next-cheapest';
    grid.appendChild(el('div', null, 'sets')).id = 'next-sets';
    nextTable(off);
    setsBox(off);
  }

  /* ---- graph ---- */
  var cy = null, FONT = 12, CELL_W = 146, LABEL_W = 126;
  var measureCtx = document.createElement('canvas').getContext('2d');
  /* how many lines the label takes at FONT px wrapped at LABEL_W (as cytoscape wraps: at spaces) */
  function labelLines(text) {
    measureCtx.font = FONT + 'px ' + getComputedStyle(document.body).fontFamily;
    var words = String(text).split(/\s+/), lines = 1, w = 0, space = measureCtx.measureText(' ').width;
    words.forEach(function (word) {
      var ww = measureCtx.measureText(word).width;
      if (w && w + space + ww > LABEL_W) { lines++; w = ww; } else w += (w ? space : 0) + ww;
      while (w > LABEL_W) { lines++; w -= LABEL_W; }
    });
    return lines;
  }
  function nodeSize(off, s) { return Math.min(40, 16 + Math.sqrt(reqsOf(off, s).length) * 2.4); }

  /* prerequisites drawn as rings (or nodes): those of the offering's checklists
   * that are no competency's, FTR variants only in their own offering */
  function prereqVisible(p, off) {
    if (p.offering !== off) return false;
    var k = p.target && D.checklists[p.target];
    if (k && k.programme === 'FTR') {
      if (k.variant === 'partner-hosted') return off === 'saas';
      if (k.variant === 'customer-deployed') return off === 'customer-deployed';
    }
    return true;
  }
  function badgesOf(slug, off) {
    var out = [];
    D.prerequisites.forEach(function (p) {
      if (p.competency === slug && p.target && !p.target_competency && prereqVisible(p, off) && out.indexOf(p.target) < 0)
        out.push(p.target);
    });
    return out;
  }

  /* Orders a group's members so that those sharing most sit next to each
   * other: a chain, each next member the one sharing most with the last. */
  function chain(members, weight) {
    var left = members.slice().sort(), out = [];
    var total = function (s) { return members.reduce(function (t, o) { return t + (o === s ? 0 : weight(s, o)); }, 0); };
    left.sort(function (a, b) { return total(b) - total(a) || (a < b ? -1 : 1); });
    while (left.length) {
      var last = out[out.length - 1], bi = 0;
      if (last !== undefined)
        for (var i = 1; i < left.length; i++) if (weight(last, left[i]) > weight(last, left[bi])) bi = i;
      out.push(left.splice(bi, 1)[0]);
    }
    return out;
  }

  function elements(off) {
    var els = [], pairs = sharedPairs(off, state.common), w = {}, max = 1;
    pairs.forEach(function (e) { w[e.a + '|' + e.b] = w[e.b + '|' + e.a] = e.n; if (e.n > max) max = e.n; });
    var weight = function (a, b) { return w[a + '|' + b] || 0; };
    var slider = $('minshared');
    slider.max = String(Math.max(max, 1));
    if (state.minShared > max) { state.minShared = max; slider.value = String(max); $('minshared-v').textContent = String(max); }
    // groups: categories (or one), then the prerequisite checklists when drawn as nodes
    var groups = {}, order = [];
    compsIn(off).forEach(function (s) {
      var g = state.cats ? comps[s].category || '' : '';
      if (!groups[g]) { groups[g] = []; order.push(g); }
      groups[g].push(s);
    });
    order.sort(function (a, b) { return groups[b].length - groups[a].length || (a < b ? -1 : 1); });
    var blocks = order.map(function (g) {
      return { id: state.cats ? 'g:' + (g || '-') : null, label: state.cats ? (g || 'no category') : null, color: catColor(g),
        members: chain(groups[g], weight).map(function (s) {
          var c = comps[s], label = nameOf(s, off), size = nodeSize(off, s);
          return { id: 'c:' + s, data: { id: 'c:' + s, kind: 'competency', slug: s, label: label, color: catColor(c.category),
            size: size, badge: badgesOf(s, off).length ? 1 : 0 }, lines: labelLines(label), size: size };
        }) };
    });
    if (state.preNodes) {
      var seen = {}, members = [];
      D.prerequisites.forEach(function (p) {
        if (!p.target || p.target_competency || !prereqVisible(p, off) || !comps[p.competency] || !comps[p.competency].offerings[off]) return;
        if (seen[p.target]) return;
        seen[p.target] = true;
        members.push({ id: 'k:' + p.target, data: { id: 'k:' + p.target, kind: 'checklist', label: p.target, color: '#34495e', size: 30 },
          lines: labelLines(p.target), size: 30 });
      });
      if (members.length) blocks.push({ id: 'g:#prerequisites', label: 'prerequisite checklists', color: '#34495e', members: members });
    }
    blocks.forEach(function (b) {
      if (b.id) els.push({ group: 'nodes', data: { id: b.id, kind: 'category', label: b.label, color: b.color } });
      b.members.forEach(function (m) {
        if (b.id) m.data.parent = b.id;
        els.push({ group: 'nodes', data: m.data });
      });
    });
    D.prerequisites.forEach(function (p, i) {
      if (!p.target || !prereqVisible(p, off) || !comps[p.competency] || !comps[p.competency].offerings[off]) return;
      var tid;
      if (p.target_competency) {
        if (!comps[p.target_competency] || !comps[p.target_competency].offerings[off]) return;
        tid = 'c:' + p.target_competency;
      } else if (state.preNodes) tid = 'k:' + p.target;
      else return;
      els.push({ group: 'edges', data: { id: 'p:' + i, source: 'c:' + p.competency, target: tid, kind: 'prereq' } });
    });
    pairs.forEach(function (e) {
      if (e.n < state.minShared || e.n < 1) return;
      els.push({ group: 'edges', data: { id: 's:' + e.a + '|' + e.b, source: 'c:' + e.a, target: 'c:' + e.b, kind: 'shared',
        weight: e.n, width: 1 + 6 * e.n / max } });
    });
    return { els: els, blocks: blocks };
  }

  /* Grid positions: each block a grid of CELL_W-wide cells (rows as tall as
   * their tallest label), members in snake order so chain neighbours touch;
   * blocks packed in shelves across the container's width. Returns the
   * positions and the height the container needs at zoom 1. */
  function gridLayout(blocks, width) {
    var pos = {}, x = 16, y = 34, shelfH = 0, GAP = 30, PAD = 14;
    var avail = Math.max(width - 32, CELL_W + 2 * PAD);
    var maxCols = Math.max(1, Math.floor((avail - 2 * PAD) / CELL_W));
    blocks.forEach(function (b) {
      var n = b.members.length;
      var cols = Math.min(n, maxCols, Math.max(1, Math.ceil(Math.sqrt(n * 2.2))));
      if (n > cols * 3) cols = Math.min(n, maxCols);   // a long group: as wide as it may be
      var rows = Math.ceil(n / cols), heights = [];
      for (var r = 0; r < rows; r++) {
        var h = 0;
        for (var c = 0; c < cols; c++) {
          var m = b.members[r * cols + c];
          if (m) h = Math.max(h, m.size + 8 + m.lines * (FONT + 3) + 14);
        }
        heights.push(h);
      }
      var bw = cols * CELL_W + 2 * PAD, bh = heights.reduce(function (s, h) { return s + h; }, 0) + 2 * PAD;
      if (x > 16 && x + bw > avail + 16) { x = 16; y += shelfH + GAP + 22; shelfH = 0; }
      var top = y + PAD;
      for (r = 0; r < rows; r++) {
        for (c = 0; c < cols; c++) {
          var k = r * cols + (r % 2 ? cols - 1 - c : c), mm = b.members[k];
          if (!mm) continue;
          pos[mm.id] = { x: x + PAD + c * CELL_W + CELL_W / 2, y: top + 4 + mm.size / 2 };
        }
        top += heights[r];
      }
      x += bw + GAP;
      shelfH = Math.max(shelfH, bh);
    });
    return { pos: pos, height: y + shelfH + 16 };
  }

  function style() {
    return [
      { selector: 'node', style: { 'background-color': 'data(color)', label: 'data(label)',
        'font-size': FONT, 'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'wrap', 'text-max-width': LABEL_W,
        'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 1, 'min-zoomed-font-size': 0 } },
      { selector: 'node[size]', style: { width: 'data(size)', height: 'data(size)' } },
      { selector: 'node[badge = 1]', style: { 'border-width': 3, 'border-color': '#1d2330' } },
      { selector: 'node[kind = "checklist"]', style: { shape: 'round-rectangle', 'font-weight': 'bold' } },
      { selector: 'node[kind = "category"]', style: { shape: 'round-rectangle', 'background-color': 'data(color)', 'background-opacity': 0.06,
        'border-width': 1, 'border-style': 'dashed', 'border-color': 'data(color)', 'text-valign': 'top', 'text-margin-y': -4,
        'font-style': 'italic', 'font-weight': 'bold', color: 'data(color)', padding: 8 } },
      { selector: 'edge', style: { 'curve-style': 'bezier', width: 1, 'line-color': '#c3cad6' } },
      { selector: 'edge[kind = "shared"]', style: { width: 'data(width)', 'line-color': '#8c97ab', opacity: 0.55, 'curve-style': 'haystack' } },
      { selector: 'edge[kind = "prereq"]', style: { width: 2, 'line-color': '#34495e', 'target-arrow-color': '#34495e', 'target-arrow-shape': 'triangle' } },
      { selector: '.dim', style: { opacity: 0.15 } },
      { selector: '.match', style: { 'border-width': 3, 'border-color': '#f2b600' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f5fbf' } },
      { selector: 'edge:selected', style: { 'line-color': '#1f5fbf', opacity: 1 } }
    ];
  }

  /* positions for the container's width, the container as tall as they need, fitted */
  function layout() {
    if (!cy) return;
    var box = $('cy'), g = gridLayout(cy.scratch('blocks'), box.clientWidth);
    box.style.height = Math.max(360, Math.ceil(g.height)) + 'px';
    cy.resize();
    cy.nodes().forEach(function (n) { if (g.pos[n.id()]) n.position(g.pos[n.id()]); });
    cy.fit(cy.elements(), 10);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }
    $('panel').style.height = box.style.height;
  }

  function draw() {
    var off = state.offering;
    if (!window.cytoscape) { $('cy').textContent = 'cytoscape.js is missing from this page.'; return; }
    var g = elements(off);
    if (!cy) {
      cy = window.cytoscape({ container: $('cy'), elements: [], minZoom: 0.2, maxZoom: 4,
        autoungrabify: false, style: style() });
      cy.on('tap', 'node', function (ev) { showPanel(ev.target); });
      cy.on('tap', 'edge', function (ev) { showEdge(ev.target); });
    }
    cy.elements().remove();
    cy.add(g.els);
    cy.scratch('blocks', g.blocks);
    layout();
    applySearch();
    legend(off);
  }

  /* ---- side panel ---- */
  function refText(id) {
    return ((D.references || {})[id] || []).map(function (x) { return x[0] + ' ' + x[1]; }).join(' \u00b7 ');
  }
  function showPanel(node) {
    var p = $('panel'), off = state.offering, d = node.data();
    p.textContent = '';
    if (d.kind === 'competency') {
      var c = comps[d.slug], o = c.offerings[off] || {}, reqs = reqsOf(off, d.slug);
      state.selected = d.slug;
      p.appendChild(el('h3', c.name + (o.partial ? ' *' : '')));
      p.appendChild(el('div', d.slug + (c.category ? ' \u00b7 ' + c.category : ''), 'hint'));
      if (o.checklist) p.appendChild(el('div', off + ': ' + o.checklist + (o.validity ? ' (' + o.validity + ')' : ''), 'hint'));
      if (o.partial) p.appendChild(el('div', '* partial checklist: only some of its requirements are known', 'partial'));
      var pre = D.prerequisites.filter(function (q) { return q.competency === d.slug && prereqVisible(q, off); });
      if (pre.length) {
        p.appendChild(el('h4', 'Prerequisites'));
        var ul = el('ul');
        pre.forEach(function (q) {
          var li = el('li', q.target ? q.target : q.label);
          var text = D.prerequisite_texts[q.text];
          if (!q.target && text) li.appendChild(el('span', ' \u2014 ' + text, 'via'));
          ul.appendChild(li);
        });
        p.appendChild(ul);
      }
      var sect = el('div'); sect.id = 'panel-reqs';
      var nspec = reqs.filter(function (r) { return isSpecific(off, r[0], state.common); }).length;
      sect.appendChild(el('h4', reqs.length + ' requirements by prefix (' + nspec + ' specific, ' + (o.evidence || 0) + ' customer examples)'));
      var byPrefix = {};
      reqs.forEach(function (r) { var pf = D.prefix[r[0]] || ''; (byPrefix[pf] = byPrefix[pf] || []).push(r); });
      Object.keys(byPrefix).sort().forEach(function (pf) {
        sect.appendChild(el('h4', pf + ' (' + byPrefix[pf].length + ')'));
        var ul2 = el('ul');
        byPrefix[pf].forEach(function (r) {
          var li = el('li', null, 'req' + (isSpecific(off, r[0], state.common) ? ' specific' : ''));
          li.appendChild(el('code', r[0]));
          li.appendChild(document.createTextNode(' ' + (D.wording[r[3]] || '')));
          if (r[2]) li.appendChild(el('span', ' customer example', 'ce'));
          var v = viaOf(r);
          if (v) li.appendChild(el('span', ' via ' + v, 'via'));
          var refs = refText(r[0]);
          if (refs) li.appendChild(el('div', refs, 'refs'));
          ul2.appendChild(li);
        });
        sect.appendChild(ul2);
      });
      p.appendChild(sect);
      var shares = sharedPairs(off, state.common).filter(function (e) { return e.a === d.slug || e.b === d.slug; })
        .map(function (e) { return { other: e.a === d.slug ? e.b : e.a, n: e.n, all: e.all, ids: e.ids }; })
        .filter(function (e) { return e.all > 0; })
        .sort(function (x, y) { return y.n - x.n || y.all - x.all || (x.other < y.other ? -1 : 1); });
      p.appendChild(el('h4', 'Shares with (specific / all shared)'));
      var ul3 = el('ul'); ul3.id = 'panel-shares';
      shares.forEach(function (e) {
        var li = el('li', nameOf(e.other, off) + ': ' + e.n + ' / ' + e.all);
        if (e.ids.length)
          li.appendChild(el('span', ' \u2014 ' + e.ids.slice(0, 8).join(', ') + (e.ids.length > 8 ? ', \u2026' : ''), 'via'));
        ul3.appendChild(li);
      });
      if (!shares.length) ul3.appendChild(el('li', 'nothing'));
      p.appendChild(ul3);
    } else if (d.kind === 'checklist') {
      p.appendChild(el('h3', d.label));
      var users = D.prerequisites.filter(function (q) { return q.target === d.label && prereqVisible(q, off); });
      p.appendChild(el('h4', 'Required by'));
      var ul4 = el('ul');
      users.forEach(function (q) { ul4.appendChild(el('li', comps[q.competency] ? comps[q.competency].name : q.competency)); });
      p.appendChild(ul4);
    } else {
      p.appendChild(el('h3', 'Category: ' + d.label));
      var ul5 = el('ul');
      node.children().forEach(function (n) { ul5.appendChild(el('li', n.data('label'))); });
      p.appendChild(ul5);
    }
  }
  function showEdge(edge) {
    var p = $('panel'), off = state.offering, d = edge.data();
    if (d.kind !== 'shared') return;
    var a = d.source.slice(2), b = d.target.slice(2);
    var e = sharedPairs(off, state.common).filter(function (x) { return x.a === a && x.b === b; })[0];
    p.textContent = '';
    p.appendChild(el('h3', nameOf(a, off) + ' and ' + nameOf(b, off)));
    if (!e) return;
    p.appendChild(el('p', e.n + ' specific requirements shared (' + e.all + ' in all):'));
    var ul = el('ul');
    e.ids.forEach(function (id) { var li = el('li', null, 'req'); li.appendChild(el('code', id)); ul.appendChild(li); });
    p.appendChild(ul);
  }
  function resetPanel() {
    $('panel').textContent = '';
    $('panel').appendChild(el('p', 'Click a competency to list its requirements by prefix and what it shares with the others.', 'hint'));
  }

  /* ---- search ---- */
  function applySearch() {
    if (!cy) return;
    var q = $('search').value.trim().toLowerCase();
    cy.elements().removeClass('dim match');
    if (!q) return;
    var hit = cy.nodes().filter(function (n) {
      var d = n.data();
      return d.kind !== 'category' && ((d.label || '').toLowerCase().indexOf(q) >= 0 || (d.slug || '').toLowerCase().indexOf(q) >= 0);
    });
    cy.elements().not(hit).addClass('dim');
    hit.addClass('match');
    return hit;
  }

  function legend(off) {
    var l = $('legend');
    l.textContent = '';
    var cats = [];
    compsIn(off).forEach(function (s) { var k = comps[s].category || ''; if (cats.indexOf(k) < 0) cats.push(k); });
    cats.sort(function (a, b) { return !a ? 1 : !b ? -1 : a < b ? -1 : 1; });
    cats.forEach(function (k) {
      var s = el('span'), sw = el('span', null, 'sw');
      sw.style.background = catColor(k);
      s.appendChild(sw);
      s.appendChild(document.createTextNode(k || 'no category'));
      l.appendChild(s);
    });
    var rings = {};
    compsIn(off).forEach(function (s) { badgesOf(s, off).forEach(function (b) { rings[b] = (rings[b] || 0) + 1; }); });
    Object.keys(rings).sort().forEach(function (b) {
      var s = el('span'), sw = el('span', null, 'sw ring');
      s.appendChild(sw);
      s.appendChild(document.createTextNode('ring: requires ' + b + ' (' + (rings[b] === compsIn(off).length ? 'every one' : rings[b]) + ')'));
      l.appendChild(s);
    });
  }

  /* ---- charts ---- */
  var SVG_DROP = { script: 1, foreignObject: 1, iframe: 1, object: 1, embed: 1, a: 1 };
  /* gnuplot wrote these; still, nothing in them may run or load */
  function clean(root) {
    var all = [root].concat(Array.prototype.slice.call(root.getElementsByTagName('*')));
    all.forEach(function (e) {
      if (SVG_DROP[e.localName]) { if (e.parentNode) e.parentNode.removeChild(e); return; }
      Array.prototype.slice.call(e.attributes).forEach(function (a) {
        var n = a.name.toLowerCase(), v = a.value.trim();
        if (n.indexOf('on') === 0) e.removeAttribute(a.name);
        else if ((n === 'href' || n === 'xlink:href') && v.charAt(0) !== '#' && v.indexOf('data:image/png;base64,') !== 0)
          e.removeAttribute(a.name);
      });
    });
  }
  function inflate(box) {
    var bin = atob(box.getAttribute('data-gz')), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(function (text) {
      var svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
      if (svg.localName !== 'svg') throw new Error('not an SVG');
      clean(svg);
      box.appendChild(document.importNode(svg, true));
      box.removeAttribute('data-gz');
      box.parentNode.classList.add('ready');
    });
  }
  function charts() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll('figure.chart .svg[data-gz]'));
    Promise.all(boxes.map(function (b) {
      return inflate(b).catch(function (e) { b.textContent = 'This chart could not be shown here (' + e.message + '); see its SVG file.'; });
    })).then(function () { document.body.setAttribute('data-charts', 'ready'); });
  }
  /* beside each heat map, the pairs that share most (complete checklists only) */
  function topPairs() {
    var holder = $('pairs-lists');
    D.offerings.forEach(function (off) {
      var list = (D.pairs[off] || []).filter(function (p) { return !p[6] && p[5] > 0; })
        .sort(function (x, y) { return y[5] - x[5] || y[2] - x[2] || x[0] - y[0] || x[1] - y[1]; }).slice(0, 10);
      var box = el('div', null, 'top-pairs');
      box.setAttribute('data-offering', off);
      box.appendChild(el('h3', 'Most specific requirements in common (' + off + ')'));
      var ol = box.appendChild(el('ol'));
      list.forEach(function (p) {
        var a = D.competencies[p[0]], b = D.competencies[p[1]];
        ol.appendChild(el('li', a.name + ' \u2014 ' + b.name + ': ' + p[5] + ' specific (' + p[2] + ' shared)'));
      });
      if (!list.length) ol.appendChild(el('li', 'no two complete checklists share a specific requirement'));
      box.appendChild(el('p', 'specific = held by at most ' + Math.round(D.specific_share * 100) + '% of the ' + D.npresent[off] +
        ' competencies; pairs with a partial checklist are left out.', 'hint'));
      var fig = document.querySelector('figure.chart[data-chart="overlap-' + off + '"]');
      if (fig) {
        var row = el('div', null, 'heatrow');
        row.setAttribute('data-offering', off);
        fig.parentNode.insertBefore(row, fig);
        row.appendChild(fig);
        row.appendChild(box);
      } else holder.appendChild(box);
    });
  }

  /* ---- tables ---- */
  /* spec: { id, caption, cols: [{ name, num }], rows: [[cell, ...]], total, offering, note }; a cell is
   * a value or { t: text, v: sort value } */
  function table(spec) {
    var wrap = el('div', null, 'tablebox');
    wrap.id = spec.id + '-box';
    var head = wrap.appendChild(el('div', null, 'tablehead'));
    head.appendChild(el('span', spec.caption, 'caption'));
    var count = head.appendChild(el('span', '', 'count'));
    var filter = head.appendChild(el('input'));
    filter.type = 'search'; filter.placeholder = 'filter'; filter.className = 'filter'; filter.setAttribute('aria-label', 'filter ' + spec.caption);
    if (spec.note) wrap.appendChild(el('p', spec.note, 'hint'));
    var scroll = wrap.appendChild(el('div', null, 'tablescroll'));
    var t = scroll.appendChild(el('table', null, 'sortable'));
    t.id = spec.id;
    var hr = t.appendChild(el('thead')).appendChild(el('tr'));
    spec.cols.forEach(function (c) { var th = hr.appendChild(el('th', c.name)); th.setAttribute('data-type', c.num ? 'num' : 'text'); if (c.title) th.title = c.title; });
    var tb = t.appendChild(el('tbody'));
    spec.rows.forEach(function (row) {
      var tr = tb.appendChild(el('tr'));
      if (spec.offering) tr.setAttribute('data-offering', spec.offering);
      row.forEach(function (c, i) {
        var col = spec.cols[i];
        var td = tr.appendChild(el('td', c !== null && typeof c === 'object' ? c.t : c === null ? '' : String(c),
          col.num ? 'num' : col.cls ? col.cls : col.nowrap || i === 0 ? 'nowrap' : null));
        if (c !== null && typeof c === 'object' && c.v !== undefined) td.setAttribute('data-v', String(c.v));
      });
    });
    var total = spec.total !== undefined ? spec.total : spec.rows.length;
    function update() {
      var q = filter.value.trim().toLowerCase(), shown = 0;
      Array.prototype.forEach.call(tb.rows, function (tr) {
        var hit = !q || tr.textContent.toLowerCase().indexOf(q) >= 0;
        tr.classList.toggle('filtered', !hit);
        if (hit) shown++;
      });
      count.textContent = q ? '(' + shown + ' of ' + spec.rows.length + ' rows shown)' :
        spec.rows.length < total ? '(' + spec.rows.length + ' of ' + total + ' rows)' : '(' + spec.rows.length + ' rows)';
    }
    filter.addEventListener('input', update);
    update();
    sortable(t);
    return wrap;
  }
  function sortable(t) {
    var ths = t.querySelectorAll('thead th');
    ths.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = !th.classList.contains('asc');
        ths.forEach(function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(asc ? 'asc' : 'desc');
        var num = th.getAttribute('data-type') === 'num', tb = t.tBodies[0];
        var key = function (tr) { var c = tr.cells[col]; return c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent; };
        var rows = Array.prototype.slice.call(tb.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), r;
          if (num) r = (parseFloat(x) || 0) - (parseFloat(y) || 0);
          else r = x < y ? -1 : x > y ? 1 : 0;
          return asc ? r : -r;
        });
        rows.forEach(function (r) { tb.appendChild(r); });
      });
    });
  }
  function compCell(i, off) { var c = D.competencies[i]; return { t: nameOf(c.slug, off), v: c.name.toLowerCase() }; }

  function drawTables() {
    var off = state.offering, body = $('tables-body');
    body.textContent = '';
    var lim = D.limited[off] ? 'Only the ' + compsIn(off).length + ' competencies shown (of ' + D.npresent[off] + '); apnmap stats, overlap and hardest list every one.' : null;
    body.appendChild(table({ id: 't-hardest', caption: 'Hardest competencies: ' + off + ' (hardest.csv)', offering: off, note: lim,
      cols: [{ name: 'rank', num: 1 }, { name: 'competency' }, { name: 'requirements', num: 1 }, { name: 'own checklist', num: 1 },
        { name: 'via prerequisites', num: 1 }, { name: 'specific', num: 1, title: 'held by at most ' + state.common + '% of the competencies' },
        { name: 'customer examples', num: 1 }],
      rows: (D.hardest[off] || []).map(function (h) {
        var o = D.competencies[h[1]].offerings[off] || {};
        return [h[0], compCell(h[1], off), h[2], h[3], h[4], o.specific || 0, o.evidence || 0];
      }) }));
    // requirements by prefix: one row per competency, a column per prefix two or more of them use
    var stats = D.stats[off] || [], users = {}, per = {};
    stats.forEach(function (s) { users[s[1]] = (users[s[1]] || 0) + 1; (per[s[0]] = per[s[0]] || {})[s[1]] = s[2]; });
    var ncomp = Object.keys(per).length, wide = Math.max(2, Math.ceil(ncomp / 5));
    var shared = Object.keys(users).filter(function (p) { return users[p] >= wide; })
      .sort(function (a, b) { return users[b] - users[a] || (a < b ? -1 : 1); });
    body.appendChild(table({ id: 't-stats', caption: 'Requirements per competency and ID prefix: ' + off + ' (stats.csv)', offering: off, note: lim,
      cols: [{ name: 'competency' }, { name: 'total', num: 1 }].concat(shared.map(function (p) { return { name: p, num: 1, title: users[p] + ' competencies' }; }))
        .concat([{ name: 'other prefixes', nowrap: 1, title: 'prefixes fewer than ' + wide + ' competencies use' }]),
      rows: Object.keys(per).map(Number).map(function (i) {
        var m = per[i], tot = 0, own = [];
        Object.keys(m).forEach(function (p) { tot += m[p]; if (users[p] < wide) own.push(p + ' ' + m[p]); });
        return [compCell(i, off), tot].concat(shared.map(function (p) { return m[p] || ''; })).concat([own.sort().join(', ')]);
      }) }));
    body.appendChild(table({ id: 't-overlap', caption: 'What each pair shares: ' + off + ' (overlap.csv)', offering: off, note: lim,
      cols: [{ name: 'first' }, { name: 'second' }, { name: 'shared', num: 1 }, { name: 'specific', num: 1, title: 'held by at most ' + Math.round(D.specific_share * 100) + '%' },
        { name: 'union', num: 1 }, { name: 'jaccard', num: 1 }],
      rows: (D.pairs[off] || []).slice().sort(function (x, y) { return y[5] - x[5] || y[2] - x[2] || x[0] - y[0] || x[1] - y[1]; }).map(function (p) {
        return [compCell(p[0], off), compCell(p[1], off), p[2], p[5], p[3], { t: p[4].toFixed(4), v: p[4] }];
      }) }));
    body.appendChild(table({ id: 't-checklists', caption: 'Checklists, newest releases (checklists.csv)',
      cols: D.checklist_table.cols.map(function (c) { return { name: c, num: c === 'requirements' }; }),
      rows: D.checklist_table.rows, total: D.checklist_table.total }));
    body.appendChild(table({ id: 't-diagnostics', caption: 'Build diagnostics (diagnostics.csv)',
      // long paths wrap anywhere; the message keeps a readable width
      cols: D.diagnostic_table.cols.map(function (c) {
        return { name: c, cls: c === 'path' ? 'path' : c === 'message' ? 'message' : null };
      }),
      rows: D.diagnostic_table.rows, total: D.diagnostic_table.total }));
  }
  function drawReachRest() {
    var rest = D.reach.slice(D.reach_top);
    if (!rest.length) return;
    var offs = ['saas', 'customer-deployed', 'services'];
    $('reach-rest').appendChild(table({ id: 't-reach', caption: 'More prefixes by reach (the chart shows the first ' + D.reach_top + ')',
      total: Math.max(D.reach_total - D.reach_top, rest.length),
      cols: [{ name: 'prefix' }].concat(offs.map(function (o) { return { name: o + ' competencies', num: 1 }; }))
        .concat(offs.map(function (o) { return { name: o + ' requirements', num: 1 }; })),
      rows: rest.map(function (x) { return [x[0]].concat(x[1], x[2]); }) }));
  }

  /* ---- offering ---- */
  function filterPage() {
    var off = state.offering;
    document.querySelectorAll('[data-offering]').forEach(function (e) {
      var o = e.getAttribute('data-offering');
      e.classList.toggle('off-hidden', !!o && o !== off);
    });
  }
  function setOffering(off) {
    state.offering = off;
    $('offering').value = off;
    resetPanel();
    drawNext();
    drawTables();
    filterPage();
    draw();
  }

  /* ---- start ---- */
  // a getter: the instance can be inspected from outside but not replaced
  Object.defineProperty(window, 'apnmapGraph', { get: function () { return cy; } });
  var sel = $('offering');
  D.offerings.forEach(function (o) { var opt = el('option', o); opt.value = o; sel.appendChild(opt); });
  sel.addEventListener('change', function () { setOffering(sel.value); });
  $('search').addEventListener('input', applySearch);
  $('search').addEventListener('keydown', function (e) {
    if (e.key !== 'Enter') return;
    var hit = applySearch();
    if (hit && hit.length) { cy.$(':selected').unselect(); hit[0].select(); showPanel(hit[0]); }
  });
  $('common').value = String(state.common);
  $('common-v').textContent = String(state.common);
  $('minshared').addEventListener('input', function () { state.minShared = +this.value; $('minshared-v').textContent = this.value; draw(); });
  $('common').addEventListener('input', function () { state.common = +this.value; $('common-v').textContent = this.value; draw(); });
  $('cats').addEventListener('change', function () { state.cats = this.checked; draw(); });
  $('prenodes').addEventListener('change', function () { state.preNodes = this.checked; draw(); });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(layout, 120);
  });
  topPairs();
  drawReachRest();
  charts();
  if (state.offering) setOffering(state.offering);
})();
