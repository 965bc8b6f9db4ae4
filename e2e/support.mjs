// What the browser tests share: a real eduportal server on a free port with a fresh
// data folder, Debian's Chromium driven by playwright-core, and small page helpers.
// Not a test file itself (`node --test e2e/` runs only the *.test.mjs files).
//
//   import { usePortal } from './support.mjs';
//   const portal = usePortal('reader');   // registers before/after hooks
//   test('…', () => portal.withPage({}, async (page) => { await page.goto('/'); … }));
//
// EDUPORTAL_BIN names another binary (default: target/debug/eduportal);
// CHROMIUM_PATH another browser (default: /usr/bin/chromium).
// Screenshots and each test file's server log land in e2e/out/.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..');
export const OUT = join(HERE, 'out');
export const BIN = resolve(ROOT, process.env.EDUPORTAL_BIN || 'target/debug/eduportal');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const TIMEOUT = 30_000;
export const STARTUP_TIMEOUT = 90_000;
export const TEST_TIMEOUT = 180_000;

/** The department's site, which answers on 127.0.0.1, and its main news category. */
export const SITE_NAME = 'Sở Giáo dục và Đào tạo tỉnh Bình An';
export const NEWS = { slug: 'tin-giao-duc', name: 'Tin giáo dục' };

// ---------------------------------------------------------------- the server

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `eduportal serve` in a fresh temporary data folder on a free port and waits
 * for /healthz. Its output goes to e2e/out/<logName>.log. Returns
 * { baseURL, port, dataDir, admin, stop() }; stop() ends the server and removes the
 * folder; admin is { username, password } of the demo's super-administrator, as the
 * server printed them.
 */
