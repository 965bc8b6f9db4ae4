// The browser test: a real eduportal server on a free port, with a fresh data folder,
// read by Debian's Chromium through playwright-core, the way a reader would use it.
//
//   bash scripts/install-browser.sh   # Chromium + npm packages, once
//   cargo build --bin eduportal
//   node --test e2e/
//
// EDUPORTAL_BIN names another binary (default: target/debug/eduportal).
// Screenshots and the server's log (server.log) land in e2e/out/. The server, the
// browser and the page helpers are in support.mjs, shared with reader.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  NEWS,
  OUT,
  SITE_NAME,
  TEST_TIMEOUT,
  isArticleOf,
  isPath,
  loadImages,
  openCategoryFromMenu,
  openFirstCard,
  texts,
  usePortal,
  where,
} from './support.mjs';

const LQD_NAME = 'Trường THPT Chuyên Lê Quý Đôn';
const DATE_TIME = /\b\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\b/;

const portal = usePortal('server');

// ---------------------------------------------------------------- helpers

/** The categories in the main menu, in order (name and slug). */
async function menuCategories(page) {
  const links = page.locator('nav.main-nav a[href^="/tin-tuc/"]');
  await links.first().waitFor();
  const out = [];
  for (const a of await links.all()) {
    const href = await a.getAttribute('href');
    out.push({ name: (await a.textContent()).trim(), slug: href.replace(/^\/tin-tuc\//, '').replace(/[/?#].*$/, '') });
  }
  return out;
}

/**
 * The category with the most articles, "Tin giáo dục" first: the first one (in that
 * order, then the menu's) whose first page has a pager (more than 10 articles; counted
 * as 11), else the one with the most cards. Returns { cat, count }.
 */
async function largestCategory(page) {
  await page.goto('/');
  const categories = await menuCategories(page);
  const ordered = [NEWS, ...categories.filter((c) => c.slug !== NEWS.slug)];
  let best = { cat: null, count: -1 };
  for (const cat of ordered) {
    const res = await page.goto(`/tin-tuc/${cat.slug}`);
    if (!res.ok()) continue;
    if ((await page.locator('nav.pager').count()) > 0) return { cat, count: 11 };
    const n = await page.locator('article.card').count();
    if (n > best.count) best = { cat, count: n };
  }
  return best;
}

// ---------------------------------------------------------------- the tests

test('home page: the department of education, in Vietnamese', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    const res = await page.goto('/');
    assert.equal(res.status(), 200);
    assert.ok((await page.title()).includes(SITE_NAME), `title: ${await page.title()}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    await page.getByRole('heading', { name: 'Tin nổi bật', exact: true }).waitFor({ state: 'visible' });
    const footer = page.locator('footer.site-footer');
    await footer.waitFor({ state: 'visible' });
    assert.match(await footer.innerText(), /Cơ quan chủ quản/);
    const broken = await loadImages(page);
    assert.deepEqual(broken, [], `images that did not load on the home page: ${broken.join(', ')}`);
    await page.screenshot({ path: join(OUT, 'home.png'), fullPage: true });
  }),
);

test('category page from the main menu: article cards', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    await openCategoryFromMenu(page, NEWS);
    assert.equal(new URL(page.url()).pathname, `/tin-tuc/${NEWS.slug}`);
    assert.equal((await page.locator('h1.page-title').innerText()).trim(), NEWS.name);
    await page.locator('article.card').first().waitFor({ state: 'visible' });
    assert.ok((await page.locator('article.card').count()) > 0, 'no article cards');
    assert.equal(
      await page.locator('nav.main-nav a[aria-current="page"]').innerText(),
      NEWS.name,
      'the menu marks the open category',
    );
  }),
);

test('category page: the pager goes to page 2 and back', { timeout: TEST_TIMEOUT }, (t) =>
  portal.withPage({}, async (page) => {
    // "Tin giáo dục" when it has more than one page (over 10 articles), else the
    // first category in the menu that has.
    const { cat, count } = await largestCategory(page);
    assert.ok(count > 10, `no category has a second page: the largest, "${cat?.name}", has ${count} articles (11 needed)`);
    if (cat.slug !== NEWS.slug) t.diagnostic(`"${NEWS.name}" has one page only; pager checked in "${cat.name}"`);
    await page.goto('/');
    await openCategoryFromMenu(page, cat);
    const cards = page.locator('article.card');
    await cards.first().waitFor();
    const firstPage = await texts(page.locator('article.card .card-title'));
    const pager = page.locator('nav.pager');
    assert.equal(await pager.count(), 1, `"${cat.name}" has no pager`);
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '1');
    await pager.getByRole('link', { name: 'Trang sau', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('trang') === '2');
    assert.match(where(page), /\?trang=2$/);
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '2');
    await cards.first().waitFor();
    const secondPage = await texts(page.locator('article.card .card-title'));
    assert.ok(secondPage.length > 0, 'page 2 has no cards');
    assert.deepEqual(
      secondPage.filter((title) => firstPage.includes(title)),
      [],
      'page 2 repeats articles of page 1',
    );
    await pager.getByRole('link', { name: 'Trang đầu', exact: true }).click();
    await page.waitForURL(isPath(`/tin-tuc/${cat.slug}`));
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '1');
    assert.deepEqual(await texts(page.locator('article.card .card-title')), firstPage);
  }),
);

test('article page: title, breadcrumb, date, actions, related news', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    await openCategoryFromMenu(page, NEWS);
    const cardTitle = await openFirstCard(page, NEWS.slug);
    const h1 = page.locator('h1.article-title');
    const title = (await h1.innerText()).trim();
    assert.ok(title.length > 0, 'empty article title');
    assert.equal(title, cardTitle, 'the article is the one whose card was clicked');
    assert.ok((await page.title()).startsWith(title), `page title: ${await page.title()}`);
    const crumb = page.locator('nav.breadcrumb').getByRole('link', { name: NEWS.name, exact: true });
    assert.equal(await crumb.getAttribute('href'), `/tin-tuc/${NEWS.slug}`);
    assert.match(await page.locator('.article-meta time').first().innerText(), DATE_TIME);
    const actions = page.locator('.article-actions');
    assert.equal(await actions.getByRole('link', { name: 'Quay lại', exact: true }).count(), 1);
    assert.equal(await actions.getByRole('link', { name: 'In bài viết', exact: true }).count(), 1);
    await page.getByRole('heading', { name: 'Các tin liên quan', exact: true }).waitFor({ state: 'visible' });
    const broken = await loadImages(page);
    assert.deepEqual(broken, [], `images that did not load on the article page: ${broken.join(', ')}`);
    await page.screenshot({ path: join(OUT, 'article.png'), fullPage: true });
  }),
);

test('article page: related news are paged, 8 at a time', { timeout: TEST_TIMEOUT }, (t) =>
  portal.withPage({}, async (page) => {
    // The newest article of a category has every other article of it as related
    // news; with 9 or more of those the list has a second page.
    const { cat: chosen, count } = await largestCategory(page);
    assert.ok(
      count >= 10,
      `no category has enough articles for related news to be paged: the largest, "${chosen?.name}", has ${count} (10 needed)`,
    );
    if (chosen.slug !== NEWS.slug) t.diagnostic(`related news checked in "${chosen.name}"`);

    await page.goto('/');
    await openCategoryFromMenu(page, chosen);
    await openFirstCard(page, chosen.slug);
    const articlePath = new URL(page.url()).pathname;
    // The list itself, not the pager's links (which are `li a` in the same section).
    const related = page.locator('#tin-lien-quan ul.title-list li a');
    await related.first().waitFor();
    const firstPage = await texts(related);
    assert.equal(firstPage.length, 8, `first page of related news: ${firstPage.length} items`);
    const pager = page.locator('#tin-lien-quan nav.pager');
    assert.equal(await pager.count(), 1, `the related news of ${articlePath} have no pager`);
    await pager.getByRole('link', { name: 'Trang 2', exact: true }).click();
    await page.waitForURL((u) => u.pathname === articlePath && u.searchParams.get('trang') === '2');
    assert.ok(page.url().includes('trang=2'));
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '2');
    await related.first().waitFor();
    const secondPage = await texts(related);
    assert.ok(secondPage.length > 0, 'page 2 of related news is empty');
    assert.deepEqual(
      secondPage.filter((title) => firstPage.includes(title)),
      [],
      'page 2 of related news repeats page 1',
    );
    // Still the same article above the list.
    assert.ok((await page.locator('h1.article-title').innerText()).trim().length > 0);
  }),
);

test('"Quay lại" returns to the category page', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    await openCategoryFromMenu(page, NEWS);
    await openFirstCard(page, NEWS.slug);
    await page.locator('.article-actions').getByRole('link', { name: 'Quay lại', exact: true }).click();
    await page.waitForURL(isPath(`/tin-tuc/${NEWS.slug}`));
    assert.equal(where(page), `/tin-tuc/${NEWS.slug}`);
    assert.equal((await page.locator('h1.page-title').innerText()).trim(), NEWS.name);
  }),
);

test('"In bài viết" opens a print view without the site\'s menu and footer', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    await openCategoryFromMenu(page, NEWS);
    await openFirstCard(page, NEWS.slug);
    const title = (await page.locator('h1.article-title').innerText()).trim();
    await page.locator('.article-actions').getByRole('link', { name: 'In bài viết', exact: true }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/in'));
    assert.match(new URL(page.url()).pathname, new RegExp(`^/tin-tuc/${NEWS.slug}/[^/]+/in$`));
    assert.equal((await page.locator('h1.article-title').innerText()).trim(), title);
    assert.equal(await page.locator('nav.main-nav').count(), 0, 'the print view shows the main menu');
    assert.equal(await page.locator('footer.site-footer').count(), 0, 'the print view shows the footer');
  }),
);

test('a school\'s site on its own host name', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    // Chromium resolves every *.localhost name to the loopback address.
    const res = await page.goto(`http://lqd.localhost:${portal.port}/`);
    assert.equal(res.status(), 200);
    assert.ok((await page.title()).includes(LQD_NAME), `title: ${await page.title()}`);
    assert.ok(!(await page.title()).includes(SITE_NAME), 'the school shows the department\'s title');
  }),
);

test('an unknown address shows a Vietnamese 404 page', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    const res = await page.goto('/khong-co-trang-nay');
    assert.equal(res.status(), 404);
    await page.getByText('Không tìm thấy trang').first().waitFor({ state: 'visible' });
    assert.match(await page.locator('main').innerText(), /Không tìm thấy trang/);
    // The error page still has the site around it, so the reader can go on.
    assert.equal(await page.locator('nav.main-nav').count(), 1);
  }),
);

test('a 360 px wide phone: no sideways scrolling on an article', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage(
    { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    async (page) => {
      await page.goto(`/tin-tuc/${NEWS.slug}`);
      await openFirstCard(page, NEWS.slug);
      await page.locator('h1.article-title').waitFor({ state: 'visible' });
      await loadImages(page);
      const { scrollWidth, widest } = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        // For the report: the element that sticks out furthest, if any.
        let widest = null;
        let right = vw;
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect().right;
          if (r > right + 0.5) {
            right = r;
            widest = `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} (right edge ${Math.round(r)} px)`;
          }
        }
        return { scrollWidth: document.documentElement.scrollWidth, widest };
      });
      await page.screenshot({ path: join(OUT, 'mobile-article.png'), fullPage: true });
      assert.ok(scrollWidth <= 360, `the page is ${scrollWidth} px wide; widest element: ${widest}`);
    },
  ),
);
