// The back office's article editor and tables, in a real browser against a real
// server (see support.mjs), as the demo's super-administrator: the keyboard gets in
// and out of the rich-text body, every word of the editor is Vietnamese, the
// heading picker works by keyboard, ids are unique, no page scrolls sideways on a
// phone, and axe-core finds nothing (WCAG 2.1 A/AA and its best practices).
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/editor.test.mjs
//
// The server's log lands in e2e/out/editor-server.log, screenshots in e2e/out/editor-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  OUT,
  TEST_TIMEOUT,
  WCAG_AND_BEST_PRACTICE,
  axeViolations,
  describeViolations,
  logIn,
  usePortal,
} from './support.mjs';

const portal = usePortal('editor-server');

const PHONE = { width: 360, height: 740 };

/** The signed-in state of the super-administrator, made once and shared. */
let adminState = null;

/** Runs `body(page)` in a fresh page signed in as the demo's super-administrator. */
async function asAdmin(options, body) {
  if (!adminState) {
    const { username, password } = portal.server.admin;
    assert.ok(password, 'the server printed the demo administrator\'s password');
    adminState = await portal.withPage({}, async (page, context) => {
      await logIn(page, username, password);
      return context.storageState();
    });
  }
  return portal.withPage({ ...options, storageState: adminState }, body);
}

/** Opens the new-article form and waits for the editor. */
async function openEditor(page) {
  await page.goto('/quan-tri/bai-viet/moi');
  await page.locator('.ql-editor').waitFor();
}

/** A path of focus stops for a message, repeats folded: "a → b ×12 → c". */
function trail(stops) {
  const out = [];
  for (const s of stops) {
    const last = out[out.length - 1];
    if (last && last.stop === s) last.n += 1;
    else out.push({ stop: s, n: 1 });
  }
  return out.map(({ stop, n }) => (n > 1 ? `${stop} ×${n}` : stop)).join(' → ');
}

/** Something to recognise the focused element by in assertion messages. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const label = el.id && document.querySelector(`label[for="${el.id}"]`);
    const name =
      el.getAttribute('aria-label') ||
      (label && label.textContent.trim()) ||
      (el.tagName === 'BUTTON' ? el.textContent.trim() : '') ||
      el.getAttribute('name') ||
      '';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}${name ? ` "${name}"` : ''}`;
  });
}

// Quill's own English, which must not show anywhere in the editor.
const ENGLISH =
  /\b(Normal|Heading|Enter|Save|Visit|URL|Edit|Remove|Embed|formula|Sans Serif|Serif|Monospace|Small|Large|Huge)\b|quilljs|^CT$/i;

/**
 * Every text the editor shows right now: the visible text of its elements, their
 * ::before and ::after content (Quill draws its words that way), the placeholders,
 * and the names and hover titles of the controls.
 */
function editorTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const shown = (el) => {
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0;
    };
    for (const el of document.querySelectorAll('.editor-holder, .editor-holder *')) {
      if (!shown(el)) continue;
      for (const pseudo of ['::before', '::after']) {
        const c = getComputedStyle(el, pseudo).content;
        if (c && c !== 'none' && c !== 'normal' && c !== '""') {
          let text = c;
          if (/^attr\(/.test(c) || /^"/.test(c)) text = c.replace(/^"|"$/g, '');
          if (/^attr\(([^)]+)\)$/.test(c)) text = el.getAttribute(c.slice(5, -1)) || '';
          if (text.trim() && !/^[\\\s\u2022\u2610\u2611\d.]+$/.test(text)) out.push(text);
        }
      }
      for (const attr of ['placeholder', 'data-placeholder', 'title', 'aria-label']) {
        if (el.hasAttribute(attr)) out.push(el.getAttribute(attr));
      }
      for (const node of el.childNodes) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) out.push(node.textContent.trim());
      }
    }
    return out;
  });
}

// ---------------------------------------------------------------- the tests

