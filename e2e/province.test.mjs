// A province sets itself up in a real browser (issue 13): the super-administrator
// makes a school with its host and first administrator; that administrator signs
// in on the school's own host with the password shown once and publishes an
// article; the department's "Tin từ các đơn vị" shows it with the school's name.
// The new public pages and the units' back office pass axe.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/province.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import {
  OUT, TEST_TIMEOUT, WCAG_AND_BEST_PRACTICE, axeViolations, describeViolations, logIn, usePortal,
} from './support.mjs';

const portal = usePortal('province-server');

const SCHOOL = 'Trường THCS Hòa Bình';
const HOST = 'thcs-hoabinh.localhost';
const TITLE = 'Trường THCS Hòa Bình khai giảng năm học mới';
const SCHOOL_CATEGORY = 'Thông báo nhà trường';
const SCHOOL_PAGE = 'Giới thiệu trường';

test('a super-administrator makes a school; its administrator publishes; the department gathers it', { timeout: TEST_TIMEOUT }, async () => {
  const { username, password } = portal.server.admin;
  let firstPassword;
  await portal.withPage({}, async (page) => {
    await logIn(page, username, password);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Đơn vị', exact: true }).click();
    await page.getByRole('heading', { name: 'Đơn vị và trang' }).waitFor();
    await page.getByRole('link', { name: 'Thêm đơn vị' }).click();
    await page.getByLabel('Tên đơn vị').fill(SCHOOL);
    await page.getByLabel('Loại đơn vị').selectOption({ label: 'Trường THCS' });
    await page.getByLabel('Đơn vị cấp trên').selectOption({ label: 'Phường Lê Lợi (Xã, phường)' });
    await page.getByLabel(/^Tên miền/).fill(HOST);
    await page.getByLabel('Tên đăng nhập').fill('qt.hoabinh');
    await page.getByLabel(/^Họ và tên/).fill('Trần Văn Bình');
    await page.getByRole('button', { name: 'Tạo đơn vị' }).click();
    await page.getByText(`Đã tạo đơn vị “${SCHOOL}”.`).waitFor();
    firstPassword = (await page.locator('.password-once').textContent()).trim();
    assert.ok(firstPassword.length >= 10, 'a first password is shown once');
    await page.screenshot({ path: join(OUT, 'province-new-unit.png'), fullPage: true });

    // The list finds it typed without tone marks.
    await page.goto('/quan-tri/don-vi?q=hoa+binh');
    await page.getByRole('link', { name: SCHOOL }).waitFor();
  });

  const school = `http://${HOST}:${portal.port}`;
  await portal.withPage({ baseURL: school }, async (page) => {
    await page.goto('/');
    assert.match(await page.title(), new RegExp(SCHOOL));
    await logIn(page, 'qt.hoabinh', firstPassword);
    await page.goto('/quan-tri/bai-viet/moi');
    await page.getByLabel('Tiêu đề', { exact: true }).fill(TITLE);
    await page.getByLabel('Chuyên mục').selectOption({ label: 'Tin hoạt động' });
    await page.getByLabel('Tóm tắt (sapo)').fill('Sáng 5/9, thầy và trò nhà trường dự lễ khai giảng.');
    const editor = page.locator('.ql-editor');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.type('Buổi lễ diễn ra trang trọng dưới sân trường.');
    await page.getByRole('button', { name: 'Đăng bài' }).click();
    await page.getByText('Đã đăng bài lên trang.').waitFor();

    // The school arranges its own site: a category and a page, both in its menu.
    const office = page.getByRole('navigation', { name: 'Quản trị' });
    await office.getByRole('link', { name: 'Chuyên mục', exact: true }).click();
    await page.getByLabel('Tên chuyên mục').fill(SCHOOL_CATEGORY);
    await page.getByRole('button', { name: 'Thêm chuyên mục' }).click();
    await page.getByText(`Đã thêm chuyên mục “${SCHOOL_CATEGORY}”.`).waitFor();
    await office.getByRole('link', { name: 'Trang', exact: true }).click();
    await page.getByRole('link', { name: 'Viết trang mới' }).click();
    await page.getByLabel('Tiêu đề', { exact: true }).fill(SCHOOL_PAGE);
    const pageEditor = page.locator('.ql-editor');
    await pageEditor.waitFor();
    await pageEditor.click();
    await page.keyboard.type('Trường THCS Hòa Bình được thành lập năm 1985.');
    await page.getByRole('button', { name: 'Lưu trang' }).click();
    await page.getByText('Đã lưu. Bạn đọc đã thấy nội dung mới.').waitFor();
    // The menu starts from the site's categories (the new one included); the page
    // is added to it.
    await office.getByRole('link', { name: 'Menu', exact: true }).click();
    await page.getByLabel('Dẫn đến').selectOption({ label: SCHOOL_PAGE });
    await page.getByLabel('Đặt ở').selectOption({ label: 'Thanh menu chính (cuối thanh)' });
    await page.getByRole('button', { name: 'Thêm vào menu' }).click();
    await page.getByText('Đã lưu. Menu trên trang đã đổi theo.').waitFor();
    await page.getByRole('rowheader', { name: SCHOOL_CATEGORY }).waitFor();
    await page.getByRole('rowheader', { name: SCHOOL_PAGE }).waitFor();
  });

  // A reader of the school's site finds both in the menu, with the keyboard too.
  await portal.withPage({ baseURL: school }, async (page) => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Chuyên mục chính' });
    const pageLink = nav.getByRole('link', { name: SCHOOL_PAGE, exact: true });
    await pageLink.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: SCHOOL_PAGE }).waitFor();
    await nav.getByRole('link', { name: SCHOOL_CATEGORY, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SCHOOL_CATEGORY }).waitFor();
  });
  // And on a 360 px phone, behind the menu button, with no sideways scroll.
  await portal.withPage({ baseURL: school, viewport: { width: 360, height: 740 } }, async (page) => {
    await page.goto('/');
    await page.getByRole('button', { name: /Danh mục/ }).click();
    await page.getByRole('navigation', { name: 'Chuyên mục chính' })
      .getByRole('link', { name: SCHOOL_PAGE, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SCHOOL_PAGE }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the school's page is ${width} px wide at 360`);
  });

  await portal.withPage({}, async (page) => {
    await page.goto('/tin-cac-don-vi');
    const item = page.locator('article.unit-news', { hasText: TITLE });
    await item.waitFor();
    await item.getByRole('link', { name: SCHOOL, exact: true }).waitFor();
    const href = await item.getByRole('link', { name: TITLE }).getAttribute('href');
    assert.ok(href.startsWith(`http://${HOST}:${portal.port}/tin-tuc/tin-hoat-dong/`), href);
    // Narrowed to the school's commune, it is still there; to another, it is not.
    await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Tân Phú' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByText('Chưa có tin nào từ các đơn vị theo bộ lọc này.').waitFor();
    // The directory lists the new portal.
    await page.goto('/cong-thanh-phan');
    await page.getByRole('link', { name: SCHOOL, exact: true }).waitFor();
    // The department's home gathers it in "Tin từ các đơn vị".
    await page.goto('/');
    const block = page.locator('section.units-block');
    await block.getByRole('link', { name: TITLE }).waitFor();
  });

  // A department editor re-publishes it in one click: a link-back copy.
  await portal.withPage({}, async (page) => {
    await logIn(page, username, password);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Tin các đơn vị' }).click();
    const row = page.getByRole('row', { name: new RegExp(TITLE) });
    await row.getByRole('button', { name: /Đăng lại/ }).click();
    await page.getByText('Đã đăng lại bài lên trang của bạn.').waitFor();
    await page.getByRole('row', { name: new RegExp(TITLE) }).getByRole('link', { name: 'xem' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
    assert.ok(canonical.startsWith(`http://${HOST}:${portal.port}/tin-tuc/tin-hoat-dong/`), canonical);
    await page.getByRole('link', { name: SCHOOL, exact: true }).waitFor();
    await page.screenshot({ path: join(OUT, 'province-republished.png'), fullPage: true });
  });
});

test('the units\' pages pass axe, on a desktop and on a phone', { timeout: TEST_TIMEOUT }, async () => {
  const { username, password } = portal.server.admin;
  const found = [];
  for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
    await portal.withPage({ viewport, bypassCSP: true }, async (page) => {
      for (const path of ['/cong-thanh-phan', '/tin-cac-don-vi']) {
        await page.goto(path);
        const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
        if (violations.length) found.push([`${path} @${viewport.width}`, violations]);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${path} is ${width} px wide at ${viewport.width}`);
      }
      await logIn(page, username, password);
      for (const path of ['/quan-tri/don-vi', '/quan-tri/don-vi/moi', '/quan-tri/tin-don-vi']) {
        await page.goto(path);
        const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
        if (violations.length) found.push([`${path} @${viewport.width}`, violations]);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${path} is ${width} px wide at ${viewport.width}`);
      }
    });
  }
  assert.equal(found.length, 0, `axe found violations:\n${describeViolations(found)}`);
});
