// The reader's extras, in a real browser against a real server (see support.mjs):
// live counters on cached pages, news by date, the print view, headings and
// landmarks, text size (and every page kind at 320 px in each size), pictures in
// sizes for every screen, the demo's links, sharing, and the feeds and tags that let
// other services find the site. axe-core and the HTML checker run over every kind of
// page in audit.test.mjs.
//
//   bash scripts/install-browser.sh   # Chromium + npm packages (axe-core among them)
//   cargo build --bin eduportal
//   node --test e2e/
//
// The server's log lands in e2e/out/reader-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  NEWS,
  OUT,
  TEST_TIMEOUT,
  isArticleOf,
  isPath,
  openCategoryFromMenu,
  openFirstCard,
  publicPages,
  publishExam,
  usePortal,
  vnDate,
} from './support.mjs';

const portal = usePortal('reader-server');

// Visitors are told apart by IP address and User-Agent: every browser here is at
// 127.0.0.1, so each one that must count as a different person gets its own UA.
const CHROME = (os) =>
  `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36`;
const UA_A = CHROME('Windows NT 10.0; Win64; x64');
const UA_B = CHROME('Macintosh; Intel Mac OS X 10_15_7');
const UA_NO_JS = CHROME('X11; Linux x86_64');
// Requests made only to find addresses: a crawler's UA, which the counters leave out.
const UA_LOOKUP = 'eduportal-e2e-bot/1.0';

/** A count as the site shows it: digits, "." between thousands (1.234). */
const COUNT = /^\d{1,3}(?:\.\d{3})*$/;

// ---------------------------------------------------------------- helpers

/** GETs `path` from the server with User-Agent `ua`; returns the Response. */
function get(path, ua = UA_LOOKUP) {
  return fetch(`${portal.baseURL}${path}`, { headers: { 'user-agent': ua }, redirect: 'manual' });
}

/** The page's HTML (asserting a 200). */
async function html(path, ua = UA_LOOKUP) {
  const res = await get(path, ua);
  assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
  return res.text();
}

/** A count shown on the site ("1.234") as a number; fails on anything else. */
function count(text, what) {
  const t = String(text ?? '').trim();
  assert.match(t, COUNT, `${what}: "${t}" is not a count`);
  return Number(t.replace(/\./g, ''));
}

/** The article views ("Lượt xem") in a page's HTML: { id, views }. */
function viewsInHTML(page) {
  const m = page.match(/<strong data-live="views" data-article="(\d+)">([^<]*)<\/strong>/);
  assert.ok(m, 'the article page has no <strong data-live="views" data-article="…">');
  return { id: m[1], views: count(m[2], 'views in the HTML') };
}

/** The newest article of "Tin giáo dục": its path, found without counting a visit. */
async function newestArticlePath() {
  const page = await html(`/tin-tuc/${NEWS.slug}`);
  const m = page.match(/<h2 class="card-title"><a href="([^"]+)"/);
  assert.ok(m, `no article card on /tin-tuc/${NEWS.slug}`);
  return m[1];
}

/** The figures in the page's footer and article meta, as numbers (views: null if none). */
async function shownFigures(page) {
  const out = {};
  for (const k of ['online', 'today', 'total', 'views']) {
    const el = page.locator(`[data-live="${k}"]`);
    out[k] = (await el.count()) ? count(await el.textContent(), k) : null;
  }
  return out;
}

/** Waits until app.js has put the live figures in. */
async function liveFigures(page) {
  await page.locator('[data-live-stats][data-live-updated="1"]').waitFor({ state: 'attached' });
  return shownFigures(page);
}