export async function startServer({ logName = 'server', env: extraEnv = {} } = {}) {
  if (!existsSync(BIN)) {
    throw new Error(`no eduportal binary at ${BIN}: run \`cargo build --bin eduportal\` or set EDUPORTAL_BIN`);
  }
  await mkdir(OUT, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'eduportal-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  // The binary reads EDUPORTAL_* variables as configuration and may reject unknown
  // keys (EDUPORTAL_BIN among them), so the server gets none but the log filter.
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('EDUPORTAL_') || k === 'EDUPORTAL_LOG') env[k] = v;
  }
  // A test's own configuration (EDUPORTAL_SECTION__KEY), when it gives one.
  Object.assign(env, extraEnv);
  const log = createWriteStream(join(OUT, `${logName}.log`));
  const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`], {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = null; // its exit description, once it has exited
  let lastLines = [];
  // The demo's super-administrator, whose password the first start prints once.
  const admin = { username: null, password: null };
  const keep = (chunk) => {
    log.write(chunk);
    const lines = chunk.toString().split('\n').filter(Boolean);
    for (const line of lines) {
      const m = line.match(/tên đăng nhập: (\S+)\s+mật khẩu: (\S+)/);
      if (m && !admin.password) [admin.username, admin.password] = [m[1], m[2]];
    }
    lastLines.push(...lines);
    if (lastLines.length > 60) lastLines = lastLines.slice(-60);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
    log.end();
  });
  child.on('error', (e) => {
    exited = `could not start: ${e.message}`;
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', kill);

  const stop = async () => {
    if (!exited && child.pid !== undefined) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 10_000);
      await gone;
      clearTimeout(timer);
    }
    process.off('exit', kill);
    await rm(dataDir, { recursive: true, force: true });
  };

  const started = Date.now();
  while (Date.now() - started < STARTUP_TIMEOUT) {
    if (exited) break;
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return { baseURL, port, dataDir, admin, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const why = exited ? `the server ${exited}` : `no answer from /healthz in ${STARTUP_TIMEOUT / 1000} s`;
  await stop().catch(() => {});
  throw new Error(`eduportal did not start (${why}). Its last output:\n${lastLines.join('\n')}`);
}

// ---------------------------------------------------------------- the browser

/** Debian's Chromium, headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * One server and one browser for the test file that calls this (at its top level):
 * registers node:test `before` and `after` hooks, and returns an object that has,
 * once `before` has run: baseURL, port, browser, openPage(options) and
 * withPage(options, body). `logName` names the server's log in e2e/out/.
 */
export function usePortal(logName = 'server', serverOptions = {}) {
  const portal = {
    baseURL: null,
    port: null,
    browser: null,
    server: null,

    /** A fresh browser context (no shared history, cookies or storage) and its page. */
    async openPage(options = {}) {
      const context = await portal.browser.newContext({
        baseURL: portal.baseURL,
        locale: 'vi-VN',
        viewport: { width: 1280, height: 900 },
        ...options,
      });
      context.setDefaultTimeout(TIMEOUT);
      context.setDefaultNavigationTimeout(TIMEOUT);
      const page = await context.newPage();
      return { context, page };
    },

    /** Runs `body(page, context)` with a fresh page, closing its context afterwards whatever happens. */
    async withPage(options, body) {
      const { context, page } = await portal.openPage(options);
      try {
        return await body(page, context);
      } finally {
        await context.close();
      }
    },
  };

  before(
    async () => {
      portal.server = await startServer({ logName, ...serverOptions });
      portal.baseURL = portal.server.baseURL;
      portal.port = portal.server.port;
      portal.browser = await launchBrowser();
    },
    { timeout: STARTUP_TIMEOUT + 60_000 },
  );

  after(async () => {
    try {
      if (portal.browser) await portal.browser.close();
    } finally {
      if (portal.server) await portal.server.stop();
    }
  });

  return portal;
}

// ---------------------------------------------------------------- page helpers

/** Logs in through the back office's login form and waits for the dashboard. */
export async function logIn(page, username, password) {
  await page.goto('/quan-tri/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname === '/quan-tri');
}

// ---------------------------------------------------------------- accessibility

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The same, and axe's best practices. */
export const WCAG_AND_BEST_PRACTICE = [...WCAG_TAGS, 'best-practice'];

/**
 * Runs axe-core on the open page (rules with any of `tags`); returns the
 * violations, shortened. The page needs `bypassCSP: true` in its context: the
 * site's CSP allows only its own scripts, and axe is injected from node_modules.
 */
export async function axeViolations(page, tags = WCAG_TAGS) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => ({
        target: n.target.join(' '),
        html: n.html.length > 300 ? `${n.html.slice(0, 300)}…` : n.html,
        summary: n.failureSummary,
      })),
    }));
  }, tags);
}

/** A readable report of axe violations ([[where, violations], …]), for an assertion message. */
export function describeViolations(byPage) {
  const lines = [];
  for (const [path, violations] of byPage) {
    for (const v of violations) {
      lines.push(`${path}: [${v.id}] (${v.impact}) ${v.help} — ${v.count} element(s); ${v.helpUrl}`);
      for (const n of v.nodes) {
        lines.push(`    element: ${n.target}`);
        lines.push(`      html: ${n.html.replace(/\s+/g, ' ')}`);
        if (n.summary) lines.push(`      what: ${n.summary.replace(/\n\s*/g, ' | ')}`);
      }
    }
  }
  return lines.join('\n');
}

/** The path (and query) part of the page's address. */
export function where(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** A predicate for waitForURL: the path is exactly `path`, and no ?trang= is set. */
export function isPath(path) {
  return (url) => url.pathname === path && !url.searchParams.has('trang');
}

/** A predicate for waitForURL: an article of category `slug`. */
export function isArticleOf(slug) {
  return (url) => new RegExp(`^/tin-tuc/${slug}/[^/]+$`).test(url.pathname);
}

/** The trimmed texts of every element `locator` matches. */
export async function texts(locator) {
  return (await locator.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Makes lazy images load now and waits for every image; returns the broken ones. */
export async function loadImages(page) {
  return page.evaluate(async () => {
    const imgs = [...document.images];
    for (const img of imgs) img.loading = 'eager';
    await Promise.all(
      imgs.map((img) =>
        img.complete
          ? null
          : new Promise((r) => {
              img.addEventListener('load', r, { once: true });
              img.addEventListener('error', r, { once: true });
              setTimeout(r, 15_000);
            }),
      ),
    );
    return imgs.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.getAttribute('src'));
  });
}

/** On a small screen, opens the main menu with its "☰ Danh mục" button (a wide one shows it). */
export async function openMainMenu(page) {
  const toggle = page.locator('nav.main-nav .menu-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
}

/**
 * Opens the category page of `cat` by clicking its entry in the main menu, opening
 * the menu (small screens) and the dropdown it is in first, as a reader would.
 */
export async function openCategoryFromMenu(page, cat) {
  if (!/^https?:/.test(page.url())) await page.goto('/');
  await openMainMenu(page);
  const nav = page.locator('nav.main-nav');
  const link = nav.getByRole('link', { name: cat.name, exact: true });
  if (!(await link.isVisible())) {
    // (A link in a closed dropdown is hidden, so not found by its role.)
    const item = nav.locator('li.has-sub', { has: page.locator(`a[href="/tin-tuc/${cat.slug}"]`) });
    await item.locator('.sub-toggle').click();
  }
  await link.click();
  await page.waitForURL(isPath(`/tin-tuc/${cat.slug}`));
}

/** From a category page: clicks the first (newest) card's title; returns that title. */
export async function openFirstCard(page, slug) {
  const link = page.locator('article.card').first().locator('.card-title a');
  const title = (await link.textContent()).trim();
  await link.click();
  await page.waitForURL(isArticleOf(slug));
  return title;
}

/** The WCAG tags and axe's best practices (heading order, landmarks, …). */
export const AUDIT_TAGS = WCAG_AND_BEST_PRACTICE;

// ---------------------------------------------------------------- the command line and exams

/** Runs the eduportal CLI in the server's data folder, as an installer would; its output. */
export function cli(portal, args, input) {
  const run = spawnSync(BIN, args, { cwd: portal.server.dataDir, input, encoding: 'utf8' });
  assert.equal(run.status, 0, `eduportal ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** The exam session tests publish, and one of its candidates. */
