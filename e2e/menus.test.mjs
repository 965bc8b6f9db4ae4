// A site arranges itself (issue 13), in a real browser against a real server (see
// support.mjs): an administrator adds a category and a page in the back office and
// puts them in the main menu, the page on the bar with the category in its
// dropdown. Readers then use that dropdown by keyboard, on a 360 px phone (the
// "☰ Danh mục" button) and without JavaScript; axe-core finds no WCAG 2.1 A/AA
// violation on the new pages nor in the menu, closed and open.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/menus.test.mjs
//
// The server's log lands in e2e/out/menus-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  OUT, TEST_TIMEOUT, axeViolations, cli, describeViolations, isPath, logIn, usePortal,
} from './support.mjs';

const portal = usePortal('menus-server');

const PASSWORD = 'quản trị menu 2026';
const CATEGORY = { name: 'Tin tuyển sinh', slug: 'tin-tuyen-sinh' };
const PAGE = { title: 'Tuyển sinh đầu cấp', path: '/trang/tuyen-sinh-dau-cap' };

/** The dropdown the administrator makes, as a reader's page shows it. */
function dropdown(page) {
  const nav = page.locator('nav.main-nav');
  return {
    nav,
    parent: nav.getByRole('link', { name: PAGE.title, exact: true }),
    button: nav.getByRole('button', { name: `${PAGE.title}: các mục con`, exact: true }),
    child: nav.getByRole('link', { name: CATEGORY.name, exact: true }),
  };
}

/** What has the keyboard focus: its tag, text and aria-controls. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName.toLowerCase(), text: el.textContent.trim(), controls: el.getAttribute('aria-controls') };
  });
}

/** Whether the page scrolls sideways. */
function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

test('an administrator adds a category and a page and puts them in the menu with a dropdown', { timeout: TEST_TIMEOUT }, async () => {
  cli(portal, ['user', 'add', 'qt.menu', '--name', 'Lê Thị Hoa', '--site', 'so', '--role', 'admin', '--password-stdin'], PASSWORD);
  await portal.withPage({}, async (page) => {
    await logIn(page, 'qt.menu', PASSWORD);
    const office = page.getByRole('navigation', { name: 'Quản trị' });

    await office.getByRole('link', { name: 'Chuyên mục', exact: true }).click();
    await page.getByLabel('Tên chuyên mục').fill(CATEGORY.name);
    await page.getByLabel('Mô tả (cho máy tìm kiếm; không bắt buộc)').fill('Thông tin tuyển sinh các lớp đầu cấp của tỉnh Bình An.');
    await page.getByRole('button', { name: 'Thêm chuyên mục' }).click();
    await page.getByText(`Đã thêm chuyên mục “${CATEGORY.name}”.`).waitFor();
    await page.getByRole('rowheader', { name: CATEGORY.name }).waitFor();

    await office.getByRole('link', { name: 'Trang', exact: true }).click();
    await page.getByRole('link', { name: 'Viết trang mới' }).click();
    await page.getByLabel('Tiêu đề', { exact: true }).fill(PAGE.title);
    await page.getByLabel('Mô tả ngắn (cho máy tìm kiếm và khi chia sẻ liên kết)').fill('Lịch tuyển sinh vào lớp 1, lớp 6 và lớp 10.');
    // The articles' editor, with its Vietnamese toolbar.
    const editor = page.locator('.ql-editor');
    await editor.waitFor();
    await page.getByRole('button', { name: 'Chữ đậm' }).waitFor();
    await editor.click();
    await page.keyboard.type('Tuyển sinh vào lớp 1 từ ngày ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('01/7/2026');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(', theo hình thức trực tuyến.');
    await page.getByRole('button', { name: 'Lưu trang' }).click();
    await page.getByText('Đã lưu. Bạn đọc đã thấy nội dung mới.').waitFor();

    await office.getByRole('link', { name: 'Menu', exact: true }).click();
    await page.getByLabel('Dẫn đến').selectOption({ label: PAGE.title });
    await page.getByLabel('Đặt ở').selectOption({ label: 'Thanh menu chính (cuối thanh)' });
    await page.getByRole('button', { name: 'Thêm vào menu' }).click();
    await page.getByText('Đã lưu. Menu trên trang đã đổi theo.').waitFor();
    await page.getByLabel('Dẫn đến').selectOption({ label: CATEGORY.name });
    await page.getByLabel('Đặt ở').selectOption({ label: `Menu con của “${PAGE.title}”` });
    await page.getByRole('button', { name: 'Thêm vào menu' }).click();
    await page.getByText('Đã lưu. Menu trên trang đã đổi theo.').waitFor();
    await page.getByRole('rowheader', { name: `Mục con: ${CATEGORY.name}` }).waitFor();
    await page.screenshot({ path: join(OUT, 'menus-backoffice.png'), fullPage: true });
  });

  // What a reader's page shows: the page on the bar, the category in its dropdown.
  await portal.withPage({}, async (page) => {
    await page.goto(PAGE.path);
    await page.getByRole('heading', { level: 1, name: PAGE.title }).waitFor();
    assert.match(await page.locator('.article-body').innerHTML(), /<strong>01\/7\/2026<\/strong>/);
    const { parent, button, child } = dropdown(page);
    assert.equal(await parent.getAttribute('aria-current'), 'page');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await child.isVisible(), false, 'the dropdown is open before anyone opens it');
  });
});