/** Undoes the HTML escaping of an attribute's value. */
function unescapeHTML(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The content of `<meta property|name="key" content="…">` in `head`, or null. */
function meta(head, key) {
  const m = head.match(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`));
  return m ? unescapeHTML(m[1]) : null;
}

/**
 * Elements that carry the `hidden` attribute (kept for JavaScript to show) and are
 * displayed all the same, because a style of the site's overrides `hidden`.
 */
async function hiddenButShown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[hidden]')]
      .filter((el) => getComputedStyle(el).display !== 'none')
      .map((el) => `${el.outerHTML.replace(/\s+/g, ' ').slice(0, 160)} (display: ${getComputedStyle(el).display})`),
  );
}

// ---------------------------------------------------------------- the tests

test('live counters: a cached page shows today\'s views, visits and people online', { timeout: TEST_TIMEOUT }, async (t) => {
  const path = await newestArticlePath();

  // What the server renders (and keeps in its page cache) for this article now. This
  // request is reader A's first view of it.
  const rendered = viewsInHTML(await html(path, UA_A));
  t.diagnostic(`${path}: article ${rendered.id}, ${rendered.views} views in the rendered HTML`);

  // Reader A in a browser: the same person (same address and UA), so not a new view.
  const a = await portal.withPage({ userAgent: UA_A }, async (page) => {
    await page.goto(path);
    return liveFigures(page);
  });
  assert.ok(a.views >= rendered.views + 1, `reader A sees ${a.views} views; the HTML had ${rendered.views}, and A has read it since`);

  // Reader B, another person: the page comes from the cache, the figures from /thong-ke.json.
  await portal.withPage({ userAgent: UA_B }, async (page) => {
    const res = await page.goto(path);
    assert.equal(res.status(), 200);
    const cached = viewsInHTML(await res.text());
    assert.equal(cached.id, rendered.id);
    if (cached.views !== rendered.views) t.diagnostic(`B's HTML had ${cached.views} views (rendered anew, not from the cache)`);
    const b = await liveFigures(page);
    assert.ok(
      b.views >= rendered.views + 2,
      `reader B sees ${b.views} views after A and B both read the article; the rendered HTML had ${rendered.views}`,
    );
    assert.ok(b.views > cached.views, `reader B sees ${b.views} views, no more than the ${cached.views} in the HTML it was given`);
    assert.ok(b.views >= a.views + 1, `B (${b.views}) does not count B's own view on top of what A saw (${a.views})`);
    assert.ok(b.online >= 2, `"Đang online" shows ${b.online} with readers A and B on the site`);
    assert.ok(b.today >= 2, `"Hôm nay" shows ${b.today} visits after A's and B's`);
    assert.ok(b.total >= b.today, `"Tổng truy cập" (${b.total}) is less than "Hôm nay" (${b.today})`);
    const footer = (await page.locator('[data-live-stats]').innerText()).replace(/\s+/g, ' ');
    assert.match(footer, /Thống kê truy cập: Đang online: [\d.]+ Hôm nay: [\d.]+ Tổng truy cập: [\d.]+/);
    assert.match((await page.locator('.article-meta .views').innerText()).trim(), /^Lượt xem: [\d.]+$/);
  });

  // Without JavaScript: the numbers the server put in the page.
  await portal.withPage({ userAgent: UA_NO_JS, javaScriptEnabled: false }, async (page) => {
    await page.goto(path);
    const f = await shownFigures(page);
    for (const [k, v] of Object.entries(f)) assert.ok(Number.isInteger(v), `no server-rendered "${k}" figure`);
    assert.equal(await page.locator('[data-live-updated]').count(), 0, 'the figures were updated without JavaScript?');
  });
});

