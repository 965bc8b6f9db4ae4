// One cycle of emulation and commendation in a real browser (issue 17): the
// department's emulation officer launches a movement; a school's administrator
// registers and later proposes two teachers; the department receives, reviews and
// commends them, records the decision and publishes it; the names appear on
// /thi-dua-khen-thuong of the department's site and of the school's. The new
// public pages pass axe.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/emulation.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import {
  OUT, TEST_TIMEOUT, WCAG_AND_BEST_PRACTICE, axeViolations, cli, describeViolations, logIn, usePortal,
} from './support.mjs';

const portal = usePortal('emulation-server');

const PASSWORD = 'mùa thu Hà Nội 2026';
const MOVEMENT = 'Phong trào thi đua Dạy tốt – Học tốt năm học 2026–2027';
const TEACHERS = [
  ['Nguyễn Thị Thu Hằng', '12/03/1985'],
  ['Đỗ Minh Khôi', '07/11/1979'],
];

test('a movement, a registration, a proposal of two teachers, a published decision', { timeout: TEST_TIMEOUT }, async () => {
  cli(portal, ['user', 'add', 'td.so', '--name', 'Lê Thị Thi Đua', '--site', 'so', '--role', 'emulation', '--password-stdin'], PASSWORD);
  cli(portal, ['user', 'add', 'qt.lqd', '--name', 'Phan Quốc Bảo', '--site', 'lqd', '--role', 'admin', '--password-stdin'], PASSWORD);
  const school = `http://lqd.localhost:${portal.port}`;

  // 1. The department launches a movement.
  await portal.withPage({}, async (page) => {
    await logIn(page, 'td.so', PASSWORD);
    await page.goto('/quan-tri/thi-dua');
    await page.getByLabel('Tên phong trào').fill(MOVEMENT);
    await page.getByLabel('Loại phong trào').selectOption({ label: 'Hằng năm' });
    await page.getByLabel('Hạn đăng ký thi đua (dd/mm/yyyy)').fill('30/09/2026');
    await page.getByRole('button', { name: 'Phát động' }).click();
    await page.getByRole('heading', { name: MOVEMENT }).waitFor();
  });

  // 2. The school registers, then proposes two teachers and sends the proposal.
  await portal.withPage({ baseURL: school }, async (page) => {
    await logIn(page, 'qt.lqd', PASSWORD);
    await page.goto('/quan-tri/thi-dua');
    await page.getByRole('link', { name: MOVEMENT }).click();
    await page.getByLabel('Cá nhân hay tập thể').selectOption({ label: 'Cá nhân' });
    await page.getByLabel('Danh hiệu', { exact: true }).selectOption({ label: 'Chiến sĩ thi đua cơ sở' });
    await page.getByLabel(/^Họ tên/).fill(TEACHERS[0][0]);
    await page.getByLabel('Ngày sinh (dd/mm/yyyy)').fill(TEACHERS[0][1]);
    await page.getByLabel('Chức vụ').fill('Giáo viên Toán');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.getByRole('cell', { name: TEACHERS[0][0], exact: true }).waitFor();

    await page.goto('/quan-tri/thi-dua/de-nghi');
    await page.getByLabel('Tên đề nghị').fill('Đề nghị khen thưởng năm học 2025–2026');
    await page.getByLabel('Hình thức đề nghị').selectOption({ label: 'Bằng khen' });
    await page.getByLabel('Cấp khen').selectOption({ label: 'Giám đốc Sở Giáo dục và Đào tạo' });
    await page.getByRole('button', { name: 'Lập đề nghị' }).click();
    await page.getByRole('heading', { name: 'Đề nghị khen thưởng năm học 2025–2026' }).waitFor();
    for (const [name, birth] of TEACHERS) {
      await page.getByLabel(/^Họ tên/).fill(name);
      await page.getByLabel('Ngày sinh (dd/mm/yyyy)').fill(birth);
      await page.getByLabel('Chức vụ').fill('Giáo viên');
      await page.getByLabel('Tóm tắt thành tích').fill('Giáo viên dạy giỏi cấp tỉnh.');
      await page.getByRole('button', { name: 'Thêm vào đề nghị' }).click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Gửi đề nghị lên Sở' }).click();
    await page.locator('.proposal-status', { hasText: 'Đã gửi' }).waitFor();
  });

  // 3. The department receives, reviews and commends; records the decision; publishes it.
  await portal.withPage({}, async (page) => {
    await logIn(page, 'td.so', PASSWORD);
    await page.goto('/quan-tri/thi-dua/de-nghi');
    await page.getByRole('link', { name: 'Đề nghị khen thưởng năm học 2025–2026' }).click();
    for (const [button, status] of [
      ['Tiếp nhận', 'Đã tiếp nhận'],
      ['Đưa ra xét', 'Đang xét'],
      ['Kết luận: khen thưởng', 'Đã khen thưởng'],
    ]) {
      await page.getByRole('button', { name: button }).click();
      await page.locator('.proposal-status', { hasText: status }).waitFor();
    }
    await page.getByRole('link', { name: 'Ghi quyết định khen thưởng' }).click();
    await page.getByLabel('Số quyết định').fill('1520/QĐ-SGDĐT');
    await page.getByLabel('Ngày (dd/mm/yyyy)').fill('20/11/2026');
    await page.getByRole('button', { name: 'Ghi quyết định', exact: true }).click();
    await page.getByRole('heading', { name: 'Quyết định 1520/QĐ-SGDĐT' }).waitFor();
    await page.getByRole('button', { name: 'Công bố quyết định' }).click();
    await page.getByText('Đã công bố').waitFor();
    await page.screenshot({ path: join(OUT, 'emulation-decision.png'), fullPage: true });
  });

  // 4. The names appear on both sites' public pages, without dates of birth.
  for (const base of [portal.baseURL, school]) {
    await portal.withPage({ baseURL: base }, async (page) => {
      await page.goto('/thi-dua-khen-thuong');
      for (const [name, birth] of TEACHERS) {
        await page.getByRole('link', { name, exact: true }).waitFor();
        assert.ok(!(await page.content()).includes(birth), `no date of birth on ${base}`);
      }
    });
  }
});

test('the new public pages pass axe', { timeout: TEST_TIMEOUT }, async () => {
  const school = `http://lqd.localhost:${portal.port}`;
  const byPage = {};
  for (const [base, path] of [
    [portal.baseURL, '/thi-dua-khen-thuong'],
    [portal.baseURL, '/thi-dua-khen-thuong?q=mai+anh'],
    [portal.baseURL, '/dan-van-kheo'],
    [school, '/thi-dua-khen-thuong'],
  ]) {
    await portal.withPage({ baseURL: base, bypassCSP: true }, async (page) => {
      await page.goto(path);
      byPage[`${base}${path}`] = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
      if (path === '/thi-dua-khen-thuong' && base === portal.baseURL) {
        // A commended person's entry and a movement's page.
        const entry = await page.locator('a[href^="/thi-dua-khen-thuong/khen/"]').first().getAttribute('href');
        const movement = await page.locator('a[href^="/thi-dua-khen-thuong/phong-trao/"]').first().getAttribute('href');
        for (const next of [entry, movement]) {
          await page.goto(next);
          byPage[`${base}${next}`] = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
        }
      }
    });
  }
  const failing = Object.fromEntries(Object.entries(byPage).filter(([, v]) => v.length > 0));
  assert.deepEqual(failing, {}, describeViolations(Object.entries(failing)));
});
