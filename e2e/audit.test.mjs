// The audit of every kind of page, public and back office, in a real browser against
// a real server (see support.mjs): axe-core (WCAG 2.0/2.1 A and AA, and axe's best
// practices) on the page as shown, and the Nu Html Checker (vnu.jar, npm vnu-jar, run
// with Java) on the HTML as served. Each must find nothing.
//
//   bash scripts/install-browser.sh   # Chromium, Java, npm packages (axe-core, vnu-jar)
//   cargo build --bin eduportal
//   node --test e2e/audit.test.mjs
//
// The served HTML of each page lands in e2e/out/audit/, the server's log in
// e2e/out/audit-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  OUT,
  TEST_TIMEOUT,
  axeViolations,
  cli,
  describeViolations,
  publicPages,
  publishExam,
  usePortal,
} from './support.mjs';

const portal = usePortal('audit-server');

const VNU = String(createRequire(import.meta.url)('vnu-jar'));
const SAVED = join(OUT, 'audit');
const ADMIN = { username: 'kt.quantri', password: 'mật khẩu kiểm thử 2026' };

/**
 * Back-office axe findings known and accepted for now: [page, rule]. Empty: every
 * back-office page passes. A listed finding that no longer occurs fails the test,
 * so the list cannot go stale.
 */
const KNOWN_BACK_OFFICE_AXE = [];

/** Where each saved page came from: file name → "kind (path)". */
const savedPages = new Map();
let examId;

/** The file name of a page kind: "news by date" → "news-by-date.html". */
function fileName(kind) {
  return `${kind.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.html`;
}

/** Opens `path`, checks its status, saves the served HTML for vnu and runs axe. */
async function audit(page, kind, path, status = 200) {
  const res = await page.goto(path);
  assert.equal(res.status(), status, `${kind}: GET ${path}`);
  const html = await res.text();
  const file = fileName(kind);
  await writeFile(join(SAVED, file), html);
  savedPages.set(file, `${kind} (${path})`);
  if (await page.locator('[data-live-stats]').count()) {
    await page.locator('[data-live-stats][data-live-updated="1"]').waitFor({ state: 'attached' });
  }
  return axeViolations(page);
}

test('setup: an exam session with results, an administrator', { timeout: TEST_TIMEOUT }, async () => {
  await rm(SAVED, { recursive: true, force: true });
  await mkdir(SAVED, { recursive: true });
  examId = await publishExam(portal);
  cli(
    portal,
    // A super-administrator: the units' pages are theirs alone.
    ['user', 'add', ADMIN.username, '--name', 'Lê Thị Kiểm', '--super-admin', '--password-stdin'],
    ADMIN.password,
  );
});

test('public pages: no axe violations (WCAG 2.1 A/AA and best practices)', { timeout: TEST_TIMEOUT }, async (t) => {
  const pages = [
    ...(await publicPages(portal, examId)),
    ['login', '/quan-tri/dang-nhap', 200],
    ['documents', '/van-ban', 200],
  ];
  const found = await portal.withPage({ bypassCSP: true }, async (page) => {
    const out = [];
    for (const [kind, path, status] of pages) {
      const violations = await audit(page, kind, path, status);
      t.diagnostic(`${kind} ${path}: ${violations.length ? violations.map((v) => `${v.id} (${v.count})`).join(', ') : 'no violations'}`);
      if (violations.length) out.push([`${kind} ${path}`, violations]);
    }
    return out;
  });
  assert.equal(found.length, 0, `axe-core found violations on public pages:\n${describeViolations(found)}`);
});

test('back office: no axe violations (WCAG 2.1 A/AA and best practices)', { timeout: TEST_TIMEOUT }, async (t) => {
  const pages = [
    ['dashboard', '/quan-tri'],
    ['article list', '/quan-tri/bai-viet'],
    ['new article', '/quan-tri/bai-viet/moi'],
    ['media library', '/quan-tri/tep'],
    ['users', '/quan-tri/nguoi-dung'],
    ['audit log', '/quan-tri/nhat-ky'],
    ['settings', '/quan-tri/cai-dat'],
    ['exam list', '/quan-tri/ky-thi'],
    ['exam session', `/quan-tri/ky-thi/${examId}`],
    ['password change', '/quan-tri/doi-mat-khau'],
    ['two-step', '/quan-tri/xac-thuc-hai-buoc'],
    ['units', '/quan-tri/don-vi'],
    ['new unit', '/quan-tri/don-vi/moi'],
    ['a unit', '/quan-tri/don-vi/1'],
    ['links', '/quan-tri/lien-ket'],
    ['new link', '/quan-tri/lien-ket/moi'],
    ['weather places', '/quan-tri/thoi-tiet'],
    ['documents', '/quan-tri/van-ban'],
    ['new document', '/quan-tri/van-ban/moi'],
    ['document lists', '/quan-tri/van-ban/danh-muc'],
    ['document import', '/quan-tri/van-ban/nhap'],
  ];
  const { found, known } = await portal.withPage({ bypassCSP: true }, async (page) => {
    await page.goto('/quan-tri/dang-nhap');
    await page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri');
    const found = [];
    const known = [];
    for (const [kind, path] of pages) {
      const violations = await audit(page, `back office ${kind}`, path);
      const isKnown = (v) => KNOWN_BACK_OFFICE_AXE.some(([k, rule]) => k === kind && rule === v.id);
      const fresh = violations.filter((v) => !isKnown(v));
      known.push(...violations.filter(isKnown).map((v) => `${kind}/${v.id}`));
      t.diagnostic(`${kind} ${path}: ${violations.length ? violations.map((v) => `${v.id} (${v.count})${isKnown(v) ? ' [known]' : ''}`).join(', ') : 'no violations'}`);
      if (fresh.length) found.push([`${kind} ${path}`, fresh]);
    }
    return { found, known };
  });
  assert.equal(found.length, 0, `axe-core found violations in the back office:\n${describeViolations(found)}`);
  const gone = KNOWN_BACK_OFFICE_AXE.map(([k, rule]) => `${k}/${rule}`).filter((k) => !known.includes(k));
  assert.deepEqual(gone, [], 'known back-office findings that no longer occur: remove them from KNOWN_BACK_OFFICE_AXE');
});

test('every page is valid HTML (Nu Html Checker)', { timeout: TEST_TIMEOUT }, () => {
  assert.ok(savedPages.size > 0, 'no page was saved by the tests before');
  const files = [...savedPages.keys()].map((f) => join(SAVED, f));
  // One Java start for every file: vnu writes its JSON report to stderr.
  const run = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(run.error === undefined, `could not run java -jar ${VNU}: ${run.error}`);
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    assert.fail(`vnu gave no JSON report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  const lines = errors.map((m) => {
    const file = decodeURIComponent(new URL(m.url).pathname.split('/').pop());
    const where = m.lastLine ? ` line ${m.lastLine}` : '';
    const extract = m.extract ? `\n      ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
    return `${savedPages.get(file) ?? file}${where}: ${m.message}${extract}`;
  });
  assert.equal(errors.length, 0, `vnu found ${errors.length} error(s):\n${lines.join('\n')}`);
  // Every file was read (a file vnu could not open is reported as an error too).
  assert.equal(run.status, 0, `vnu exited with ${run.status}`);
});