test('news by date: the sidebar\'s date form, the day\'s articles, the days before and after', { timeout: TEST_TIMEOUT }, () =>
  // An English browser: a date picker would show mm/dd/yyyy there; the site's own
  // box takes dd/mm/yyyy whatever the browser's language.
  portal.withPage({ locale: 'en-US' }, async (page) => {
    await page.goto('/');
    const card = page.locator('section.category-block').first().locator('article.card').first();
    const title = (await card.locator('.card-title a').innerText()).trim();
    const datetime = await card.locator('time[datetime]').getAttribute('datetime');
    assert.match(datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\+07:00$/, `the card's datetime: ${datetime}`);
    const day = datetime.slice(0, 10);

    const form = page.locator('form.by-date');
    const box = page.getByLabel('Xem tin theo ngày');
    assert.equal(await box.getAttribute('id'), 'xem-tin-theo-ngay');
    assert.equal(await box.getAttribute('type'), 'text', 'a date picker shows the browser\'s own order of day and month');
    assert.equal(await box.getAttribute('placeholder'), 'dd/mm/yyyy');
    assert.match(await form.locator('.hint').innerText(), /^Ngày\/tháng\/năm, ví dụ \d{2}\/\d{2}\/\d{4}$/);
    // Typed digit by digit, as a reader would.
    await box.pressSequentially(vnDate(day));
    assert.equal(await box.inputValue(), vnDate(day));
    await form.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL(isPath(`/tin-theo-ngay/${day}`));
    assert.equal(new URL(page.url()).pathname, `/tin-theo-ngay/${day}`);
    assert.equal((await page.locator('h1').innerText()).trim(), `Tin ngày ${vnDate(day)}`);
    const titles = (await page.locator('main article.card .card-title').allInnerTexts()).map((s) => s.trim());
    assert.ok(titles.includes(title), `"${title}" is not among the news of ${day}: ${JSON.stringify(titles)}`);
    assert.equal(await page.locator('#xem-tin-theo-ngay').inputValue(), vnDate(day), 'the form does not show the chosen day as dd/mm/yyyy');

    // A day that does not exist: said in Vietnamese, the box keeps what was typed.
    await page.locator('#xem-tin-theo-ngay').fill('31/02/2026');
    await form.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/tin-theo-ngay');
    assert.equal(
      (await page.getByRole('alert').innerText()).trim(),
      'Không đọc được ngày bạn nhập. Mời bạn nhập lại theo dạng ngày/tháng/năm, ví dụ 05/09/2026.',
    );
    assert.equal(await page.locator('#xem-tin-theo-ngay').inputValue(), '31/02/2026');
    assert.equal(await page.locator('#xem-tin-theo-ngay').getAttribute('aria-invalid'), 'true');

    // Old links, made by the date picker (yyyy-mm-dd), still lead to the day.
    await page.goto(`/tin-theo-ngay?ngay=${day}`);
    await page.waitForURL(isPath(`/tin-theo-ngay/${day}`));
    assert.equal((await page.locator('h1').innerText()).trim(), `Tin ngày ${vnDate(day)}`);

    // The nearest days with news, each way; each must have news and be on the right side.
    const dayPath = page.url();
    for (const [name, later] of [
      ['« Ngày có tin trước', false],
      ['Ngày có tin sau', true],
    ]) {
      await page.goto(dayPath);
      const link = page.locator('nav.day-nav').getByRole('link', { name: new RegExp(`^${name}`) });
      if ((await link.count()) === 0) continue;
      const href = await link.getAttribute('href');
      const other = href.match(/^\/tin-theo-ngay\/(\d{4}-\d{2}-\d{2})$/)?.[1];
      assert.ok(other, `"${name}" links to ${href}`);
      assert.ok(later ? other > day : other < day, `"${name}" of ${day} is ${other}`);
      assert.ok((await link.innerText()).includes(vnDate(other)), `"${await link.innerText()}" does not name ${vnDate(other)}`);
      await link.click();
      await page.waitForURL(isPath(href));
      assert.match((await page.locator('h1').innerText()).trim(), /^Tin ngày \d{2}\/\d{2}\/\d{4}$/);
      assert.equal((await page.locator('h1').innerText()).trim(), `Tin ngày ${vnDate(other)}`);
      assert.ok((await page.locator('main article.card').count()) > 0, `${href}, a "day with news", lists no article`);
    }
  }),
);

