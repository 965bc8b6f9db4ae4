// Static files as a browser gets them (issue 12): the stylesheet and scripts arrive
// compressed and kept a year, pages made afresh (search) arrive compressed, the
// site's icon and manifest answer, and uploaded pictures may be kept a year.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/static.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEWS, SITE_NAME, TEST_TIMEOUT, loadImages, usePortal } from './support.mjs';

const portal = usePortal('static-server');

/** Every response the page loads while `body` runs, by path. */
async function responses(page, body) {
  const seen = new Map();
  page.on('response', (res) => seen.set(new URL(res.url()).pathname, res));
  await body();
  return seen;
}

test('assets and fresh pages arrive compressed; assets and pictures are kept a year', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    const seen = await responses(page, async () => {
      await page.goto(`/tin-tuc/${NEWS.slug}`);
      await loadImages(page);
    });
    const assets = [...seen.entries()].filter(([path]) => path.startsWith('/static/'));
    assert.ok(assets.length >= 2, `the page loads its stylesheet and script: ${[...seen.keys()].join(', ')}`);
    for (const [path, res] of assets) {
      const h = await res.allHeaders();
      assert.equal(h['content-encoding'], 'br', `${path} arrives compressed`);
      assert.match(h['cache-control'], /max-age=31536000/, `${path} is kept a year`);
    }
    const pictures = [...seen.entries()].filter(([path]) => path.startsWith('/media/'));
    assert.ok(pictures.length > 0, 'the category page shows pictures');
    for (const [path, res] of pictures) {
      const h = await res.allHeaders();
      assert.match(h['cache-control'] ?? '', /max-age=31536000, immutable/, `${path} is kept a year`);
    }

    // The search page is made afresh for every query, and compressed all the same:
    // in gzip, quicker than br at the settings of answers made afresh and as small.
    const search = await page.goto('/tim-kiem?q=giao+duc');
    assert.equal((await search.allHeaders())['content-encoding'], 'gzip');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  }),
);

test('the site\'s icon and manifest answer, with the site\'s name', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto('/');
    const icon = await page.request.get('/favicon.ico');
    assert.equal(icon.status(), 200);
    assert.equal(icon.headers()['content-type'], 'image/x-icon');
    // A phone's home screen icon, as the browser decodes it.
    const width = await page.evaluate(async () => {
      const img = new Image();
      img.src = '/apple-touch-icon.png';
      await img.decode();
      return img.naturalWidth;
    });
    assert.equal(width, 180);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await (await page.request.get(href)).json();
    assert.equal(manifest.name, SITE_NAME);
    assert.equal(manifest.lang, 'vi');
    for (const icon of manifest.icons) {
      const res = await page.request.get(icon.src);
      assert.equal(res.status(), 200, icon.src);
    }
  }),
);
