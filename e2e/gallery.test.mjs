// Photo albums and video clips (issue 15), in a real browser against a real server
// (see support.mjs): an editor makes an album of 20 photos (one refused file named
// with its reason), reorders it by keyboard and by dragging, captions a photo in
// place and publishes it; a reader on a 360 px phone swipes through it in the
// viewer (arrow keys, Escape, focus returned) and, without JavaScript, gets a page
// per photo; the demo's YouTube clip makes no request to another host until the
// reader presses play. axe-core finds no WCAG 2.1 A/AA violation on the new pages
// nor in the open viewer.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/gallery.test.mjs
//
// The server's log lands in e2e/out/gallery-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OUT, TEST_TIMEOUT, axeViolations, cli, describeViolations, logIn, usePortal,
} from './support.mjs';

const portal = usePortal('gallery-server');

const PASSWORD = 'thư viện ảnh 2026';
const ALBUM = { title: 'Hội khỏe Phù Đổng cấp trường', slug: 'hoi-khoe-phu-dong-cap-truong' };
const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, bypassCSP: true };
// axe is injected from node_modules, which the site's CSP would refuse.
const DESK = { bypassCSP: true };

/** The photos' media ids in the editor, in order. */
function editorOrder(page) {
  return page.locator('li[data-media]').evaluateAll((lis) => lis.map((li) => li.dataset.media));
}

/** What has the keyboard focus: its tag and text. */
function focused(page) {
  return page.evaluate(() => ({
    tag: document.activeElement.tagName.toLowerCase(),
    text: document.activeElement.textContent.trim(),
    href: document.activeElement.getAttribute('href'),
  }));
}

const violations = {};