test('print view: the article alone, with a print button', { timeout: TEST_TIMEOUT }, async () => {
  let printPath;
  await portal.withPage({}, async (page) => {
    await page.goto(`/tin-tuc/${NEWS.slug}`);
    await openFirstCard(page, NEWS.slug);
    const title = (await page.locator('h1.article-title').innerText()).trim();
    await page.getByRole('link', { name: 'In bài viết', exact: true }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/in'));
    printPath = new URL(page.url()).pathname;
    assert.match(printPath, new RegExp(`^/tin-tuc/${NEWS.slug}/[^/]+/in$`));
    assert.equal((await page.locator('h1').innerText()).trim(), title);
    await page.getByRole('button', { name: 'In trang này', exact: true }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('nav.main-nav').count(), 0, 'the print view has the main menu');
    await page.screenshot({ path: join(OUT, 'print.png'), fullPage: true });
  });
  // The button only works with JavaScript, so without it there is none to see.
  await portal.withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(printPath);
    assert.equal(
      await page.getByRole('button', { name: 'In trang này' }).count(),
      0,
      `without JavaScript the print view shows "In trang này", which then does nothing; hidden yet displayed: ${(await hiddenButShown(page)).join('; ')}`,
    );
  });
});

test('share: Facebook link with the article\'s address, "Sao chép liên kết" copies it', { timeout: TEST_TIMEOUT }, async () => {
  let articlePath;
  await portal.withPage({ permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
    await page.goto(`/tin-tuc/${NEWS.slug}`);
    await openFirstCard(page, NEWS.slug);
    articlePath = new URL(page.url()).pathname;
    const url = `${portal.baseURL}${articlePath}`;
    const share = page.getByRole('group', { name: 'Chia sẻ bài viết' });
    const facebook = share.getByRole('link', { name: 'Facebook', exact: true });
    const href = await facebook.getAttribute('href');
    const sharer = 'https://www.facebook.com/sharer/sharer.php?u=';
    assert.ok(href.startsWith(sharer), `the Facebook link: ${href}`);
    assert.equal(new URL(href).searchParams.get('u'), url, 'the Facebook link shares another address');
    assert.ok(href.includes(encodeURIComponent(url)), `the Facebook link does not carry the encoded ${url}: ${href}`);

    const copy = share.getByRole('button', { name: 'Sao chép liên kết', exact: true });
    await copy.waitFor({ state: 'visible' });
    await copy.click();
    await share.getByText('Đã sao chép liên kết.').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  });
  // Without JavaScript the copy button could not work, so it is not shown.
  await portal.withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(articlePath);
    assert.equal(
      await page.getByRole('button', { name: 'Sao chép liên kết' }).count(),
      0,
      `without JavaScript the article shows "Sao chép liên kết", which then does nothing; hidden yet displayed: ${(await hiddenButShown(page)).join('; ')}`,
    );
    assert.equal(await page.getByRole('link', { name: 'Facebook', exact: true }).count(), 1);
  });
});

test('feeds and discovery: RSS, robots.txt, sitemap, link-preview tags, JSON-LD', { timeout: TEST_TIMEOUT }, async () => {
  const rss = await get('/rss.xml');
  assert.equal(rss.status, 200);
  assert.match(rss.headers.get('content-type') ?? '', /^application\/rss\+xml\b/);
  const feed = await rss.text();
  assert.ok(feed.includes('<rss version="2.0"'), `/rss.xml: ${feed.slice(0, 200)}`);
  assert.match(feed, /<item>/, '/rss.xml has no item');

  const robots = await html('/robots.txt');
  const sitemapLine = robots.match(/^Sitemap:\s*(\S+)\s*$/m);
  assert.ok(sitemapLine, `/robots.txt names no sitemap:\n${robots}`);
  assert.equal(new URL(sitemapLine[1]).pathname, '/sitemap.xml');

  const sitemap = await html('/sitemap.xml');
  assert.ok(sitemap.includes('<urlset') || sitemap.includes('<sitemapindex'), `/sitemap.xml: ${sitemap.slice(0, 200)}`);

  const home = await html('/');
  assert.match(home, /<link rel="alternate" type="application\/rss\+xml"[^>]* href="\/rss.xml">/, 'the home page does not point to its feed');

  const path = await newestArticlePath();
  const url = `${portal.baseURL}${path}`;
  const page = await html(path);
  const head = page.slice(0, page.indexOf('</head>'));
  assert.ok(head.length > 0, 'no </head>');
  const title = unescapeHTML(page.match(/<h1 class="article-title">([^<]*)<\/h1>/)[1]).trim();
  assert.equal(meta(head, 'og:title'), title);
  assert.match(meta(head, 'og:image') ?? '', /^https?:\/\/\S+$/, 'og:image');
  assert.match(meta(head, 'twitter:card') ?? '', /^summary(_large_image)?$/, 'twitter:card');
  assert.equal(meta(head, 'og:url'), url);
  const canonical = head.match(/<link rel="canonical" href="([^"]*)">/);
  assert.ok(canonical, 'no <link rel="canonical">');
  assert.equal(unescapeHTML(canonical[1]), url);

  const ld = head.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
  assert.ok(ld, 'no application/ld+json script');
  const data = JSON.parse(ld[1]);
  assert.equal(data['@type'], 'NewsArticle');
  assert.equal(data.headline, title);
  assert.ok(data.datePublished, 'the JSON-LD has no datePublished');
});