test('the dropdown works by keyboard: Tab to its button, Enter opens, Tab or arrows reach the child, Escape closes', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    const { parent, button, child } = dropdown(page);
    const controls = await button.getAttribute('aria-controls');
    await parent.focus();
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page), { tag: 'button', text: '', controls });
    assert.equal(await child.isVisible(), false);

    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await child.waitFor({ state: 'visible' });
    await page.screenshot({ path: join(OUT, 'menus-dropdown-open.png') });
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, CATEGORY.name);

    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await child.waitFor({ state: 'hidden' });
    assert.equal((await focused(page)).controls, controls, 'Escape does not return to the dropdown\'s button');

    // Arrow Down opens it and goes to its first link; Arrow Up comes back.
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).text, CATEGORY.name);
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(page)).controls, controls);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(isPath(`/tin-tuc/${CATEGORY.slug}`));
    await page.getByRole('heading', { level: 1, name: CATEGORY.name }).waitFor();
  }),
);

test('at 360 px the menu is a "☰ Danh mục" button, with no sideways scroll', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
    await page.goto('/');
    const toggle = page.getByRole('button', { name: '☰ Danh mục' });
    await toggle.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-controls'), 'menu-chinh');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#menu-chinh').isVisible(), false, 'the menu is open before the button is pressed');
    assert.equal(await scrollsSideways(page), false, 'the closed menu makes the page scroll sideways');

    await toggle.tap();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.locator('#menu-chinh').waitFor({ state: 'visible' });
    const { button, child } = dropdown(page);
    await button.tap();
    await child.waitFor({ state: 'visible' });
    assert.equal(await scrollsSideways(page), false, 'the open menu makes the page scroll sideways');
    await page.screenshot({ path: join(OUT, 'menus-phone-open.png'), fullPage: true });
    await child.tap();
    await page.waitForURL(isPath(`/tin-tuc/${CATEGORY.slug}`));
    assert.equal(await scrollsSideways(page), false);
  }),
);

test('without JavaScript the dropdown opens when the keyboard reaches it', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/');
    const { parent, button, child } = dropdown(page);
    // The button does nothing without the script, so it is not offered.
    assert.equal(await button.count(), 0, 'a button that cannot work is offered');
    assert.equal(await child.isVisible(), false);
    await parent.focus();
    await child.waitFor({ state: 'visible' });
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, CATEGORY.name);
    await page.keyboard.press('Enter');
    await page.waitForURL(isPath(`/tin-tuc/${CATEGORY.slug}`));
  }),
);

test('accessibility: the new pages and the menu, closed and open, have no WCAG 2.1 A/AA violations', { timeout: TEST_TIMEOUT }, async (t) => {
  const found = [];
  const check = async (page, label) => {
    await page.locator('[data-live-stats][data-live-updated="1"]').waitFor({ state: 'attached' });
    const violations = await axeViolations(page);
    t.diagnostic(`${label}: ${violations.length ? violations.map((v) => `${v.id} (${v.count})`).join(', ') : 'no violations'}`);
    if (violations.length) found.push([label, violations]);
  };
  // The site's CSP allows only its own scripts; axe is injected from node_modules.
  await portal.withPage({ bypassCSP: true }, async (page) => {
    for (const path of [PAGE.path, `/tin-tuc/${CATEGORY.slug}`, '/trang/gioi-thieu', '/tin-tuc/tin-tuc-su-kien']) {
      const res = await page.goto(path);
      assert.equal(res.status(), 200, `GET ${path}`);
      await check(page, path);
    }
    await page.goto('/');
    await check(page, '/ (menu closed)');
    const { button, child } = dropdown(page);
    await button.click();
    await child.waitFor({ state: 'visible' });
    await check(page, '/ (dropdown open)');
  });
  await portal.withPage({ bypassCSP: true, viewport: { width: 360, height: 740 } }, async (page) => {
    await page.goto('/');
    await check(page, '/ at 360 px (menu closed)');
    await page.getByRole('button', { name: '☰ Danh mục' }).click();
    await dropdown(page).button.click();
    await dropdown(page).child.waitFor({ state: 'visible' });
    await check(page, '/ at 360 px (menu and dropdown open)');
  });
  assert.equal(found.length, 0, `axe-core found WCAG 2.1 A/AA violations:\n${describeViolations(found)}`);
});
