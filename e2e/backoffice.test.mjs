// The back office in a real browser against a real server (see support.mjs): a writer
// logs in, writes an article in the rich-text editor with a photo pasted into it and
// sends it for approval; an editor approves and publishes it; a reader finds it on the
// site with the photo in several sizes.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/
//
// The server's log lands in e2e/out/backoffice-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { NEWS, OUT, TEST_TIMEOUT, cli as runCli, isArticleOf, logIn as logInAs, usePortal } from './support.mjs';

const portal = usePortal('backoffice-server');

const PASSWORD = 'mật khẩu thử nghiệm 2026';
const TITLE = 'Học sinh Bình An giành 5 huy chương Olympic Tin học';

/** Runs the eduportal CLI in the server's data folder. */
const cli = (args, input) => runCli(portal, args, input);

/** Logs `username` in through the login form. */
const logIn = (page, username) => logInAs(page, username, PASSWORD);

test('a writer writes with a pasted photo, an editor publishes, readers see it', { timeout: TEST_TIMEOUT }, async () => {
  cli(['user', 'add', 'gv.viet', '--name', 'Nguyễn Thị Lan', '--site', 'so', '--role', 'writer', '--password-stdin'], PASSWORD);
  cli(['user', 'add', 'bt.duyet', '--name', 'Trần Văn Hùng', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);

  let editUrl;
  await portal.withPage({}, async (page) => {
    await logIn(page, 'gv.viet');
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Bài viết' }).click();
    await page.getByRole('link', { name: 'Viết bài mới' }).click();
    await page.getByLabel('Tiêu đề', { exact: true }).fill(TITLE);
    await page.getByLabel('Chuyên mục').selectOption({ label: NEWS.name });
    await page.getByLabel('Tóm tắt (sapo)').fill('Đoàn học sinh tỉnh Bình An đạt thành tích cao tại kỳ thi năm nay.');

    // The editor replaces the plain text box; its toolbar is in Vietnamese.
    const editor = page.locator('.ql-editor');
    await editor.waitFor();
    assert.equal(await page.locator('textarea[name="body"]').isHidden(), true);
    await page.getByRole('button', { name: 'Chữ đậm' }).waitFor();
    await editor.click();
    await page.keyboard.type('Chiều 28/11, đoàn học sinh của tỉnh đã về nước. ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('Năm huy chương');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(' là thành tích cao nhất từ trước tới nay.');
    await page.keyboard.press('Enter');

    // Paste a photo, as from a phone's gallery or a screenshot: a PNG drawn here.
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 1200;
      canvas.height = 700;
      const g = canvas.getContext('2d');
      g.fillStyle = '#1d5fa8';
      g.fillRect(0, 0, 1200, 700);
      g.fillStyle = '#f2c200';
      for (let i = 0; i < 5; i++) {
        g.beginPath();
        g.arc(160 + i * 220, 350, 80, 0, Math.PI * 2);
        g.fill();
      }
      const blob = await new Promise((r) => canvas.toBlob(r, 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'huy-chuong.png', { type: 'image/png' }));
      const target = document.querySelector('.ql-editor');
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.locator('.ql-editor img').waitFor();
    // A caption for it, with the toolbar's button (the cursor is just after the photo).
    page.once('dialog', (d) => d.accept('Đoàn học sinh tại lễ trao giải'));
    await page.getByRole('button', { name: 'Chú thích ảnh' }).click();
    await page.locator('.ql-editor figure figcaption', { hasText: 'Đoàn học sinh tại lễ trao giải' }).waitFor();
    await page.screenshot({ path: join(OUT, 'backoffice-editor.png'), fullPage: true });

    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi bài cho biên tập viên duyệt.').waitFor();
    assert.equal((await page.locator('strong.status').textContent()).trim(), 'Chờ duyệt');
    // The pasted photo is now a file of the site, not a data URL in the text.
    const body = await page.locator('textarea[name="body"]').inputValue();
    assert.match(body, /<figure><img src="\/media\/tai-len\/so\/\d{4}\/\d{2}\/[0-9a-f]+\.png"/);
    assert.match(body, /<figcaption>Đoàn học sinh tại lễ trao giải<\/figcaption><\/figure>/);
    assert.match(body, /<strong>Năm huy chương<\/strong>/);
    // A writer gets no publish button.
    assert.equal(await page.getByRole('button', { name: 'Đăng bài' }).count(), 0);
    editUrl = new URL(page.url()).pathname;
  });

  await portal.withPage({}, async (page) => {
    await logIn(page, 'bt.duyet');
    await page.goto('/quan-tri/bai-viet');
    await page.getByLabel('Trạng thái').selectOption('submitted');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL((u) => u.pathname === editUrl);
    await page.locator('.ql-editor img').waitFor();
    await page.getByRole('button', { name: 'Đăng bài' }).click();
    await page.getByText('Đã đăng bài lên trang.').waitFor();
    assert.equal((await page.locator('strong.status').textContent()).trim(), 'Đã đăng');
    await page.getByRole('link', { name: 'Xem trên trang' }).click();
    await page.waitForURL(isArticleOf(NEWS.slug));
  });

  // A reader, with no session: the article is on the category page and opens with
  // the photo, which the browser picks from several sizes.
  await portal.withPage({ viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto(`/tin-tuc/${NEWS.slug}`);
    await page.locator('.card-title a', { hasText: TITLE }).click();
    await page.waitForURL(isArticleOf(NEWS.slug));
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const img = page.locator('.article-body img').first();
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const i = document.querySelector('.article-body img');
      return i && i.complete && i.naturalWidth > 0;
    });
    const srcset = await img.getAttribute('srcset');
    // Sizes that would be no smaller than a wider one are not kept (flat drawings).
    assert.match(srcset, /-480\.png 480w, .* 1200w$/);
    // A phone 390 px wide (DPR 1) takes the 480 px file, not the full one.
    const current = await img.evaluate((i) => i.currentSrc);
    assert.match(current, /480\.png$|480\.webp$/, current);
    assert.match(await page.locator('.article-body').innerText(), /Năm huy chương là thành tích cao nhất/);
    assert.equal(
      (await page.locator('.article-body figure figcaption').first().textContent()).trim(),
      'Đoàn học sinh tại lễ trao giải',
    );
    await page.screenshot({ path: join(OUT, 'backoffice-published.png'), fullPage: true });
  });
});

