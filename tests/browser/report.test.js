'use strict';
/* The report page in a real browser, driven from outside with real input events.
 * Run by tests/sh/report_browser.sh, which sets REPORT_HTML (the page), WANT_DIR
 * (what sqlite3 says the page must show, as JSON) and SCREENSHOT (where to save
 * one). playwright-core (web/package.json devDependency) launches Debian's
 * chromium; every request that is not file:// is aborted and fails the test.
 * The page's only hook is the read-only window.apnmapGraph (the cytoscape
 * instance): the test reads node counts and positions from it and does all
 * clicking, selecting and typing with page.mouse, selectOption and the keyboard. */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require(path.join(__dirname, '..', '..', 'web', 'node_modules', 'playwright-core'));

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/sh/report_browser.sh`);
  return v;
}
const REPORT = env('REPORT_HTML');
const WANT_DIR = env('WANT_DIR');
const SCREENSHOT = env('SCREENSHOT');
const SHOTS = env('SHOTS');   // the folder of the section screenshots

/* ---- what the database says (sqlite3 -json prints nothing for no rows) ---- */
function load(name) {
  const text = fs.readFileSync(path.join(WANT_DIR, name + '.json'), 'utf8').trim();
  return text ? JSON.parse(text) : [];
}
const want = {};
const offeringOf = (o) => (want[o] = want[o] || { comps: new Map(), checklists: [], reqs: new Map(), rows: 0 });
for (const r of load('competencies')) offeringOf(r.offering).comps.set(r.slug, r);
for (const r of load('checklists')) offeringOf(r.offering).checklists.push(r.name);
for (const r of load('requirements')) {
  const w = offeringOf(r.offering);
  if (!w.reqs.has(r.competency)) w.reqs.set(r.competency, []);
  w.reqs.get(r.competency).push(r.requirement_id);
}
for (const r of load('rows')) offeringOf(r.offering).rows = r.n;
// What next: `apnmap plan --next 5` for nothing held and three held sets
const nextWant = [];
for (let i = 0; fs.existsSync(path.join(WANT_DIR, `next-${i}.json`)); i++) {
  const h = load(`next-${i}.have`);
  nextWant.push({ offering: h.offering, have: h.have ? h.have.split(',') : [], rows: load(`next-${i}`) });
}
const sorted = (a) => [...a].sort();
function categoriesOf(w) {
  return sorted(new Set([...w.comps.values()].map((c) => c.category).filter((c) => c)));
}
/* competencies, their category groups, and the prerequisite checklists that
 * are no competency's when they are drawn as nodes (by default a ring on the
 * competencies that require them) */
function nodesOf(w, pre) { return w.comps.size + categoriesOf(w).length + (pre ? w.checklists.length : 0); }
function panelTitle(c) { return c.name + (c.partial ? ' *' : ''); }

/* ---- the browser ---- */
let browser, context, page;
const offNetwork = [];   // requests that were not file:// (aborted)
const pageErrors = [];   // uncaught exceptions and console errors (CSP violations land here)

before(async () => {
  // Background networking off (updates, first run, sign-in and sync, crash reports,
  // safe-browsing lists, pings), and every host name answered inside the browser:
  // no DNS look-up leaves the machine. report_browser.sh runs the browser under
  // strace (CHROMIUM is its wrapper) and fails on any inet connect or send.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
      '--disable-breakpad', '--disable-crash-reporter', '--disable-domain-reliability',
      '--disable-client-side-phishing-detection', '--safebrowsing-disable-auto-update', '--no-pings',
      '--no-default-browser-check', '--disable-default-apps', '--disable-extensions',
      '--metrics-recording-only', '--host-resolver-rules=MAP * ~NOTFOUND'],
  });
  // a fresh context: its own empty profile, nothing cached
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offNetwork.push(url);
    return route.abort('blockedbyclient');
  });
  page = await context.newPage();
  // requests route() does not see (data: URIs are inline, not network)
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !offNetwork.includes(url)) offNetwork.push(url);
  });
  page.on('websocket', (ws) => offNetwork.push(ws.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.apnmapGraph && window.apnmapGraph.nodes().length > 0, null, { timeout: 15000 });
});

after(async () => {
  if (browser) await browser.close();
});

/* what the graph holds now, read from the cytoscape instance */
function graph() {
  return page.evaluate(() => {
    const cy = window.apnmapGraph;
    const labels = (sel) => cy.nodes(sel).map((n) => n.data('label')).sort();
    const w = cy.width(), h = cy.height();
    return {
      nodes: cy.nodes().length,
      competencies: cy.nodes('[kind = "competency"]').map((n) => n.data('slug')).sort(),
      categories: labels('[kind = "category"]'),
      checklists: labels('[kind = "checklist"]'),
      // nodes whose centre the viewport does not show
      outside: cy.nodes().filter((n) => {
        const p = n.renderedPosition();
        return !(p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h);
      }).map((n) => n.id()),
      selected: cy.$('node:selected').map((n) => n.id()),
      matches: cy.nodes('.match').map((n) => n.id()).sort(),
      dimmed: cy.nodes('.dim').length,
    };
  });
}

/* Every node's label box and body box as drawn (rendered px), and the label's
 * font size on the screen. */
function labelBoxes() {
  return page.evaluate(() => {
    const cy = window.apnmapGraph, z = cy.zoom();
    return cy.nodes().map((n) => {
      const l = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      const b = n.renderedBoundingBox({ includeNodes: true, includeEdges: false, includeLabels: false, includeOverlays: false });
      return { id: n.id(), label: n.data('label') || '', parent: n.isParent(), font: parseFloat(n.style('font-size')) * z,
        l: [l.x1, l.y1, l.x2, l.y2], b: [b.x1, b.y1, b.x2, b.y2] };
    });
  });
}
const meets = (a, b) => a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
/* no label overlaps another label or another node's body (a category box
 * holds its members: only its label counts), all at least 11 px */
async function checkLabels(what) {
  const boxes = (await labelBoxes()).filter((x) => x.label);
  assert.ok(boxes.length > 0, `${what}: no labels`);
  for (const x of boxes) assert.ok(x.font >= 11, `${what}: label "${x.label}" drawn at ${x.font.toFixed(1)} px`);
  for (let i = 0; i < boxes.length; i++)
    for (let j = 0; j < boxes.length; j++) {
      if (i === j) continue;
      const a = boxes[i], b = boxes[j];
      if (j > i) assert.ok(!meets(a.l, b.l), `${what}: the labels "${a.label}" and "${b.label}" overlap`);
      if (!b.parent) assert.ok(!meets(a.l, b.b), `${what}: the label "${a.label}" covers the node "${b.label}"`);
    }
  return boxes;
}

/* a competency node no other node covers, in slug order, and its rendered position */
function clickTarget() {
  return page.evaluate(() => {
    const cy = window.apnmapGraph, w = cy.width(), h = cy.height(), all = cy.nodes();
    const comps = cy.nodes('[kind = "competency"]').sort((a, b) => (a.data('slug') < b.data('slug') ? -1 : 1));
    for (const n of comps) {
      const p = n.renderedPosition();
      if (p.x < 10 || p.y < 10 || p.x > w - 10 || p.y > h - 10) continue;
      const covered = all.some((o) => {
        if (o.same(n) || o.isParent()) return false;   // a category group holds its members
        const b = o.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
        return p.x >= b.x1 - 2 && p.x <= b.x2 + 2 && p.y >= b.y1 - 2 && p.y <= b.y2 + 2;
      });
      if (!covered) return { id: n.id(), slug: n.data('slug'), x: p.x, y: p.y };
    }
    return null;
  });
}

async function canvasPainted() {
  await page.waitForFunction(() => {
    for (const c of document.querySelectorAll('#cy canvas')) {
      if (!c.width || !c.height) continue;
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i]) return true;
    }
    return false;
  }, null, { timeout: 10000 });
}

async function checkOffering(off) {
  const w = want[off];
  assert.equal(await page.locator('#offering').inputValue(), off, 'the select shows the offering');
  const pre = await page.locator('#prenodes').isChecked();
  const g = await graph();
  assert.deepEqual(g.competencies, sorted(w.comps.keys()), `${off}: competency nodes`);
  assert.deepEqual(g.categories, categoriesOf(w).concat(pre && w.checklists.length ? ['prerequisite checklists'] : []).sort(),
    `${off}: category nodes`);
  assert.deepEqual(g.checklists, pre ? sorted(w.checklists) : [], `${off}: prerequisite checklist nodes`);
  assert.equal(g.nodes, nodesOf(w, pre) + (pre && w.checklists.length ? 1 : 0), `${off}: nodes drawn`);
  assert.deepEqual(g.outside, [], `${off}: nodes outside the visible graph`);
  await canvasPainted();
  // the tables and charts: what the filter leaves visible
  assert.equal(await page.locator('tr[data-offering]:visible').count(), w.rows, `${off}: visible table rows`);
  const charts = await page.locator('figure.chart[data-offering]:visible').evaluateAll(
    (fs) => fs.map((f) => f.getAttribute('data-offering')));
  assert.ok(charts.length > 0, `${off}: no chart visible`);
  for (const c of charts) assert.ok(c === off || c === '', `${off}: a ${c} chart is visible`);
  return g;
}

/* a real mouse click on a competency node, then the side panel against the database */
async function clickCompetency(off) {
  const w = want[off];
  await page.locator('#cy').scrollIntoViewIfNeeded();
  const t = await clickTarget();
  assert.ok(t, `${off}: no competency node free to click`);
  const box = await page.locator('#cy canvas').first().boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `${off}: the graph canvas has no size`);
  await page.mouse.click(box.x + t.x, box.y + t.y);
  const c = w.comps.get(t.slug);
  await page.locator('#panel h3').filter({ hasText: c.name }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#panel h3').textContent(), panelTitle(c), `${off}: panel heading`);
  const listed = await page.locator('#panel-reqs li.req code').allTextContents();
  const ids = w.reqs.get(t.slug) || [];
  assert.equal(listed.length, ids.length, `${off}: ${t.slug}: requirements listed`);
  assert.deepEqual(sorted(listed), sorted(ids), `${off}: ${t.slug}: requirement ids listed`);
  assert.match(await page.locator('#panel-reqs h4').first().textContent(), new RegExp(`^${ids.length} requirements`));
  // the click went through cytoscape's own input handling: the node is selected
  assert.deepEqual((await graph()).selected, [t.id], `${off}: selected after the click`);
  return t;
}

test('the report opens offline with the graph drawn for the default offering', async () => {
  const offs = await page.locator('#offering option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(sorted(offs), sorted(Object.keys(want)), 'the offering filter offers what the database has');
  const g = await checkOffering(await page.locator('#offering').inputValue());
  assert.ok(g.nodes > 0);
});

test('clicking a competency lists its requirements (default offering)', async () => {
  await clickCompetency(await page.locator('#offering').inputValue());
});

test('the offering filter changes the graph, the tables and the charts', async () => {
  const offs = Object.keys(want);
  const distinct = new Set(offs.map((o) => sorted(want[o].comps.keys()).join(',')));
  assert.ok(distinct.size >= 2, 'the fixture must have offerings with different competencies');
  let before = await graph();
  const start = await page.locator('#offering').inputValue();
  for (const off of [...offs.filter((o) => o !== start), start]) {
    const prev = await page.locator('#offering').inputValue();
    await page.selectOption('#offering', off);
    const g = await checkOffering(off);
    if (sorted(want[prev].comps.keys()).join(',') !== sorted(want[off].comps.keys()).join(','))
      assert.notDeepEqual(g.competencies, before.competencies, `${prev} -> ${off}: the graph did not change`);
    assert.match(await page.locator('#panel').textContent(), /Click a competency/, `${off}: the panel was reset`);
    await clickCompetency(off);
    before = g;
  }
});

test('typing in the search box highlights the matches; Enter opens the first', async () => {
  const off = await page.locator('#offering').inputValue();
  const w = want[off];
  // a word of the competency names that some but not all of them hold, and
  // no category or prerequisite checklist (so every match is a competency)
  const others = [...categoriesOf(w), ...w.checklists].map((s) => s.toLowerCase());
  const comps = [...w.comps.values()];
  const hits = (q) => comps.filter((c) => c.name.toLowerCase().includes(q) || c.slug.includes(q));
  const words = sorted(new Set(comps.flatMap((c) => c.name.toLowerCase().split(/[^a-z0-9]+/)).filter((x) => x.length >= 3)));
  let q = words.find((x) => hits(x).length >= 2 && hits(x).length < comps.length && !others.some((o) => o.includes(x)));
  q = q || words.find((x) => hits(x).length < comps.length && !others.some((o) => o.includes(x)));
  assert.ok(q, 'no search word in the competency names');
  const expect = sorted(hits(q).map((c) => 'c:' + c.slug));

  await page.locator('#search').click();
  await page.keyboard.type(q, { delay: 20 });
  let g = await graph();
  assert.deepEqual(g.matches, expect, `search "${q}": highlighted nodes`);
  assert.equal(g.dimmed, g.nodes - expect.length, `search "${q}": the other nodes are dimmed`);

  await page.keyboard.press('Enter');
  g = await graph();
  const opened = g.selected.filter((id) => expect.includes(id));
  assert.equal(opened.length, 1, `search "${q}" + Enter: one match selected (${g.selected})`);
  const c = w.comps.get(opened[0].slice(2));
  assert.equal(await page.locator('#panel h3').textContent(), panelTitle(c), 'Enter opens the match in the panel');
  assert.equal(await page.locator('#panel-reqs li.req').count(), (w.reqs.get(c.slug) || []).length);

  // clearing the box clears the highlight
  await page.locator('#search').fill('');
  g = await graph();
  assert.equal(g.matches.length + g.dimmed, 0, 'an empty search dims nothing');
});

test('graph labels: at least 11 px, none overlapping, for every offering and after a resize', async () => {
  const start = await page.locator('#offering').inputValue();
  for (const off of Object.keys(want)) {
    await page.selectOption('#offering', off);
    await checkLabels(off);
    await page.locator('#graph').screenshot({ path: path.join(SHOTS, `graph-${off}.png`) });
  }
  await page.selectOption('#offering', start);
  // the FTR is a ring and a legend entry, not a hub: no prerequisite-checklist node
  assert.equal((await graph()).checklists.length, 0, 'prerequisite checklists drawn as nodes by default');
  // a narrower window: laid out again and fitted, labels still apart
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.waitForFunction(() => {
    const cy = window.apnmapGraph, w = cy.width();
    return w < 800 && cy.nodes().every((n) => { const p = n.renderedPosition(); return p.x >= 0 && p.x <= w; });
  }, null, { timeout: 10000 });
  const g = await graph();
  assert.deepEqual(g.outside, [], 'after a resize: nodes outside the visible graph');
  await checkLabels(`${start} at 1000 px`);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => window.apnmapGraph.width() > 800, null, { timeout: 10000 });
  assert.deepEqual((await graph()).outside, [], 'back at 1400 px: nodes outside the visible graph');
  await checkLabels(`${start} at 1400 px again`);
});

/* the rows of the cheapest-next table: [rank, slug, new, total, evidence] */
function nextRows() {
  return page.locator('#next-table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const c = [...tr.cells].map((td) => td.textContent);
    return [+c[0], tr.getAttribute('data-slug'), +c[2], +c[3], +c[4]];
  }));
}

test('what next: the "we hold" selector ranks as apnmap plan --next 5', async () => {
  assert.ok(nextWant.length >= 4, 'the script wrote nothing held and three held sets');
  for (const h of nextWant) {
    await page.selectOption('#offering', h.offering);
    await page.locator('#held-clear').click();
    for (const s of h.have) await page.locator(`#held input[data-slug="${s}"]`).check();
    const got = (await nextRows()).slice(0, h.rows.length);
    const exp = h.rows.map((r) => [r.rank, r.competency, r.new, r.total, r.evidence_new]);
    assert.ok(exp.length > 0, `plan --next 5 --have ${h.have} answered nothing`);
    assert.deepEqual(got, exp, `held ${h.have.join(', ') || 'nothing'}: the page against apnmap plan --next 5`);
    // the candidates the planner left out (partial checklists: cost unknown) are
    // listed as unknown, the same ones
    const leftOut = sorted((h.rows[0].left_out || []).map((x) => x.competency).filter((x) => !h.have.includes(x)));
    const unknown = await page.locator('#next-unknown span[data-slug]').evaluateAll((ss) => ss.map((x) => x.getAttribute('data-slug')));
    assert.deepEqual(sorted(unknown), leftOut, `held ${h.have.join(', ') || 'nothing'}: unknown = what plan --next left out`);
    if (h.have.length === 1)
      assert.match(await page.locator('#next-cheapest h3').first().textContent(), /holding 1 competency/);
  }
  // best 2, best 3 and the pairs are there, with names
  for (const id of ['#next-best2', '#next-best3'])
    assert.match(await page.locator(id).textContent(), /new/, `${id} shows a set`);
  await page.locator('#next').screenshot({ path: path.join(SHOTS, 'next.png') });
  await page.locator('#held-clear').click();
});

