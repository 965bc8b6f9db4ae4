// Exam results in a real browser against a real server (see support.mjs): an editor
// creates a session, uploads a results file made here, reads the preview, confirms
// and publishes; a reader looks a candidate up from the site's menu, sees the result
// card, and opens the score distribution with its charts.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/exams.test.mjs
//
// Screenshots land in e2e/out/exams-*.png, the server's log in e2e/out/exams-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, TEST_TIMEOUT, cli as runCli, openMainMenu, usePortal } from './support.mjs';

const portal = usePortal('exams-server');

const PASSWORD = 'mật khẩu thử nghiệm 2026';
const SESSION = 'Kỳ thi tuyển sinh lớp 10 THPT';

/** Runs the eduportal CLI in the server's data folder. */
const cli = (args, input) => runCli(portal, args, input);

/** The cells of each row `rows` matches, joined by one space. */
function cells(rows) {
  return rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')));
}

/** A results file as Excel in Vietnamese saves it: ';' CSV with BOM, comma decimals. */
function resultsCsv() {
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

test('an editor imports and publishes results, a reader looks one up and sees the chart', { timeout: TEST_TIMEOUT }, async () => {
  cli(['user', 'add', 'bt.khaothi', '--name', 'Trần Văn Khảo', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);

  await portal.withPage({}, async (page) => {
    await page.goto('/quan-tri/dang-nhap');
    await page.getByLabel('Tên đăng nhập').fill('bt.khaothi');
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri');

    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Kỳ thi' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri/ky-thi');
    await page.getByLabel('Tên kỳ thi').fill(SESSION);
    await page.getByLabel('Năm học').fill('2027–2028');
    await page.getByLabel('Loại kỳ thi').selectOption({ label: 'Tuyển sinh lớp 10' });
    // The stricter rule is the default.
    assert.equal(await page.getByLabel(/SBD \+ ngày sinh/).isChecked(), true);
    await page.getByRole('button', { name: 'Tạo kỳ thi' }).click();
    await page.waitForURL((u) => /^\/quan-tri\/ky-thi\/\d+$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: SESSION }).waitFor();

    await page.getByLabel(/Tệp kết quả/).setInputFiles({ name: 'ket-qua-lop-10.csv', mimeType: 'text/csv', buffer: resultsCsv() });
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
    await page.getByRole('heading', { level: 1, name: 'Xem trước: ket-qua-lop-10.csv' }).waitFor();
    const mapping = await cells(page.locator('table.exam-mapping tbody tr'));
    assert.ok(mapping.includes('B SBD Số báo danh'), mapping.join(' | '));
    assert.ok(mapping.includes('E Toán Điểm Toán'), mapping.join(' | '));
    assert.equal(await page.locator('table.exam-first-rows tbody tr').count(), 6);
    await page.getByText('Chưa có gì được lưu.').waitFor();
    await page.screenshot({ path: join(OUT, 'exams-preview.png'), fullPage: true });

    await page.getByRole('button', { name: 'Xác nhận nhập' }).click();
    await page.getByText('Đã nhập 6 thí sinh.').waitFor();
    assert.equal((await page.locator('td.exam-count').textContent()).trim(), '6');

    await page.getByLabel(/Công bố lúc/).fill('01/01/2026 08:00');
    await page.getByRole('button', { name: 'Lưu thời điểm công bố' }).click();
    await page.getByText('Đã lưu thời điểm công bố.').waitFor();
    await page.getByText('01/01/2026 08:00 (đã công bố)').waitFor();
    await page.screenshot({ path: join(OUT, 'exams-admin.png'), fullPage: true });
  });

  await portal.withPage({ viewport: { width: 390, height: 844 }, isMobile: true }, async (page) => {
    await page.goto('/');
    // A phone shows the menu behind its "☰ Danh mục" button.
    await openMainMenu(page);
    await page.locator('nav.main-nav').getByRole('link', { name: 'Tra cứu điểm thi' }).click();
    await page.waitForURL((u) => u.pathname === '/tra-cuu-diem-thi');
    await page.getByLabel('Kỳ thi').selectOption({ label: `${SESSION} (2027–2028)` });
    await page.getByLabel('Số báo danh').fill('020001');
    // A wrong date reads like an unknown number.
    await page.getByLabel('Ngày sinh').fill('07/09/2011');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Không tìm thấy kết quả phù hợp với số báo danh và ngày sinh đã nhập.').waitFor();

    // A phone's number pad has no "/": eight digits in a row are the same date, and
    // the hint under the box says so.
    const birth = page.getByLabel('Ngày sinh');
    assert.equal(await birth.getAttribute('inputmode'), 'numeric');
    const hint = await page.locator(`#${await birth.getAttribute('aria-describedby')}`).innerText();
    assert.match(hint, /gõ liền 8 chữ số: 05092010/);
    await birth.fill('');
    await birth.pressSequentially('06092011');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    const card = page.locator('section.exam-card');
    await card.waitFor();
    assert.equal((await card.locator('.exam-name').textContent()).trim(), 'Nguyễn Thị Lan');
    const scores = await cells(card.locator('table.exam-scores tbody tr'));
    assert.deepEqual(scores, ['Toán 8,25', 'Ngữ văn 7,5', 'Tiếng Anh 9']);
    await card.getByText('24,75').waitFor();
    // The print button appears with the page's script; printing shows the card alone.
    await card.getByRole('button', { name: 'In kết quả' }).waitFor();
    // The address carries the question, so it can be bookmarked.
    assert.match(page.url(), /sbd=020001/);
    await page.screenshot({ path: join(OUT, 'exams-card.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('form.exam-form').isVisible(), false);
    assert.equal(await card.isVisible(), true);
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('link', { name: 'Xem phổ điểm của kỳ thi' }).click();
    await page.waitForURL((u) => /^\/tra-cuu-diem-thi\/\d+\/pho-diem$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: `Phổ điểm ${SESSION}` }).waitFor();
    assert.equal(await page.locator('svg.pho-diem').count(), 3);
    await page.getByRole('img', { name: 'Phổ điểm môn Toán' }).waitFor();
    const toan = page.locator('section.pho-diem-mon').first();
    assert.equal((await toan.locator('.pho-diem-tb').textContent()).trim(), '7,25');
    await page.screenshot({ path: join(OUT, 'exams-distribution.png'), fullPage: true });
  });
});

test('the lookup form on a computer: number and date of birth side by side, level', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({ viewport: { width: 1280, height: 900 } }, async (page) => {
    await page.goto('/tra-cuu-diem-thi');
    await page.getByLabel('Kỳ thi').selectOption({ label: `${SESSION} (2027–2028)` });
    const sbd = await page.getByLabel('Số báo danh').boundingBox();
    const birth = await page.getByLabel('Ngày sinh').boundingBox();
    assert.ok(sbd && birth, 'a box of the form is not shown');
    assert.ok(birth.x > sbd.x + sbd.width, `the boxes are not side by side: ${JSON.stringify({ sbd, birth })}`);
    assert.equal(sbd.y, birth.y, `"Số báo danh" is at y=${sbd.y}, "Ngày sinh" at y=${birth.y}`);
    assert.equal(sbd.height, birth.height);
    const button = await page.getByRole('button', { name: 'Tra cứu' }).boundingBox();
    assert.ok(Math.abs(button.y + button.height / 2 - (sbd.y + sbd.height / 2)) <= 4, `the button is not level with the boxes: ${JSON.stringify({ sbd, button })}`);
    await page.getByLabel('Số báo danh').fill('020003');
    await page.getByLabel('Ngày sinh').fill('30042011');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    assert.equal((await page.locator('section.exam-card .exam-name').textContent()).trim(), 'Lê Minh Châu');
    await page.screenshot({ path: join(OUT, 'exams-desktop.png'), fullPage: true });
  }),
);
