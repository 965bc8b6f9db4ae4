// Official documents ("Văn bản", issue 14) in a real browser against a real server
// (see support.mjs): an editor keeps the site's lists, registers a document with a
// PDF and publishes it; a reader filters the list, opens the document, sees the PDF
// in the browser's own viewer and downloads it; axe-core finds nothing on /van-ban
// and the document's page.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/documents.test.mjs
//
// The server's log lands in e2e/out/documents-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  WCAG_AND_BEST_PRACTICE,
  axeViolations,
  describeViolations,
  logIn,
  usePortal,
} from './support.mjs';

const portal = usePortal('documents-server');

/** A small PDF with a text layer. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R' +
    '/Resources<</Font<</F1 5 0 R>>>>>>endobj\n' +
    '4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 20 100 Td (Thong tu 15) Tj ET\nendstream endobj\n' +
    '5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);

const NUMBER = '15/2025/TT-BGDĐT';
const SUMMARY = 'Ban hành Quy định về dạy thêm, học thêm';

test('an editor registers a document with a PDF; a reader finds it, reads it inline and downloads it', { timeout: TEST_TIMEOUT }, async () => {
  const { username, password } = portal.server.admin;
  await portal.withPage({}, async (page) => {
    await logIn(page, username, password);
    // The site's lists.
    await page.goto('/quan-tri/van-ban/danh-muc');
    for (const [list, name] of [
      ['Loại văn bản', 'Thông tư'],
      ['Cơ quan ban hành', 'Bộ Giáo dục và Đào tạo'],
      ['Lĩnh vực', 'Giáo dục trung học'],
    ]) {
      await page.getByLabel(`Thêm vào “${list}”`).fill(name);
      await page.getByLabel(`Thêm vào “${list}”`).locator('xpath=ancestor::form').getByRole('button', { name: 'Thêm' }).click();
      await page.locator('.term-list li', { hasText: name }).waitFor();
    }
    // The document, with its PDF, published at once.
    await page.goto('/quan-tri/van-ban/moi');
    await page.getByLabel('Số/ký hiệu (bắt buộc)').fill(NUMBER);
    await page.getByLabel('Trích yếu (bắt buộc)').fill(SUMMARY);
    await page.getByLabel('Loại văn bản (bắt buộc)').selectOption({ label: 'Thông tư' });
    await page.getByLabel('Cơ quan ban hành (bắt buộc)').selectOption({ label: 'Bộ Giáo dục và Đào tạo' });
    await page.getByLabel('Giáo dục trung học', { exact: true }).check();
    await page.getByLabel('Ngày ban hành (bắt buộc, ngày/tháng/năm)').fill('30/12/2025');
    await page.locator('#tep-moi').setInputFiles({ name: 'thong-tu-15.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Đăng văn bản' }).click();
    await page.getByText('Đã lưu. Bạn đọc đã thấy văn bản.').waitFor();
  });

  await portal.withPage({ acceptDownloads: true }, async (page) => {
    await page.goto('/van-ban');
    await page.getByLabel('Loại văn bản').selectOption({ label: 'Thông tư' });
    await page.getByLabel('Số hiệu hoặc trích yếu').fill('day them');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL((u) => u.pathname === '/van-ban' && u.searchParams.get('q') === 'day them');
    await page.getByRole('link', { name: NUMBER }).click();
    await page.getByRole('heading', { level: 1, name: `Thông tư ${NUMBER}` }).waitFor();
    // The PDF, shown by the browser's own viewer.
    const viewer = page.locator('object.doc-pdf');
    await viewer.waitFor();
    const data = await viewer.getAttribute('data');
    assert.match(data, /^\/media\/.+\.pdf$/);
    assert.equal(await viewer.getAttribute('type'), 'application/pdf');
    const inline = await page.request.get(data);
    assert.equal(inline.status(), 200);
    assert.equal(inline.headers()['content-type'], 'application/pdf');
    // The download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải về thong-tu-15.pdf' }).first().click(),
    ]);
    assert.equal(download.suggestedFilename(), 'thong-tu-15.pdf');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    assert.deepEqual(await readFile(path), PDF);
  });
});

test('/van-ban and a document\'s page: no axe violations', { timeout: TEST_TIMEOUT }, async () => {
  const found = [];
  // axe is injected from node_modules: the site's CSP allows only its own scripts.
  await portal.withPage({ bypassCSP: true }, async (page) => {
    await page.goto('/van-ban');
    const list = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
    if (list.length) found.push(['/van-ban', list]);
    const link = page.getByRole('link', { name: NUMBER });
    if (await link.count()) {
      await link.first().click();
      await page.locator('object.doc-pdf').waitFor();
      const detail = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
      if (detail.length) found.push([page.url(), detail]);
    }
  });
  assert.equal(found.length, 0, `axe-core found violations:\n${describeViolations(found)}`);
});