test('search: typed without tone marks in the header box, words highlighted, titles suggested', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    const box = page.getByRole('combobox', { name: 'Tìm kiếm', exact: true });
    await box.fill('tuyen si');
    // Suggestions arrive in the browser's list under the box.
    await page.waitForFunction(() => document.querySelectorAll('#goi-y-tim-kiem option').length > 0);
    const suggested = await page.locator('#goi-y-tim-kiem option').first().getAttribute('value');
    assert.match(suggested, /[Tt]uyển sinh/);
    await box.fill('tuyen sinh lop 10');
    await box.press('Enter');
    await page.waitForURL((u) => u.pathname === '/tim-kiem');
    const first = page.locator('.search-hit .search-title a').first();
    assert.match(await first.textContent(), /^Tuyển sinh lớp 10/);
    assert.equal(await first.locator('mark').first().textContent(), 'Tuyển');
    assert.match(await page.locator('.search-count').textContent(), /Tìm thấy \d+ kết quả/);
    await page.screenshot({ path: join(OUT, 'search.png'), fullPage: true });
    await first.click();
    await page.waitForURL(isArticleOf('khao-thi'));
  }),
);

test('headings and landmarks: cards are h2 under the page\'s h1, the text-size buttons in the header', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    const article = await newestArticlePath();
    const day = (await html(article)).match(/<p class="article-meta">\s*<time datetime="(\d{4}-\d{2}-\d{2})T/)?.[1];
    for (const path of [`/tin-tuc/${NEWS.slug}`, `/tin-theo-ngay/${day}`]) {
      await page.goto(path);
      const levels = await page.locator('main').evaluate((main) =>
        [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
      );
      assert.equal(levels[0], 1, `${path}: the first heading is h${levels[0]}`);
      const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
      assert.deepEqual(skips, [], `${path}: headings skip a level: ${levels.map((l) => `h${l}`).join(' ')}`);
      const card = page.locator('article.card').first();
      await card.getByRole('heading', { level: 2 }).waitFor();
    }
    // On the home page the cards stay under their category's h2.
    await page.goto('/');
    const block = page.locator('section.category-block').first();
    await block.getByRole('heading', { level: 2 }).first().waitFor();
    await block.locator('article.card').first().getByRole('heading', { level: 3 }).waitFor();
    // The text-size buttons are in the header (a landmark), as a named group.
    const sizes = page.getByRole('banner').getByRole('group', { name: 'Cỡ chữ' });
    await sizes.waitFor({ state: 'visible' });
    assert.equal(await sizes.getByRole('button').count(), 3);
  }),
);

