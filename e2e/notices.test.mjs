// Announcements and drafts for public comment (issue 14) in a real browser against a
// real server (see support.mjs): a reader comments on the demo's open draft (the
// page's script solves the proof of work), an editor publishes and answers the
// comment, ends the period and downloads the comments as XLSX; axe finds nothing on
// /thong-bao, a notice, /du-thao, the draft and its comment form.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/notices.test.mjs
//
// Screenshots land in e2e/out/notices-*.png, the server's log in e2e/out/notices-server.log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  OUT,
  TEST_TIMEOUT,
  axeViolations,
  cli as runCli,
  describeViolations,
  logIn,
  usePortal,
  where,
} from './support.mjs';

const portal = usePortal('notices-server');
const PASSWORD = 'mật khẩu thử nghiệm 2026';
const DRAFT = 'Dự thảo Quy định về dạy thêm, học thêm trên địa bàn tỉnh';
const COMMENT = 'Đề nghị bổ sung quy định về phòng học dạy thêm đạt chuẩn.';

/** dd/mm/yyyy hh:mm in Vietnam, `minutes` from now. */
function vnMoment(minutes) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60_000));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

test('the notice block, the archive and the drafts pass axe', { timeout: TEST_TIMEOUT }, async () => {
  await portal.withPage({ bypassCSP: true }, async (page) => {
    const found = [];
    const check = async () => {
      const v = await axeViolations(page);
      if (v.length) found.push([where(page), v]);
    };
    await page.goto('/');
    const block = page.getByRole('region', { name: 'Thông báo' });
    await assert.doesNotReject(block.getByText('Lịch tiếp công dân tháng 12 của Sở GD&ĐT').waitFor());
    await page.goto('/thong-bao');
    await check();
    await page.getByRole('main').getByRole('link', { name: 'Lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2027' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/thong-bao/'));
    await check();
    await page.goto('/du-thao');
    await check();
    await page.getByRole('link', { name: DRAFT }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/du-thao/'));
    await check();
    // Its comment form, with the challenge's fields.
    await page.goto(`${where(page)}/gop-y`);
    await assert.doesNotReject(page.getByLabel('Nội dung góp ý').waitFor());
    await check();
    assert.equal(found.length, 0, `axe-core found violations:\n${describeViolations(found)}`);
  });
});

test('a reader comments on a draft, an editor moderates and exports the comments', { timeout: TEST_TIMEOUT }, async () => {
  runCli(portal, ['user', 'add', 'bt.duthao', '--name', 'Lê Thị Soạn', '--site', 'so', '--role', 'editor', '--password-stdin'], PASSWORD);

  // The reader: from the list to the draft, then the form; the script solves the
  // challenge and the question for readers without JavaScript stays hidden.
  await portal.withPage({}, async (page) => {
    await page.goto('/du-thao');
    await page.getByRole('link', { name: DRAFT }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/du-thao/'));
    await assert.doesNotReject(page.getByText(/Đang lấy ý kiến \(còn \d+ ngày\)/).first().waitFor());
    await page.getByRole('link', { name: 'Góp ý Điều 3' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/gop-y'));
    assert.equal(await page.getByLabel('Góp ý về').inputValue(), '3');
    assert.equal(await page.getByLabel(/Câu hỏi kiểm tra/).isVisible(), false);
    await page.getByLabel('Họ và tên').fill('Phạm Thị Hoa');
    await page.getByLabel('Thư điện tử').fill('hoa.pham@example.vn');
    await page.getByLabel('Cơ quan, tổ chức (không bắt buộc)').fill('Trường Tiểu học Kim Đồng');
    await page.getByLabel('Nội dung góp ý').fill(COMMENT);
    await page.getByRole('button', { name: 'Gửi góp ý' }).click();
    await page.waitForURL((u) => u.searchParams.has('da-gui'));
    await assert.doesNotReject(page.getByText('Cảm ơn bạn đã góp ý').waitFor());
    await page.screenshot({ path: join(OUT, 'notices-comment-sent.png'), fullPage: true });
    // Held for moderation: not on the draft's page yet.
    await page.goto(where(page).replace(/\/gop-y.*$/, ''));
    assert.equal(await page.getByText(COMMENT).count(), 0);
  });

  // The editor publishes and answers it, ends the period, exports.
  await portal.withPage({ acceptDownloads: true }, async (page) => {
    await logIn(page, 'bt.duthao', PASSWORD);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Dự thảo' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri/du-thao');
    await page.getByRole('link', { name: DRAFT }).click();
    await page.waitForURL((u) => /^\/quan-tri\/du-thao\/\d+$/.test(u.pathname));
    const box = page.locator('.draft-comment', { hasText: COMMENT });
    const id = (await box.getAttribute('id')).replace('gop-y-', '');
    await box.getByRole('button', { name: `Đăng góp ý #${id}` }).click();
    await page.waitForURL((u) => u.searchParams.get('da') === 'duyet');
    const again = page.locator(`#gop-y-${id}`);
    await again.getByLabel(`Trả lời góp ý #${id}`).fill('Ban soạn thảo tiếp thu ý kiến.');
    await again.getByRole('button', { name: `Lưu trả lời #${id}` }).click();
    await page.waitForURL((u) => u.searchParams.get('da') === 'duyet');
    assert.match(await page.locator(`#gop-y-${id} .comment-status`).textContent(), /Đã đăng/);

    // The office ends the period now: the export opens.
    await page.getByLabel('Kết thúc lấy ý kiến (dd/mm/yyyy hh:mm)').fill(vnMoment(-1));
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri/du-thao');
    await page.getByRole('link', { name: DRAFT }).click();
    await page.waitForURL((u) => /^\/quan-tri\/du-thao\/\d+$/.test(u.pathname));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải danh sách góp ý (XLSX)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^gop-y-.*\.xlsx$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
    assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'with a worksheet');
  });

  // Readers see the published comment with its answer, and the period over.
  await portal.withPage({}, async (page) => {
    await page.goto('/du-thao');
    await page.getByRole('link', { name: DRAFT }).click();
    await assert.doesNotReject(page.getByText(COMMENT).waitFor());
    await assert.doesNotReject(page.getByText('Ban soạn thảo tiếp thu ý kiến.').waitFor());
    await assert.doesNotReject(page.getByText('Hết hạn lấy ý kiến').first().waitFor());
    await page.screenshot({ path: join(OUT, 'notices-draft.png'), fullPage: true });
  });
});