test('an editor makes an album of 20 photos and reorders it', { timeout: TEST_TIMEOUT * 3 }, async () => {
  cli(portal, ['user', 'add', 'bt.anh', '--name', 'Trần Thu Hà', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);
  const media = join(portal.server.dataDir, 'data', 'media', 'demo', 'so');
  const files = Array.from({ length: 20 }, (_, i) => ({
    name: `anh-${String(i + 1).padStart(2, '0')}.jpg`,
    mimeType: 'image/jpeg',
    buffer: readFileSync(join(media, `bai-${i + 1}.jpg`)),
  }));
  files.splice(7, 0, { name: 'ghi-chu.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html><body>không phải ảnh</body></html>') });

  await portal.withPage(DESK, async (page) => {
    await logIn(page, 'bt.anh', PASSWORD);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Thư viện ảnh', exact: true }).click();
    await page.getByLabel('Tên album').fill(ALBUM.title);
    await page.getByLabel('Ngày chụp').fill('14/11/2026');
    await page.getByRole('button', { name: 'Tạo album' }).click();
    await page.getByText('Đã tạo album. Hãy thêm ảnh bên dưới.').waitFor();

    // 21 files chosen at once: each its own request, with progress; the bad one named.
    await page.getByLabel(/^Thêm ảnh/).setInputFiles(files);
    await page.getByRole('button', { name: 'Tải ảnh lên' }).click();
    await page.getByText('Xong: 20 ảnh đã thêm, 1 ảnh không nhận (xem lý do bên dưới).').waitFor({ timeout: 300_000 });
    assert.equal(await page.locator('[data-upload-list] progress').count(), 21);
    const refused = page.locator('[data-upload-list] li.upload-refused');
    assert.equal(await refused.count(), 1);
    assert.match(await refused.textContent(), /ghi-chu\.jpg.*Không nhận: Tệp này là trang HTML/s);
    await page.screenshot({ path: join(OUT, 'gallery-upload.png'), fullPage: true });
    await page.getByRole('link', { name: 'Xem ảnh trong album' }).click();
    await page.getByText('Đã thêm 20 ảnh.').waitFor();
    const before = await editorOrder(page);
    assert.equal(before.length, 20);

    // By keyboard: "Xuống" on the first photo; the focus stays with the photo.
    const first = page.locator(`li[data-media="${before[0]}"]`);
    await first.getByRole('button', { name: 'Xuống: chuyển ảnh 1 xuống sau' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Đã chuyển ảnh đến vị trí 2.').waitFor();
    assert.deepEqual((await focused(page)).text, 'Xuống');
    assert.equal(await first.locator('.photo-no').textContent(), 'Ảnh 2');
    // By dragging: the fifth photo onto the first place (the same row: no scrolling
    // between the press and the drop).
    const now = await editorOrder(page);
    await page.locator(`li[data-media="${now[0]}"]`).scrollIntoViewIfNeeded();
    await page.locator(`li[data-media="${now[4]}"] img`).dragTo(page.locator(`li[data-media="${now[0]}"] img`), {
      targetPosition: { x: 5, y: 5 },
    });
    await page.getByText('Đã lưu thứ tự ảnh.').waitFor();
    const expected = [now[4], now[0], now[1], now[2], now[3], ...now.slice(5)];
    assert.deepEqual(now.slice(0, 2), [before[1], before[0]]);
    assert.deepEqual(await editorOrder(page), expected);

    // A caption, saved when the field is left.
    const caption = page.getByLabel('Chú thích ảnh 1', { exact: true });
    await caption.fill('Học sinh khối 10 thi kéo co');
    await caption.press('Tab');
    await page.getByText('Đã lưu chú thích.').waitFor();
    violations['album editor'] = await axeViolations(page);

    // What the server kept, after a reload.
    await page.reload();
    assert.deepEqual(await editorOrder(page), expected);
    assert.equal(await page.getByLabel('Chú thích ảnh 1', { exact: true }).inputValue(), 'Học sinh khối 10 thi kéo co');
    await page.getByRole('button', { name: 'Đăng album' }).click();
    await page.getByText('Đã lưu. Trạng thái: Đã đăng.').waitFor();
  });
});

test('a reader on a 360 px phone swipes through the album', { timeout: TEST_TIMEOUT }, async () => {
  await portal.withPage(PHONE, async (page) => {
    await page.goto('/thu-vien-anh');
    violations['album list'] = await axeViolations(page);
    await page.getByRole('link', { name: ALBUM.title }).first().click();
    await page.waitForURL((u) => u.pathname === `/thu-vien-anh/${ALBUM.slug}`);
    violations['album'] = await axeViolations(page);
    const thumbs = page.locator('[data-album] a[data-photo]');
    assert.equal(await thumbs.count(), 20);
    await thumbs.first().click();
    const viewer = page.getByRole('dialog', { name: `Xem ảnh: ${ALBUM.title}` });
    await viewer.waitFor();
    const live = page.locator('[data-viewer-live]');
    assert.equal(await live.textContent(), 'Ảnh 1/20: Học sinh khối 10 thi kéo co');
    assert.equal((await focused(page)).text, '×');
    violations['open viewer'] = await axeViolations(page);
    await page.screenshot({ path: join(OUT, 'gallery-viewer-phone.png') });

    // A swipe to the left: the next photo.
    const swipe = async (from, to) => {
      await page.mouse.move(from, 400);
      await page.mouse.down();
      await page.mouse.move(to, 405, { steps: 6 });
      await page.mouse.up();
    };
    await swipe(300, 60);
    assert.match(await live.textContent(), /^Ảnh 2\/20/);
    await swipe(300, 60);
    assert.match(await live.textContent(), /^Ảnh 3\/20/);
    await swipe(60, 300);
    assert.match(await live.textContent(), /^Ảnh 2\/20/);
    // Arrow keys, and Escape returns the focus to the photo last seen.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.match(await live.textContent(), /^Ảnh 4\/20/);
    await page.keyboard.press('ArrowLeft');
    assert.match(await live.textContent(), /^Ảnh 3\/20/);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
    assert.equal((await focused(page)).href, `/thu-vien-anh/${ALBUM.slug}/anh/3`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth), false);
  });
  // Without JavaScript, each photo is its own page.
  await portal.withPage({ ...PHONE, javaScriptEnabled: false }, async (page) => {
    await page.goto(`/thu-vien-anh/${ALBUM.slug}`);
    await page.locator('[data-album] a[data-photo]').first().click();
    await page.waitForURL((u) => u.pathname === `/thu-vien-anh/${ALBUM.slug}/anh/1`);
    await page.getByRole('heading', { name: 'Ảnh 1/20' }).waitFor();
    await page.getByRole('link', { name: 'Ảnh sau ›' }).click();
    await page.waitForURL((u) => u.pathname === `/thu-vien-anh/${ALBUM.slug}/anh/2`);
  });
  // axe needs script: the photo's page again, with it.
  await portal.withPage(PHONE, async (page) => {
    await page.goto(`/thu-vien-anh/${ALBUM.slug}/anh/2`);
    violations['photo page'] = await axeViolations(page);
  });
});

test('a YouTube clip loads its player only after a click', { timeout: TEST_TIMEOUT }, async () => {
  await portal.withPage(DESK, async (page, context) => {
    const elsewhere = [];
    // Nothing leaves the machine: other hosts are recorded, then refused.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    await page.goto('/video');
    violations['clip list'] = await axeViolations(page);
    await page.getByRole('link', { name: /Big Buck Bunny/ }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/video/'));
    await page.waitForLoadState('networkidle');
    violations['clip page'] = await axeViolations(page);
    assert.deepEqual(elsewhere, [], 'no request to another host before play');
    assert.equal(await page.locator('iframe').count(), 0);
    await page.getByRole('link', { name: /^Phát video/ }).click();
    const frame = page.locator('iframe[src^="https://www.youtube-nocookie.com/embed/"]');
    await frame.waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    assert.ok(elsewhere.length > 0, 'the player is asked for after the click');
    assert.ok(elsewhere.every((u) => u.startsWith('https://www.youtube-nocookie.com/')), elsewhere.join('\n'));
  });
});

test('axe finds no violation on the new pages nor in the open viewer', () => {
  assert.ok(Object.keys(violations).length >= 7, Object.keys(violations).join(', '));
  const found = Object.values(violations).reduce((n, v) => n + v.length, 0);
  assert.equal(found, 0, describeViolations(Object.entries(violations)));
});