test('text size: A- smaller, A the default, A+ larger; kept on the next page; the ends say so', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    const fontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.goto('/');
    const group = page.getByRole('group', { name: 'Cỡ chữ' });
    const smaller = group.getByRole('button', { name: 'A- Giảm cỡ chữ' });
    const normal = group.getByRole('button', { name: 'A Cỡ chữ mặc định' });
    const bigger = group.getByRole('button', { name: 'A+ Tăng cỡ chữ' });
    assert.deepEqual(
      [await smaller.innerText(), await normal.innerText(), await bigger.innerText()].map((s) => s.trim()),
      ['A-', 'A', 'A+'],
    );
    const disabled = async (b) => (await b.getAttribute('aria-disabled')) === 'true';
    const status = group.getByRole('status');
    const base = await fontSize();
    assert.equal(await disabled(smaller), false, '"A-" is disabled at the default size');

    // A- at the default size makes the text smaller; a second A- cannot, and says so.
    await smaller.click();
    const small = await fontSize();
    assert.ok(small < base, `"A-" at the default size: ${base}px → ${small}px`);
    assert.equal(await disabled(smaller), true, '"A-" at the smallest size is not marked aria-disabled');
    assert.equal((await status.innerText()).trim(), 'Cỡ chữ: nhỏ nhất.');
    assert.equal(await smaller.getAttribute('aria-describedby'), await status.getAttribute('id'));
    // aria-disabled keeps it focusable and pressable (Playwright would wait for it
    // to be enabled): pressing it does nothing.
    await smaller.click({ force: true });
    assert.equal(await fontSize(), small, 'a second "A-" changed the size');

    // A: back to the default; A+: larger, then the largest, kept on the next page.
    await normal.click();
    assert.equal(await fontSize(), base, '"A" does not return to the default size');
    await bigger.click();
    const large = await fontSize();
    assert.ok(large > base, `"A+": ${base}px → ${large}px`);
    assert.equal(await disabled(bigger), true, '"A+" at the largest size is not marked aria-disabled');
    assert.equal((await status.innerText()).trim(), 'Cỡ chữ: lớn nhất.');
    // "Tin giáo dục" is in the menu's "Tin tức" dropdown now.
    await openCategoryFromMenu(page, NEWS);
    await page.waitForFunction((px) => parseFloat(getComputedStyle(document.documentElement).fontSize) === px, large);
    assert.equal(await disabled(page.getByRole('button', { name: 'A+ Tăng cỡ chữ' })), true);

    // A- from the largest size goes one step down, to the default.
    await page.getByRole('button', { name: 'A- Giảm cỡ chữ' }).click();
    assert.equal(await fontSize(), base, '"A-" after "A+" does not return to the default size');
    await page.reload();
    assert.equal(await fontSize(), base, 'the default size was not kept');
  }),
);