export const EXAM = {
  name: 'Kỳ thi tuyển sinh lớp 10 THPT',
  year: '2027–2028',
  sbd: '020001',
  candidate: 'Nguyễn Thị Lan',
  birth: '06/09/2011',
};

/** A results file as Excel in Vietnamese saves it: ';' CSV with BOM, comma decimals. */
export function resultsCsv() {
  const lines = [
    'STT;SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn;Tiếng Anh;Trường THCS;Tổng điểm',
    '1;020001;Nguyễn Thị Lan;06/09/2011;8,25;7,5;9;THCS Nguyễn Du;24,75',
    '2;020002;Trần Văn Hùng;12/01/2011;V;6;5,5;THCS Lê Lợi;11,5',
    '3;020003;Lê Minh Châu;30/04/2011;9;8;7,75;THCS Nguyễn Du;24,75',
    '4;020004;Phạm Gia Bảo;15/08/2011;6,5;7;8,25;THCS Lê Lợi;21,75',
    '5;020005;Vũ Thị Dung;02/02/2011;7;6,75;6;THCS Trần Phú;19,75',
    '6;020006;Đỗ Hữu Cường;21/11/2011;5,5;5;4,5;THCS Trần Phú;15',
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

/**
 * Creates, fills and publishes EXAM on the department's site through the CLI, and
 * waits until the running server has picked it up (a background round, 5 s).
 * Returns the session's id.
 */
export async function publishExam(portal) {
  const created = cli(portal, [
    'exam', 'create', '--site', 'so', '--name', EXAM.name, '--school-year', EXAM.year,
    '--kind', 'tuyen-sinh-10', '--publish-at', '01/01/2026 08:00',
  ]);
  const id = created.match(/Đã tạo kỳ thi (\d+)/)?.[1];
  assert.ok(id, `eduportal exam create said: ${created}`);
  const file = join(portal.server.dataDir, 'ket-qua-lop-10.csv');
  await writeFile(file, resultsCsv());
  cli(portal, ['exam', 'import', file, '--session', id, '--yes']);
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${portal.baseURL}/tra-cuu-diem-thi?ky-thi=${id}`);
    if ((await res.text()).includes(`<option value="${id}" selected>`)) return Number(id);
    assert.ok(Date.now() - started < 30_000, `the server did not list exam session ${id} within 30 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------- the kinds of public page

/** "2026-11-11" → "11/11/2026". */
export function vnDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * An address of every kind of public page (found on the running demo), as
 * [name, path, status]: home, category, article, news by date, search with results,
 * exam lookup form and result, score distribution, print view, 404. Give `examId`
 * (from publishExam) for the exam pages.
 */
export async function publicPages(portal, examId) {
  const get = async (path) => {
    const res = await fetch(`${portal.baseURL}${path}`, { headers: { 'user-agent': 'eduportal-e2e-bot/1.0' } });
    assert.equal(res.status, 200, `GET ${path}`);
    return res.text();
  };
  const category = `/tin-tuc/${NEWS.slug}`;
  const article = (await get(category)).match(/<h2 class="card-title"><a href="([^"]+)"/)?.[1];
  assert.ok(article, `no article card on ${category}`);
  const day = (await get(article)).match(/<p class="article-meta">\s*<time datetime="(\d{4}-\d{2}-\d{2})T/)?.[1];
  assert.ok(day, `no publication date on ${article}`);
  const pages = [
    ['home', '/', 200],
    ['category', category, 200],
    ['article', article, 200],
    ['news by date', `/tin-theo-ngay/${day}`, 200],
    ['search', '/tim-kiem?q=tuyen+sinh', 200],
    ['print view', `${article}/in`, 200],
    ['404', '/khong-co-trang-nay', 404],
    ['portals directory', '/cong-thanh-phan', 200],
    ['news of the units', '/tin-cac-don-vi', 200],
  ];
  if (examId !== undefined) {
    const birth = encodeURIComponent(EXAM.birth);
    pages.push(
      ['exam lookup', '/tra-cuu-diem-thi', 200],
      ['exam result', `/tra-cuu-diem-thi?ky-thi=${examId}&sbd=${EXAM.sbd}&ngay-sinh=${birth}`, 200],
      ['score distribution', `/tra-cuu-diem-thi/${examId}/pho-diem`, 200],
    );
  }
  return pages;
}