test('heat map: specific overlap, not uniform, partial pairs grey and hatched; reach legend in view', async () => {
  await page.waitForFunction(() => document.body.getAttribute('data-charts') === 'ready', null, { timeout: 20000 });
  const off = await page.locator('#offering').inputValue();
  const h = await page.evaluate((o) => {
    const fig = document.querySelector(`figure.chart[data-chart="overlap-${o}"]`);
    const svg = fig && fig.querySelector('svg');
    if (!svg) return null;
    const nums = [...svg.querySelectorAll('text')].filter((t) => /^\d+$/.test(t.textContent.trim()))
      .filter((t) => !/128, ?128, ?128/.test(t.getAttribute('fill') || (t.parentNode && t.parentNode.getAttribute('fill')) || ''))
      .map((t) => +t.textContent);
    const hatched = [...svg.querySelectorAll('*')].filter((e) => /url\(#gpPat/.test(e.getAttribute('fill') || '')).length;
    return { nums, hatched };
  }, off);
  assert.ok(h, `${off}: the heat map is not in the page`);
  const data = await page.evaluate((o) => {
    const D = JSON.parse(document.getElementById('apn-data').textContent);
    return (D.pairs[o] || []).map((p) => ({ specific: p[5], partial: p[6] }));
  }, off);
  const complete = data.filter((p) => !p.partial), partial = data.filter((p) => p.partial);
  const distinct = new Set(h.nums);
  // the bundled corpus's complete services checklists share almost nothing beyond
  // the common blocks (Security and MSSP: 2): not one colour, and the same numbers
  assert.ok(distinct.size >= 2, `${off}: the heat map is uniform (${[...distinct]})`);
  assert.deepEqual([...distinct].sort((a, b) => a - b), [...new Set(complete.map((p) => p.specific))].sort((a, b) => a - b),
    `${off}: the heat map's numbers are the specific counts of the complete pairs`);
  assert.equal(h.hatched, 2 * partial.length, `${off}: hatched cells = the pairs with a partial checklist, both halves`);

  // reach: 30 prefixes at most, the legend visible without scrolling the chart
  const r = await page.evaluate(() => {
    const fig = document.querySelector('figure.chart[data-chart="reach"]');
    const box = fig.querySelector('.svg'), br = box.getBoundingClientRect();
    const legend = [...fig.querySelectorAll('svg text')].filter((t) => ['saas', 'customer-deployed', 'services'].includes(t.textContent.trim()));
    return { scroll: box.scrollWidth - box.clientWidth, legend: legend.map((t) => { const q = t.getBoundingClientRect(); return [q.left, q.right, br.left, br.right]; }) };
  });
  assert.ok(r.legend.length >= 2, 'the reach chart has a legend');
  assert.ok(r.scroll <= 1, `the reach chart is ${r.scroll} px wider than its box at 1400 px`);
  for (const [l, rt, bl, brt] of r.legend)
    assert.ok(l >= bl && rt <= brt, `a reach legend entry at x ${l.toFixed(0)}-${rt.toFixed(0)} is outside the chart's view ${bl.toFixed(0)}-${brt.toFixed(0)}`);
  await page.locator(`figure.chart[data-chart="overlap-${off}"]`).screenshot({ path: path.join(SHOTS, 'heatmap.png') });
  await page.locator('figure.chart[data-chart="reach"]').screenshot({ path: path.join(SHOTS, 'reach.png') });
});

test('tables: names, a filter, true counts', async () => {
  const off = await page.locator('#offering').inputValue();
  const w = want[off];
  const box = page.locator('#t-hardest-box');
  const n = w.comps.size;
  assert.match(await box.locator('.count').textContent(), new RegExp(`^\\(${n} rows\\)$`), 'hardest: the count says what is shown');
  const names = await box.locator('tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(sorted(names), sorted([...w.comps.values()].map(panelTitle)), 'hardest: names, not slugs');
  // a word of one name: the filter keeps the rows holding it
  const c = [...w.comps.values()].find((x) => x.name.includes(' ')) || [...w.comps.values()][0];
  const q = c.name.split(' ')[0].toLowerCase();
  await box.locator('input.filter').fill(q);
  const shown = await box.locator('tbody tr:visible').allTextContents();
  const expect = names.filter((x) => x.toLowerCase().includes(q));
  assert.ok(shown.length >= 1 && shown.length === expect.length, `filter "${q}": ${shown.length} rows, want ${expect.length}`);
  assert.match(await box.locator('.count').textContent(), new RegExp(`^\\(${expect.length} of ${n} rows shown\\)$`));
  await box.locator('input.filter').fill('');
  await page.locator('#tables').screenshot({ path: path.join(SHOTS, 'tables.png'), clip: undefined });
});

test('screenshot, and nothing left the machine', async () => {
  await page.locator('#cy').click({ position: { x: 3, y: 3 } });  // background: unselects
  await clickCompetency(await page.locator('#offering').inputValue());
  await page.evaluate(() => document.getElementById('graph').scrollIntoView());
  await page.screenshot({ path: SCREENSHOT });
  await page.locator('#graph').screenshot({ path: path.join(SHOTS, 'graph.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, 'top.png') });
  assert.ok(fs.statSync(SCREENSHOT).size > 10000, 'the screenshot is empty');
  assert.deepEqual(offNetwork, [], 'requests that were not file://');
  assert.deepEqual(pageErrors, [], 'errors in the page');
});