test('small screens: every kind of public page fits 320 px at each text size, "Tìm" in view', { timeout: TEST_TIMEOUT }, async (t) => {
  const examId = await publishExam(portal);
  const pages = await publicPages(portal, examId);
  const problems = await portal.withPage({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true }, async (page) => {
    const out = [];
    const sizes = [
      ['A-', -1],
      ['A', 0],
      ['A+', 1],
    ];
    let baseSize = null;
    for (const [label, step] of sizes) {
      await page.goto('/');
      await page.evaluate((s) => localStorage.setItem('eduportal.textSize', String(s)), step);
      for (const [kind, path, status] of pages) {
        const res = await page.goto(path);
        assert.equal(res.status(), status, `GET ${path}`);
        await page.locator('[data-text-sizes]:not([hidden])').or(page.locator('body.print-view')).first().waitFor();
        const found = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const out = { width, scrollWidth: document.documentElement.scrollWidth, font: parseFloat(getComputedStyle(document.documentElement).fontSize), outside: [] };
          // Elements that reach past the screen's edge, unless inside something
          // that scrolls or clips sideways on purpose (the menu, wide tables).
          const clipped = (el) => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
            }
            return false;
          };
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden, .skip-link')) continue;
            if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) {
              out.outside.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} [${Math.round(r.left)}, ${Math.round(r.right)}] "${(el.textContent || '').trim().slice(0, 40)}"`);
            }
          }
          return out;
        });
        if (step === 0 && baseSize === null) baseSize = found.font;
        const where = `${label} ${kind} ${path}`;
        if (found.scrollWidth > 320) out.push(`${where}: the page is ${found.scrollWidth} px wide`);
        if (found.outside.length) out.push(`${where}: past the edge: ${found.outside.slice(0, 5).join('; ')}`);
        const search = page.locator('form.site-search').getByRole('button', { name: 'Tìm', exact: true });
        if (kind !== 'print view') {
          const box = await search.boundingBox();
          if (!box || box.x < 0 || box.x + box.width > 320) out.push(`${where}: "Tìm" is at ${JSON.stringify(box)}`);
        }
      }
      t.diagnostic(`${label}: ${pages.length} pages checked`);
    }
    return out;
  });
  assert.deepEqual(problems, [], `at 320 px:\n${problems.join('\n')}`);
});

test('pictures: a card offers its picture in sizes for phones at 2× and 3×, each of that width', { timeout: TEST_TIMEOUT }, async () => {
  for (const scale of [2, 3]) {
    await portal.withPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: scale, isMobile: true }, async (page) => {
      await page.goto(`/tin-tuc/${NEWS.slug}`);
      const img = page.locator('article.card .card-thumb img').first();
      await img.scrollIntoViewIfNeeded();
      await img.evaluate((el) => (el.complete && el.naturalWidth ? null : new Promise((r) => el.addEventListener('load', r, { once: true }))));
      const srcset = await img.getAttribute('srcset');
      assert.ok(srcset, 'the card\'s picture has no srcset');
      assert.ok(await img.getAttribute('sizes'), 'the card\'s picture has no sizes');
      const candidates = srcset.split(',').map((c) => {
        const [url, w] = c.trim().split(/\s+/);
        return { url, width: Number(w.replace(/w$/, '')) };
      });
      assert.ok(candidates.length >= 3, `srcset has ${candidates.length} widths: ${srcset}`);
      // Each candidate is there and is as wide as it says.
      for (const c of candidates) {
        const res = await page.request.get(c.url);
        assert.equal(res.status(), 200, `GET ${c.url}`);
        assert.match(res.headers()['content-type'] ?? '', /^image\//, c.url);
        const natural = await page.evaluate(
          (url) => new Promise((ok, fail) => {
            const i = new Image();
            i.onload = () => ok(i.naturalWidth);
            i.onerror = () => fail(new Error(`${url} does not load`));
            i.src = url;
          }),
          c.url,
        );
        assert.equal(natural, c.width, `${c.url} is ${natural} px wide, srcset says ${c.width}w`);
      }
      // The browser finds one sharp enough for the screen.
      const shown = await img.evaluate((el) => ({ src: el.currentSrc, width: el.getBoundingClientRect().width }));
      const chosen = candidates.find((c) => shown.src.endsWith(c.url));
      assert.ok(chosen, `the browser chose ${shown.src}, not in the srcset`);
      assert.ok(
        chosen.width >= shown.width * scale,
        `at ${scale}×, a card ${shown.width} px wide shows a picture ${chosen.width} px wide (${shown.src})`,
      );
    });
  }
});

test('demo links: the sites link to each other on the port the server listens on', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    const block = page.locator('aside section').filter({ has: page.getByRole('heading', { name: 'Liên kết website' }) });
    const hrefs = await block.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0, 'no links in "Liên kết website"');
    assert.notEqual(portal.port, 8080, 'this test needs a server on a port other than 8080');
    const bad = hrefs.filter((h) => h.includes(':8080'));
    assert.deepEqual(bad, [], `links to port 8080 while the server listens on ${portal.port}`);
    const local = hrefs.filter((h) => new URL(h).hostname.endsWith('.localhost'));
    assert.ok(local.length >= 2, `no links to the other demo sites: ${hrefs.join(', ')}`);
    for (const h of local) assert.equal(new URL(h).port, String(portal.port), h);
    // And one leads to the school's site on this server, in a new tab (issue 15).
    const [school] = await Promise.all([
      page.context().waitForEvent('page'),
      block.getByRole('link', { name: 'Trường THCS Nguyễn Du' }).click(),
    ]);
    await school.waitForURL((u) => u.hostname === 'nguyendu.localhost' && u.port === String(portal.port));
    assert.match(await school.locator('.site-name').innerText(), /Nguyễn Du/i);
  }),
);
