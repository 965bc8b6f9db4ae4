// Citizens' questions (issue 16) in a real browser against a real server (see
// support.mjs): a parent on a 360 px phone sends a question with a PDF attached
// (the page's script solves the anti-spam challenge) and notes the tracking code;
// an editor sees the file and assigns the question, a staff member answers it in
// the rich editor, the editor approves it; the
// parent sees the answer with the code and her e-mail. axe finds no violations on
// the public pages (the form, the page after sending, the status page, the list,
// the question's page).
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/questions.test.mjs
//
// Screenshots land in e2e/out/questions-*.png, the server's log in
// e2e/out/questions-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, TEST_TIMEOUT, axeViolations, cli as runCli, describeViolations, logIn, usePortal } from './support.mjs';

const portal = usePortal('questions-server');
const PASSWORD = 'mật khẩu thử nghiệm 2026';
const TITLE = 'Hồ sơ chuyển trường cho con lớp 7';
const ANSWER = 'Phụ huynh nộp đơn xin chuyển trường và học bạ tại trường mới.';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true };

const cli = (args, input) => runCli(portal, args, input);

test('a parent asks on a phone, the office answers, the parent reads the answer with the code', { timeout: TEST_TIMEOUT * 2 }, async () => {
  cli(['user', 'add', 'bt.hoidap', '--name', 'Trần Thị Biên', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);
  cli(['user', 'add', 'cb.hoidap', '--name', 'Lê Văn Cán', '--site', 'so', '--role', 'writer', '--password-stdin'], PASSWORD);
  const violations = {};
  let code = '';

  await portal.withPage(PHONE, async (page) => {
    await page.goto('/hoi-dap/gui-cau-hoi');
    violations.form = await axeViolations(page);
    await page.getByLabel('Danh xưng (không bắt buộc)').selectOption('Chị');
    await page.getByLabel(/Họ và tên/).fill('Phạm Thị Hoa');
    await page.getByLabel(/^E-mail/).fill('hoa.pham@example.vn');
    await page.getByLabel(/Địa chỉ/).fill('5 Trần Phú, phường Hòa Bình');
    await page.getByLabel(/Lĩnh vực/).selectOption({ label: 'Chuyển trường' });
    await page.getByLabel(/Tiêu đề/).fill(TITLE);
    await page.getByLabel(/Nội dung câu hỏi/).fill('Gia đình chuyển nhà sang phường khác, xin hỏi thủ tục chuyển trường cho con.');
    await page.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'Giấy xác nhận cư trú.pdf', mimeType: 'application/pdf', buffer: PDF });
    // The page's script solves the proof of work; the sum question is for readers without it.
    await page.waitForFunction(() => document.querySelector('input[name="loi_giai"]').value !== '');
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await page.waitForURL((u) => u.pathname === '/hoi-dap/da-gui');
    code = (await page.locator('.tracking-code').innerText()).trim();
    assert.match(code, /^HD-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    violations.sent = await axeViolations(page);
    // No sideways scrolling on the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
    await page.screenshot({ path: join(OUT, 'questions-sent.png'), fullPage: true });
  });

  // The editor assigns it to the staff member.
  await portal.withPage({}, async (page) => {
    await logIn(page, 'bt.hoidap', PASSWORD);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Hỏi đáp' }).click();
    await page.getByRole('link', { name: TITLE }).click();
    // The parent's file, for the office only, downloaded as it was sent.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Giấy xác nhận cư trú.pdf' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Giấy xác nhận cư trú.pdf');
    await page.getByLabel('Người xử lý').selectOption({ label: 'Lê Văn Cán' });
    await page.getByLabel(/^5 ngày làm việc/).check();
    await page.getByRole('button', { name: 'Giao', exact: true }).click();
    await page.getByText('Đã giao câu hỏi.').waitFor();
  });

  // The staff member answers in the rich editor and sends it for approval.
  await portal.withPage({}, async (page) => {
    await logIn(page, 'cb.hoidap', PASSWORD);
    await page.goto('/quan-tri/hoi-dap');
    await page.getByRole('link', { name: TITLE }).click();
    await page.locator('.ql-editor').click();
    await page.keyboard.type(ANSWER);
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi câu trả lời chờ biên tập viên duyệt.').waitFor();
  });

  // The editor approves.
  await portal.withPage({}, async (page) => {
    await logIn(page, 'bt.hoidap', PASSWORD);
    await page.goto('/quan-tri/hoi-dap?trang-thai=awaiting');
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('button', { name: 'Duyệt và công bố' }).click();
    await page.getByText(/Đã duyệt: câu trả lời được công bố/).waitFor();
  });

  // The parent, on her phone, with the code and her e-mail.
  await portal.withPage(PHONE, async (page) => {
    await page.goto('/hoi-dap/tra-cuu');
    await page.getByLabel('Mã tra cứu').fill(code.toLowerCase());
    await page.getByLabel('E-mail đã dùng khi gửi câu hỏi').fill('hoa.pham@example.vn');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText(ANSWER).waitFor();
    assert.match(await page.locator('.question-status').innerText(), /Đã trả lời/);
    violations.status = await axeViolations(page);
    await page.screenshot({ path: join(OUT, 'questions-answer.png'), fullPage: true });

    await page.goto('/hoi-dap');
    await page.getByRole('link', { name: TITLE }).waitFor();
    assert.match(await page.locator('.question-list').innerText(), /Chị P\.T\.H\., phường Hòa Bình/);
    violations.list = await axeViolations(page);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByText(ANSWER).waitFor();
    violations.page = await axeViolations(page);
    await page.getByRole('button', { name: 'Có', exact: true }).click();
    await page.getByText('Cảm ơn bạn đã cho biết ý kiến về câu trả lời.').waitFor();
  });

  const found = Object.entries(violations).filter(([, v]) => v.length > 0);
  assert.deepEqual(found, [], describeViolations(found));
});
