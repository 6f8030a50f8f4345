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
const sorted = (a) => [...a].sort();
function categoriesOf(w) {
  return sorted(new Set([...w.comps.values()].map((c) => c.category).filter((c) => c)));
}
function nodesOf(w) { return w.comps.size + categoriesOf(w).length + w.checklists.length; }
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

/* a competency node no other node covers, in slug order, and its rendered position */
function clickTarget() {
  return page.evaluate(() => {
    const cy = window.apnmapGraph, w = cy.width(), h = cy.height(), all = cy.nodes();
    const comps = cy.nodes('[kind = "competency"]').sort((a, b) => (a.data('slug') < b.data('slug') ? -1 : 1));
    for (const n of comps) {
      const p = n.renderedPosition();
      if (p.x < 10 || p.y < 10 || p.x > w - 10 || p.y > h - 10) continue;
      const covered = all.some((o) => {
        if (o.same(n)) return false;
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
  const g = await graph();
  assert.deepEqual(g.competencies, sorted(w.comps.keys()), `${off}: competency nodes`);
  assert.deepEqual(g.categories, categoriesOf(w), `${off}: category nodes`);
  assert.deepEqual(g.checklists, sorted(w.checklists), `${off}: prerequisite checklist nodes`);
  assert.equal(g.nodes, nodesOf(w), `${off}: nodes drawn`);
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

test('screenshot, and nothing left the machine', async () => {
  await page.locator('#cy').click({ position: { x: 3, y: 3 } });  // background: unselects
  await clickCompetency(await page.locator('#offering').inputValue());
  await page.evaluate(() => document.getElementById('graph').scrollIntoView());
  await page.screenshot({ path: SCREENSHOT });
  assert.ok(fs.statSync(SCREENSHOT).size > 10000, 'the screenshot is empty');
  assert.deepEqual(offNetwork, [], 'requests that were not file://');
  assert.deepEqual(pageErrors, [], 'errors in the page');
});
