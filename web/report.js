/* apnmap report page: the competency graph, the offering filter and sortable
 * tables. Data comes from the JSON block #apn-data; document text is only ever
 * put into the page with textContent. window.apnmapGraph (read-only) is the
 * cytoscape instance, for tests/browser/report.test.js and the console. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('apn-data').textContent);
  var CAT_COLORS = { industry: '#d95f02', workload: '#1b9e77', other: '#7570b3' };
  var EXTRA = ['#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b15928'];
  var NOCAT = '#8a94a6';
  var comps = {};
  D.competencies.forEach(function (c) { comps[c.slug] = c; });
  var cats = [];
  D.competencies.forEach(function (c) { if (c.category && cats.indexOf(c.category) < 0) cats.push(c.category); });
  cats.sort();
  var extra = 0;
  cats.forEach(function (k) { if (!CAT_COLORS[k]) CAT_COLORS[k] = EXTRA[extra++ % EXTRA.length]; });
  function catColor(k) { return k ? CAT_COLORS[k] : NOCAT; }

  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };

  var state = { offering: D.default_offering || D.offerings[0] || '', minShared: 1, common: 50, cats: true, selected: null };

  /* ---- data per offering ---- */
  function reqsOf(off, slug) { return ((D.requirements[off] || {})[slug]) || []; }
  function compsIn(off) {
    return D.competencies.filter(function (c) { return c.offerings[off]; }).map(function (c) { return c.slug; });
  }
  function commonSet(off, pct) {
    var slugs = compsIn(off), count = {}, common = {};
    slugs.forEach(function (s) { reqsOf(off, s).forEach(function (r) { count[r[0]] = (count[r[0]] || 0) + 1; }); });
    var limit = slugs.length * pct / 100;
    Object.keys(count).forEach(function (id) { if (count[id] > limit) common[id] = true; });
    return common;
  }
  function sharedPairs(off, pct) {
    var slugs = compsIn(off), sets = {}, common = commonSet(off, pct), out = [];
    slugs.forEach(function (s) { var m = {}; reqsOf(off, s).forEach(function (r) { m[r[0]] = true; }); sets[s] = m; });
    for (var i = 0; i < slugs.length; i++)
      for (var j = i + 1; j < slugs.length; j++) {
        var a = sets[slugs[i]], b = sets[slugs[j]], n = 0, all = 0, ids = [];
        for (var id in a) if (b[id]) { all++; if (!common[id]) { n++; ids.push(id); } }
        out.push({ a: slugs[i], b: slugs[j], n: n, all: all, ids: ids.sort() });
      }
    return out;
  }
  function prereqVisible(p, off) {
    if (p.offering !== off) return false;
    var k = p.target && D.checklists[p.target];
    if (k && k.programme === 'FTR') {
      if (k.variant === 'partner-hosted') return off === 'saas';
      if (k.variant === 'customer-deployed') return off === 'customer-deployed';
    }
    return true;
  }

  /* ---- graph ---- */
  var cy = null;
  function partialMark(slug, off) { var o = comps[slug].offerings[off]; return o && o.partial ? ' *' : ''; }

  function elements(off) {
    var els = [], seen = {};
    compsIn(off).forEach(function (s) {
      var c = comps[s];
      els.push({ group: 'nodes', data: { id: 'c:' + s, kind: 'competency', slug: s, label: c.name + partialMark(s, off),
        color: catColor(c.category), size: 22 + Math.sqrt(reqsOf(off, s).length) * 3 } });
      if (state.cats && c.category) {
        if (!seen['g:' + c.category]) {
          seen['g:' + c.category] = true;
          els.push({ group: 'nodes', data: { id: 'g:' + c.category, kind: 'category', label: c.category, color: catColor(c.category), size: 34 } });
        }
        els.push({ group: 'edges', data: { id: 'm:' + s, source: 'c:' + s, target: 'g:' + c.category, kind: 'member' } });
      }
    });
    D.prerequisites.forEach(function (p, i) {
      if (!p.target || !prereqVisible(p, off) || !comps[p.competency] || !comps[p.competency].offerings[off]) return;
      var tid;
      if (p.target_competency) {
        if (!comps[p.target_competency] || !comps[p.target_competency].offerings[off]) return;
        tid = 'c:' + p.target_competency;
      } else {
        tid = 'k:' + p.target;
        if (!seen[tid]) {
          seen[tid] = true;
          els.push({ group: 'nodes', data: { id: tid, kind: 'checklist', label: p.target, color: '#34495e', size: 30 } });
        }
      }
      els.push({ group: 'edges', data: { id: 'p:' + i, source: 'c:' + p.competency, target: tid, kind: 'prereq', label: '' } });
    });
    var pairs = sharedPairs(off, state.common), max = 1;
    pairs.forEach(function (e) { if (e.n > max) max = e.n; });
    var slider = $('minshared');
    slider.max = String(Math.max(max, 1));
    if (state.minShared > max) { state.minShared = max; slider.value = String(max); $('minshared-v').textContent = String(max); }
    pairs.forEach(function (e) {
      if (e.n < state.minShared || e.n < 1) return;
      els.push({ group: 'edges', data: { id: 's:' + e.a + '|' + e.b, source: 'c:' + e.a, target: 'c:' + e.b, kind: 'shared',
        weight: e.n, width: 1 + 7 * e.n / max, label: String(e.n) } });
    });
    return els;
  }

  function draw() {
    var off = state.offering;
    if (!window.cytoscape) { $('cy').textContent = 'cytoscape.js is missing from this page.'; return; }
    var els = elements(off);
    if (!cy) {
      cy = window.cytoscape({
        container: $('cy'), elements: els, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 4,
        style: [
          { selector: 'node', style: { 'background-color': 'data(color)', label: 'data(label)', width: 'data(size)', height: 'data(size)',
            'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'wrap', 'text-max-width': 140,
            'text-background-color': '#ffffff', 'text-background-opacity': 0.7 } },
          { selector: 'node[kind = "checklist"]', style: { shape: 'round-rectangle', 'font-weight': 'bold' } },
          { selector: 'node[kind = "category"]', style: { shape: 'diamond', 'font-style': 'italic', 'background-opacity': 0.35 } },
          { selector: 'edge', style: { 'curve-style': 'bezier', width: 1, 'line-color': '#c3cad6' } },
          { selector: 'edge[kind = "shared"]', style: { width: 'data(width)', 'line-color': '#9aa5b8', opacity: 0.7, label: 'data(label)',
            'font-size': 9, color: '#5b6475', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
          { selector: 'edge[kind = "prereq"]', style: { width: 2, 'line-color': '#34495e', 'target-arrow-color': '#34495e', 'target-arrow-shape': 'triangle' } },
          { selector: 'edge[kind = "member"]', style: { 'line-style': 'dotted', 'line-color': '#b8bfcc' } },
          { selector: '.dim', style: { opacity: 0.15 } },
          { selector: '.match', style: { 'border-width': 3, 'border-color': '#f2b600' } },
          { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f5fbf' } }
        ]
      });
      cy.on('tap', 'node', function (ev) { showPanel(ev.target); });
    } else {
      cy.elements().remove();
      cy.add(els);
    }
    cy.layout({ name: 'cose', animate: false, randomize: true, padding: 20, nodeOverlap: 40,
      nodeRepulsion: function () { return 60000; }, componentSpacing: 80, gravity: 0.4, numIter: 1500,
      idealEdgeLength: function (e) { return e.data('kind') === 'shared' ? 110 : e.data('kind') === 'member' ? 90 : 70; },
      edgeElasticity: function (e) { return e.data('kind') === 'member' ? 200 : 100; } }).run();
    applySearch();
  }

  /* ---- side panel ---- */
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
          if (!q.target && q.text) li.appendChild(el('span', ' \u2014 ' + q.text, 'via'));
          ul.appendChild(li);
        });
        p.appendChild(ul);
      }
      var sect = el('div'); sect.id = 'panel-reqs';
      sect.appendChild(el('h4', reqs.length + ' requirements by prefix'));
      var byPrefix = {};
      reqs.forEach(function (r) { (byPrefix[r[1]] = byPrefix[r[1]] || []).push(r); });
      Object.keys(byPrefix).sort().forEach(function (pf) {
        sect.appendChild(el('h4', pf + ' (' + byPrefix[pf].length + ')'));
        var ul2 = el('ul');
        byPrefix[pf].forEach(function (r) {
          var li = el('li', null, 'req');
          li.appendChild(el('code', r[0]));
          li.appendChild(document.createTextNode(' ' + (D.titles[r[0]] || '')));
          if (r[2]) li.appendChild(el('span', ' via ' + r[2], 'via'));
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
        var li = el('li', comps[e.other].name + partialMark(e.other, off) + ': ' + e.n + ' / ' + e.all);
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
      compsIn(off).filter(function (s) { return comps[s].category === d.label; })
        .forEach(function (s) { ul5.appendChild(el('li', comps[s].name)); });
      p.appendChild(ul5);
    }
  }

  /* ---- search ---- */
  function applySearch() {
    if (!cy) return;
    var q = $('search').value.trim().toLowerCase();
    cy.elements().removeClass('dim match');
    if (!q) return;
    var hit = cy.nodes().filter(function (n) {
      var d = n.data();
      return (d.label || '').toLowerCase().indexOf(q) >= 0 || (d.slug || '').toLowerCase().indexOf(q) >= 0;
    });
    cy.elements().not(hit).addClass('dim');
    hit.addClass('match');
    return hit;
  }

  /* ---- offering filter for charts and tables ---- */
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
    $('panel').textContent = '';
    $('panel').appendChild(el('p', 'Click a competency to list its requirements by prefix and what it shares with the others.', 'hint'));
    filterPage();
    draw();
  }

  /* ---- sortable tables ---- */
  function sortable(table) {
    var ths = table.querySelectorAll('thead th');
    ths.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = !th.classList.contains('asc');
        ths.forEach(function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(asc ? 'asc' : 'desc');
        var num = th.getAttribute('data-type') === 'num', tb = table.tBodies[0];
        var rows = Array.prototype.slice.call(tb.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent, r;
          if (num) r = (parseFloat(x) || 0) - (parseFloat(y) || 0);
          else r = x < y ? -1 : x > y ? 1 : 0;
          return asc ? r : -r;
        });
        rows.forEach(function (r) { tb.appendChild(r); });
      });
    });
  }

  function legend() {
    var l = $('legend');
    cats.concat(['']).forEach(function (k) {
      if (!k && !D.competencies.some(function (c) { return !c.category; })) return;
      var s = el('span'), sw = el('span', null, 'sw');
      sw.style.background = catColor(k);
      s.appendChild(sw);
      s.appendChild(document.createTextNode(k || 'no category'));
      l.appendChild(s);
    });
    var k = el('span'), sw2 = el('span', null, 'sw');
    sw2.style.background = '#34495e'; sw2.style.borderRadius = '2px';
    k.appendChild(sw2); k.appendChild(document.createTextNode('prerequisite checklist'));
    l.appendChild(k);
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
    if (hit && hit.length) { hit[0].select(); showPanel(hit[0]); }
  });
  $('minshared').addEventListener('input', function () { state.minShared = +this.value; $('minshared-v').textContent = this.value; draw(); });
  $('common').addEventListener('input', function () { state.common = +this.value; $('common-v').textContent = this.value; draw(); });
  $('cats').addEventListener('change', function () { state.cats = this.checked; draw(); });
  document.querySelectorAll('table.sortable').forEach(sortable);
  legend();
  if (state.offering) setOffering(state.offering);
})();