test('Tab and Shift+Tab leave the article body; Ctrl+] indents a list item', { timeout: TEST_TIMEOUT }, () =>
  asAdmin({}, async (page) => {
    await openEditor(page);
    await page.getByLabel('Tiêu đề', { exact: true }).focus();
    const firstSubmit = page.locator('form.article-form button[type=submit]').first();
    const saveLabel = (await firstSubmit.textContent()).trim();

    // Tab from the title through to the first submit button, writing into the body
    // on the way, with Tab pressed inside it as in any other field.
    const path = [];
    let wrote = false;
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const where = await focused(page);
      path.push(where);
      if (!wrote && (await page.evaluate(() => document.activeElement.classList.contains('ql-editor')))) {
        await page.keyboard.type('Các trường tổ chức ôn tập');
        wrote = true;
      }
      if (await firstSubmit.evaluate((b) => b === document.activeElement)) break;
    }
    const at = (re) => path.findIndex((p) => re.test(p));
    const body = at(/ql-editor/);
    const author = at(/#tac-gia/);
    assert.ok(body >= 0, `the keyboard reaches the body; focus went: ${trail(path)}`);
    assert.ok(wrote);
    assert.ok(author > body, `Tab from the body reaches "Tác giả"; focus went: ${trail(path)}`);
    assert.match(path[body + 1], /#tac-gia/, `the field after the body is "Tác giả"; focus went: ${trail(path)}`);
    assert.ok(
      await firstSubmit.evaluate((b) => b === document.activeElement),
      `Tab reaches the "${saveLabel}" button; focus went: ${trail(path)}`,
    );
    const text = await page.locator('.ql-editor').innerText();
    assert.ok(text.includes('Các trường tổ chức ôn tập'), text);
    assert.ok(!text.includes('\t'), `no tab character in the body: ${JSON.stringify(text)}`);

    // And back: Shift+Tab from "Tác giả" enters the body, Shift+Tab from the body
    // leaves it for the toolbar.
    await page.locator('#tac-gia').focus();
    await page.keyboard.press('Shift+Tab');
    assert.match(await focused(page), /ql-editor/);
    await page.keyboard.press('Shift+Tab');
    assert.doesNotMatch(await focused(page), /ql-editor/);
    assert.match(await focused(page), /ql-clean/, 'the last toolbar button is before the body');
    assert.ok(!(await page.locator('.ql-editor').innerText()).includes('\t'));

    // Indenting a list item has its keys, and the page says which.
    const hint = page.locator('#goi-y-noi-dung');
    assert.equal(await hint.isVisible(), true, 'the hint under the body is shown');
    assert.match(await hint.innerText(), /Tab.*Ctrl\+\].*Ctrl\+\[/s);
    assert.equal(await page.locator('.ql-editor').getAttribute('aria-describedby'), 'goi-y-noi-dung');
    await page.locator('.ql-editor').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Danh sách gạch đầu dòng' }).click();
    await page.keyboard.type('Toán');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Hình học');
    await page.keyboard.press('Control+BracketRight');
    await page.locator('.ql-editor li.ql-indent-1', { hasText: 'Hình học' }).waitFor();
    await page.keyboard.press('Control+BracketLeft');
    await page.waitForFunction(() => !document.querySelector('.ql-editor li.ql-indent-1'));
    // Tab in a list leaves it too, with the item as it was.
    await page.keyboard.press('Tab');
    assert.match(await focused(page), /#tac-gia/);
    assert.equal(await page.locator('.ql-editor li').count(), 2);
    await page.screenshot({ path: join(OUT, 'editor-keyboard.png'), fullPage: true });
  }),
);

test('the editor speaks Vietnamese: header picker, link box, placeholder, caption button', { timeout: TEST_TIMEOUT }, () =>
  asAdmin({}, async (page) => {
    await openEditor(page);
    const check = async (state) => {
      const texts = await editorTexts(page);
      const english = texts.filter((t) => ENGLISH.test(t));
      assert.deepEqual(english, [], `English in the editor (${state}); all its texts: ${texts.join(' | ')}`);
      return texts;
    };

    // Empty: the placeholder, the toolbar, the picker's current value.
    let texts = await check('empty editor');
    assert.ok(texts.includes('Viết nội dung bài…'), `the placeholder: ${texts.join(' | ')}`);
    assert.ok(texts.includes('Đoạn văn'), `the picker shows "Đoạn văn": ${texts.join(' | ')}`);
    // The caption button shows a word, not "CT".
    const caption = page.getByRole('button', { name: 'Chú thích ảnh' });
    assert.equal((await caption.innerText()).trim(), 'Chú thích');

    // The header picker, open.
    await page.locator('.ql-header .ql-picker-label').click();
    await page.locator('.ql-header .ql-picker-options').waitFor();
    texts = await check('header picker open');
    for (const name of ['Đoạn văn', 'Tiêu đề lớn', 'Tiêu đề vừa', 'Tiêu đề nhỏ']) {
      assert.ok(texts.includes(name), `the picker offers "${name}": ${texts.join(' | ')}`);
    }
    await page.keyboard.press('Escape');

    // The link box, asking for an address.
    await page.locator('.ql-editor').click();
    await page.keyboard.type('Cổng thông tin của Bộ');
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Chèn liên kết' }).click();
    const input = page.getByRole('textbox', { name: 'Địa chỉ liên kết' });
    await input.waitFor();
    texts = await check('link box, editing');
    assert.ok(texts.includes('Nhập liên kết:'), texts.join(' | '));
    assert.ok(texts.includes('Lưu'), texts.join(' | '));
    await page.screenshot({ path: join(OUT, 'editor-link-editing.png') });

    // The link box over a link: open it, change it, take it off.
    await input.fill('https://moet.gov.vn');
    await page.keyboard.press('Enter');
    await page.locator('.ql-editor a[href="https://moet.gov.vn"]').click();
    await page.locator('.ql-tooltip:not(.ql-hidden) a.ql-preview').waitFor();
    texts = await check('link box, on a link');
    for (const word of ['Mở liên kết:', 'Sửa', 'Gỡ']) assert.ok(texts.includes(word), `"${word}": ${texts.join(' | ')}`);
    await page.screenshot({ path: join(OUT, 'editor-link-preview.png') });


    // "Sửa" and "Gỡ" are buttons the keyboard reaches and presses.
    const remove = page.getByRole('button', { name: 'Gỡ liên kết' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('.ql-editor a'));
  }),
);

test('the heading picker has a name and works by keyboard', { timeout: TEST_TIMEOUT }, () =>
  asAdmin({}, async (page) => {
    await openEditor(page);
    await page.locator('.ql-editor').click();
    await page.keyboard.type('Kết quả thi học sinh giỏi');

    const picker = page.getByRole('button', { name: 'Kiểu đoạn: Đoạn văn' });
    const list = page.getByRole('listbox', { name: 'Kiểu đoạn' });
    const option = (name) => page.getByRole('option', { name, exact: true });
    const isFocused = (loc) => loc.evaluate((el) => el === document.activeElement);

    // Space opens it, on the current choice.
    await picker.focus();
    await page.keyboard.press('Space');
    await list.waitFor();
    assert.equal(await picker.getAttribute('aria-expanded'), 'true');
    assert.ok(await isFocused(option('Đoạn văn')), `focus: ${await focused(page)}`);
    assert.equal(await option('Đoạn văn').getAttribute('aria-selected'), 'true');
    // Arrows move, Enter chooses.
    await page.keyboard.press('ArrowDown');
    assert.ok(await isFocused(option('Tiêu đề lớn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('ArrowDown');
    assert.ok(await isFocused(option('Tiêu đề vừa')), `focus: ${await focused(page)}`);
    await page.keyboard.press('ArrowUp');
    assert.ok(await isFocused(option('Tiêu đề lớn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('Enter');
    await page.locator('.ql-editor h2', { hasText: 'Kết quả thi học sinh giỏi' }).waitFor();
    await list.waitFor({ state: 'hidden' });
    const chosen = page.getByRole('button', { name: 'Kiểu đoạn: Tiêu đề lớn' });
    assert.equal(await chosen.getAttribute('aria-expanded'), 'false');

    // Enter opens it too; Escape closes it and gives the focus back.
    await chosen.focus();
    await page.keyboard.press('Enter');
    await list.waitFor();
    assert.ok(await isFocused(option('Tiêu đề lớn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    assert.ok(await isFocused(chosen), `focus after Escape: ${await focused(page)}`);
    assert.equal(await chosen.getAttribute('aria-expanded'), 'false');

    // ArrowDown opens it too, Space chooses; Home, End, and arrows that wrap round.
    await page.keyboard.press('ArrowDown');
    await list.waitFor();
    await page.keyboard.press('ArrowDown');
    assert.ok(await isFocused(option('Tiêu đề vừa')), `focus: ${await focused(page)}`);
    await page.keyboard.press('Space');
    await page.locator('.ql-editor h3', { hasText: 'Kết quả thi học sinh giỏi' }).waitFor();
    await page.getByRole('button', { name: 'Kiểu đoạn: Tiêu đề vừa' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    assert.ok(await isFocused(option('Tiêu đề lớn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('ArrowUp');
    assert.ok(await isFocused(option('Đoạn văn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('End');
    assert.ok(await isFocused(option('Đoạn văn')), `focus: ${await focused(page)}`);
    await page.keyboard.press('ArrowUp');
    assert.ok(await isFocused(option('Tiêu đề nhỏ')), `focus: ${await focused(page)}`);
    // Tab closes it and goes on to the next button.
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden' });
    assert.match(await focused(page), /ql-bold/);
    assert.equal(await page.locator('.ql-editor h3').count(), 1, 'Tab chose nothing');
  }),
);

test('ids are unique on the editor page; "Nội dung" labels the body, the skip link the main part', { timeout: TEST_TIMEOUT }, () =>
  asAdmin({}, async (page) => {
    await openEditor(page);
    const dupes = await page.evaluate(() => {
      const seen = new Map();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}×)`);
    });
    assert.deepEqual(dupes, [], 'duplicate ids');
    const target = await page.evaluate(() => {
      const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Nội dung');
      const el = label && document.getElementById(label.htmlFor);
      return el && `${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}]`;
    });
    assert.equal(target, 'textarea[name=body]');
    // The editor that stands in for the textarea has the same name.
    await page.getByRole('textbox', { name: 'Nội dung', exact: true }).waitFor();

    // Opening the page leaves the focus at its start, not in the body; the skip
    // link goes to the main part, which takes the focus.
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BODY');
    const skip = page.getByRole('link', { name: 'Chuyển đến nội dung chính' });
    await page.keyboard.press('Tab');
    assert.ok(await skip.evaluate((a) => a === document.activeElement), `first Tab: ${await focused(page)}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN');
  }),
);

test('a new article\'s byline is empty, not the account\'s name', { timeout: TEST_TIMEOUT }, () =>
  asAdmin({}, async (page) => {
    await openEditor(page);
    const author = page.getByLabel('Tác giả (dòng ghi tên)');
    assert.equal(await author.inputValue(), '');
    // The placeholder shows the form a byline takes.
    assert.equal(await author.getAttribute('placeholder'), 'Tin, ảnh: Thanh Bình');
  }),
);

// ---------------------------------------------------------------- every back-office page

/** A results file, ';' CSV with BOM and comma decimals (as Excel in Vietnamese saves it). */
function resultsCsv(mathOfFirst) {
  const lines = [
    'STT;SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn;Tiếng Anh;Trường THCS;Tổng điểm',
    `1;030001;Nguyễn Thị Lan;06/09/2011;${mathOfFirst};7,5;9;THCS Nguyễn Du;24,75`,
    '2;030002;Trần Văn Hùng;12/01/2011;V;6;5,5;THCS Lê Lợi;11,5',
    '3;030003;Lê Minh Châu;30/04/2011;9;8;7,75;THCS Nguyễn Du;24,75',
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

/**
 * Makes an exam session with two imports (the second changes one score), so that
 * its page, its import preview and a candidate's history all have their tables.
 * Returns the session's path.
 */
let examPath = null;
async function examSession() {
  if (examPath) return examPath;
  examPath = await asAdmin({}, async (page) => {
    await page.goto('/quan-tri/ky-thi');
    await page.getByLabel('Tên kỳ thi').fill('Kỳ thi chọn học sinh giỏi lớp 9');
    await page.getByLabel('Năm học').fill('2026–2027');
    await page.getByRole('button', { name: 'Tạo kỳ thi' }).click();
    await page.waitForURL((u) => /^\/quan-tri\/ky-thi\/\d+$/.test(u.pathname));
    const path = new URL(page.url()).pathname;
    for (const math of ['8,25', '8,5']) {
      await page.goto(path);
      await page.getByLabel(/Tệp kết quả/).setInputFiles({ name: 'hsg-lop-9.csv', mimeType: 'text/csv', buffer: resultsCsv(math) });
      await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
      await page.getByRole('button', { name: 'Xác nhận nhập' }).click();
      await page.getByText('Đã nhập 3 thí sinh.').waitFor();
    }
    return path;
  });
  return examPath;
}

/**
 * The back office's pages: { paths, exam }, exam being the exam session's path
 * (its import preview is reached by a form, see openImportPreview).
 */
async function backOfficePages() {
  const exam = await examSession();
  return asAdmin({}, async (page) => {
    await page.goto('/quan-tri/bai-viet');
    const article = await page.locator('.admin-table a[href^="/quan-tri/bai-viet/"]').first().getAttribute('href');
    const paths = [
      '/quan-tri',
      '/quan-tri/bai-viet',
      '/quan-tri/bai-viet/moi',
      article,
      `${article}/phien-ban`,
      `${article}/phien-ban?xem=1`,
      '/quan-tri/tep',
      '/quan-tri/nguoi-dung',
      '/quan-tri/nhat-ky',
      '/quan-tri/cai-dat',
      '/quan-tri/ky-thi',
      exam,
      `${exam}/lich-su?sbd=030001`,
      '/quan-tri/doi-mat-khau',
      '/quan-tri/xac-thuc-hai-buoc',
    ];
    return { paths, exam };
  });
}

/** Goes to the exam's import preview, by uploading its file again. */
async function openImportPreview(page, exam) {
  await page.goto(exam);
  await page.getByLabel(/Tệp kết quả/).setInputFiles({ name: 'hsg-lop-9.csv', mimeType: 'text/csv', buffer: resultsCsv('8,5') });
  await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
  await page.getByRole('heading', { level: 1, name: 'Xem trước: hsg-lop-9.csv' }).waitFor();
}

/** What makes the page wider than the window: the widest elements past its right edge. */
function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return {
      scrollWidth: document.documentElement.scrollWidth,
      culprits: [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .filter((el) => !el.closest('.table-scroll') || el.classList.contains('table-scroll'))
        .slice(0, 4)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`),
    };
  });
}

test('no back-office page scrolls sideways on a 360 px phone; tables scroll in their own region', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const { paths, exam } = await backOfficePages();
  const wide = await asAdmin({ viewport: PHONE }, async (page) => {
    const out = [];
    const measure = async (label) => {
      const { scrollWidth, culprits } = await overflow(page);
      if (scrollWidth > PHONE.width) out.push(`${label}: ${scrollWidth} px wide (${culprits.join(', ')})`);
      // Every table is in a region that scrolls by itself and has a name.
      const bare = await page.evaluate(() =>
        [...document.querySelectorAll('main table')]
          .filter((t) => {
            const box = t.closest('.table-scroll');
            return !box || box.getAttribute('role') !== 'region' || !box.getAttribute('aria-label') || box.tabIndex !== 0;
          })
          .map((t) => t.className),
      );
      if (bare.length) out.push(`${label}: tables outside a named scrolling region: ${bare.join(', ')}`);
    };
    for (const path of paths) {
      const res = await page.goto(path);
      assert.equal(res.status(), 200, `GET ${path}`);
      if (/^\/quan-tri\/bai-viet\/(moi|\d+)$/.test(path)) await page.locator('.ql-editor').waitFor();
      await measure(path);
    }
    await openImportPreview(page, exam);
    await measure('the exam import preview');
    // The editor's link box stays inside the window too.
    await openEditor(page);
    await page.locator('.ql-editor').click();
    await page.keyboard.type('Cổng thông tin điện tử của Bộ Giáo dục và Đào tạo');
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Chèn liên kết' }).click();
    await page.getByRole('textbox', { name: 'Địa chỉ liên kết' }).waitFor();
    await measure('the editor, link box open');
    // The article list scrolls sideways inside its region, not the page.
    await page.goto('/quan-tri/bai-viet');
    const region = page.getByRole('region', { name: 'Danh sách bài viết' });
    assert.ok(await region.evaluate((r) => r.scrollWidth > r.clientWidth), 'the article table is wider than a phone');
    await page.screenshot({ path: join(OUT, 'editor-phone-list.png'), fullPage: true });
    return out;
  });
  assert.deepEqual(wide, [], `pages wider than ${PHONE.width} px:\n${wide.join('\n')}`);
});

test('accessibility: axe-core finds nothing on the back office\'s pages and the editor\'s popups', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { paths, exam } = await backOfficePages();
  const found = [];
  const run = async (page, label) => {
    const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
    t.diagnostic(`${label}: ${violations.length ? violations.map((v) => `${v.id} (${v.count})`).join(', ') : 'no violations'}`);
    if (violations.length) found.push([label, violations]);
  };
  // The site's CSP allows only its own scripts; axe is injected from node_modules.
  for (const viewport of [undefined, PHONE]) {
    const size = viewport ? ` at ${viewport.width} px` : '';
    await asAdmin({ bypassCSP: true, ...(viewport ? { viewport } : {}) }, async (page) => {
      for (const path of paths) {
        const res = await page.goto(path);
        assert.equal(res.status(), 200, `GET ${path}`);
        if (/^\/quan-tri\/bai-viet\/(moi|\d+)$/.test(path)) await page.locator('.ql-editor').waitFor();
        await run(page, path + size);
      }
      await openImportPreview(page, exam);
      await run(page, `the exam import preview${size}`);

      // The editor with its popups open.
      await openEditor(page);
      await page.locator('.ql-editor').click();
      await page.keyboard.type('Xem thêm trên cổng thông tin của Bộ');
      await page.getByRole('button', { name: /^Kiểu đoạn/ }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('listbox', { name: 'Kiểu đoạn' }).waitFor();
      await run(page, `the editor, heading picker open${size}`);
      await page.keyboard.press('Escape');
      await page.locator('.ql-editor').click();
      await page.keyboard.press('Shift+Home');
      await page.getByRole('button', { name: 'Chèn liên kết' }).click();
      const input = page.getByRole('textbox', { name: 'Địa chỉ liên kết' });
      await input.waitFor();
      await run(page, `the editor, link box asking for an address${size}`);
      await input.fill('https://moet.gov.vn');
      await page.keyboard.press('Enter');
      await page.locator('.ql-editor a').click();
      await page.locator('.ql-tooltip:not(.ql-hidden) a.ql-preview').waitFor();
      await run(page, `the editor, link box on a link${size}`);
    });
  }
  // Before signing in: the login form.
  await portal.withPage({ bypassCSP: true }, async (page) => {
    await page.goto('/quan-tri/dang-nhap');
    await run(page, '/quan-tri/dang-nhap');
  });
  assert.equal(found.length, 0, `axe-core found violations:\n${describeViolations(found)}`);
});