test('opening and saving an article in the editor keeps its captioned photos', { timeout: TEST_TIMEOUT }, async () => {
  cli(['user', 'add', 'bt.sua', '--name', 'Lê Thu Hà', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);
  // A demo article with a captioned photo, as readers see it.
  let title;
  let caption;
  let articlePath;
  await portal.withPage({}, async (page) => {
    await page.goto(`/tin-tuc/${NEWS.slug}`);
    const links = page.locator('article.card .card-title a');
    for (let i = 0; i < (await links.count()); i++) {
      await page.goto(`/tin-tuc/${NEWS.slug}`);
      await links.nth(i).click();
      await page.waitForURL(isArticleOf(NEWS.slug));
      const figcaption = page.locator('.article-body figure figcaption');
      if ((await figcaption.count()) > 0) {
        caption = (await figcaption.first().textContent()).trim();
        title = (await page.locator('h1').textContent()).trim();
        articlePath = new URL(page.url()).pathname;
        break;
      }
    }
  });
  assert.ok(caption, 'a demo article with a captioned photo');

  await portal.withPage({}, async (page) => {
    await logIn(page, 'bt.sua');
    await page.goto(`/quan-tri/bai-viet?q=${encodeURIComponent(title)}`);
    await page.getByRole('link', { name: title }).click();
    await page.locator('.ql-editor figure figcaption', { hasText: caption }).waitFor();
    await page.locator('.ql-editor p').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (đã hiệu đính)');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.getByText('Đã lưu.').waitFor();
  });

  await portal.withPage({}, async (page) => {
    await page.goto(articlePath);
    await page.getByText('(đã hiệu đính)').waitFor();
    assert.equal((await page.locator('.article-body figure figcaption').first().textContent()).trim(), caption);
    await page.getByText('Ngày cập nhật').waitFor();
  });
});
