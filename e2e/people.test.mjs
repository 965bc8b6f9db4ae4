// People across sites in a real browser against a real server (see support.mjs): the
// demo's super-administrator (whose password the server prints once at its first
// start) logs in on the department's site, makes a new account with the Editor role
// on a school's site and gives the same person the Writer role on the department;
// that person logs in on the department, finds both sites under "Trang bạn quản lý",
// follows the school's link and lands in the school's back office, on its own host
// name, signed in, without typing the password again; and back.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/people.test.mjs
//
// The server's log lands in e2e/out/people-server.log, screenshots in e2e/out/people-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, SITE_NAME, TEST_TIMEOUT, axeViolations, describeViolations, logIn, usePortal } from './support.mjs';

const portal = usePortal('people-server');

const SCHOOL = 'Trường THPT Chuyên Lê Quý Đôn';
const PERSON = { username: 'bt.lqd', name: 'Đỗ Minh Thư' };

/** No axe-core findings (WCAG 2.0/2.1 A and AA) on the open page. */
async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe-core on ${what}:\n${describeViolations([[what, violations]])}`);
}

/** Shows the people of `site` with the page's site picker. */
async function choose(page, site) {
  await page.getByLabel('Trang', { exact: true }).selectOption({ label: site });
  await page.getByRole('button', { name: 'Xem người dùng của trang này' }).click();
  await page.getByRole('heading', { level: 2, name: `Thêm người vào trang ${site}` }).waitFor();
}

test('an administrator gives a person roles on two sites; the person switches between them signed in', { timeout: TEST_TIMEOUT }, async () => {
  const admin = portal.server.admin;
  let password;

  await portal.withPage({ bypassCSP: true }, async (page) => {
    await logIn(page, admin.username, admin.password);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Người dùng' }).click();
    await page.waitForURL((u) => u.pathname === '/quan-tri/nguoi-dung');
    await page.getByRole('heading', { level: 2, name: `Người có vai trò trên trang ${SITE_NAME}` }).waitFor();

    // A new account with the Editor role on the school's site.
    await choose(page, SCHOOL);
    assert.match(page.url(), /ma-trang=lqd/);
    await page.getByRole('radio', { name: /^Tài khoản mới/ }).check();
    await page.getByLabel('Tên đăng nhập').fill(PERSON.username);
    await page.getByLabel('Họ và tên (với tài khoản mới)').fill(PERSON.name);
    await page.getByRole('radio', { name: /^Biên tập viên/ }).check();
    await page.getByRole('button', { name: 'Thêm người' }).click();
    const notice = (await page.getByRole('status').innerText()).trim();
    assert.match(notice, new RegExp(`^Đã tạo tài khoản ${PERSON.username} \\(${PERSON.name}\\) với vai trò Biên tập viên trên trang ${SCHOOL}\\.`));
    password = notice.match(/hãy trao tận tay\): (\S+)$/)?.[1];
    assert.ok(password && password.length === 16, notice);
    const row = page.getByRole('row').filter({ hasText: PERSON.username });
    assert.match(await row.innerText(), /Biên tập viên/);
    await page.screenshot({ path: join(OUT, 'people-admin.png'), fullPage: true });
    await assertAccessible(page, 'the people page');

    // The same person, an account that exists now, as a writer of the department.
    await choose(page, SITE_NAME);
    await page.getByRole('radio', { name: /^Tài khoản đã có/ }).check();
    await page.getByLabel('Tên đăng nhập').fill(PERSON.username);
    await page.getByRole('radio', { name: /^Phóng viên\/Cộng tác viên/ }).check();
    await page.getByRole('button', { name: 'Thêm người' }).click();
    await page.getByRole('status').filter({ hasText: `Đã cấp vai trò Phóng viên/Cộng tác viên trên trang ${SITE_NAME} cho ${PERSON.name} (${PERSON.username}).` }).waitFor();
  });

  await portal.withPage({ bypassCSP: true }, async (page) => {
    // Logged in on the department's site (127.0.0.1) …
    await logIn(page, PERSON.username, password);
    const mine = page.locator('#trang-ban-quan-ly');
    await mine.getByRole('heading', { level: 2, name: 'Trang bạn quản lý' }).waitFor();
    const rows = (await mine.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(rows, [`${SITE_NAME} đang xem Phóng viên/Cộng tác viên`, `${SCHOOL} Biên tập viên`]);
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Trang bạn quản lý' }).waitFor();
    await assertAccessible(page, 'the dashboard');

    // … follows the school's link and lands in the school's back office, on its own
    // host name, signed in: no password asked.
    await mine.getByRole('link', { name: SCHOOL }).click();
    await page.waitForURL((u) => u.hostname === 'lqd.localhost' && u.pathname === '/quan-tri');
    assert.equal(new URL(page.url()).port, String(portal.port));
    await page.getByText('Vai trò của bạn trên trang này: Biên tập viên').waitFor();
    assert.equal((await page.locator('.admin-brand').innerText()).trim(), `Quản trị · ${SCHOOL}`);
    await page.getByRole('button', { name: `Đăng xuất (${PERSON.username})` }).waitFor();
    // An editor's page of the school opens without a login.
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Bài viết' }).click();
    await page.waitForURL((u) => u.hostname === 'lqd.localhost' && u.pathname === '/quan-tri/bai-viet');
    await page.screenshot({ path: join(OUT, 'people-school.png'), fullPage: true });

    // And back to the department, on its main host name.
    await page.goto(`http://lqd.localhost:${portal.port}/quan-tri`);
    await page.locator('#trang-ban-quan-ly').getByRole('link', { name: SITE_NAME }).click();
    await page.waitForURL((u) => u.hostname === 'localhost' && u.pathname === '/quan-tri');
    await page.getByText('Vai trò của bạn trên trang này: Phóng viên/Cộng tác viên').waitFor();
  });
});
