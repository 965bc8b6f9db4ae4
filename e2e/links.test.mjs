// Image links and weather in a real browser against a real server (see support.mjs):
// the server fetches the weather in the background from a provider this test runs
// (a local HTTP server answering as Open-Meteo does); once the "Thời tiết" block is
// there, the home page (links in the side column, the band of logos, the weather)
// and the two back-office pages pass axe (WCAG 2.0/2.1 A and AA, best practices),
// on a computer and on a 360 px phone.
//
//   bash scripts/install-browser.sh
//   cargo build --bin eduportal
//   node --test e2e/links.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AUDIT_TAGS, TEST_TIMEOUT, axeViolations, describeViolations, logIn, usePortal } from './support.mjs';

const FORECAST = JSON.stringify({
  current: { time: '2026-12-06T07:45', temperature_2m: 24.6, relative_humidity_2m: 81, weather_code: 80, wind_speed_10m: 11.4 },
  daily: {
    time: ['2099-01-01', '2099-01-02', '2099-01-03', '2099-01-04'],
    weather_code: [61, 95, 0, 2],
    temperature_2m_max: [29.6, 31.2, 32.0, 33.0],
    temperature_2m_min: [23.4, 24.0, 22.1, 20.0],
  },
});

const asked = [];
const provider = createServer((req, res) => {
  asked.push(req.url);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(FORECAST);
});
await new Promise((ok) => provider.listen(0, '127.0.0.1', ok));
provider.unref();
const providerPort = provider.address().port;

const portal = usePortal('links-server', {
  env: {
    EDUPORTAL_WEATHER__ENABLED: 'true',
    EDUPORTAL_WEATHER__URL: `http://127.0.0.1:${providerPort}/v1/forecast?latitude={lat}&longitude={lon}`,
    EDUPORTAL_COUNTERS__FLUSH_SECONDS: '1',
  },
});

/** Waits until the home page has its weather block (the background round fetched it). */
async function homeWithWeather(page) {
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    await page.goto('/');
    if (await page.locator('.weather-block').count()) return;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  assert.fail(`no weather block after 30 s; the provider was asked ${asked.length} times`);
}

test('the home page with the links and the weather passes axe, on a computer and a phone', { timeout: TEST_TIMEOUT }, async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
    await portal.withPage({ viewport, bypassCSP: true }, async (page) => {
      await homeWithWeather(page);
      const weather = page.locator('.weather-block');
      await weather.getByRole('heading', { name: 'Thời tiết' }).waitFor();
      assert.match(await weather.innerText(), /25 °C\s+Mưa rào nhẹ/);
      assert.match(await weather.innerText(), /Độ ẩm 81 % · Gió 11 km\/h/);
      const side = page.locator('aside section').filter({ has: page.getByRole('heading', { name: 'Liên kết website' }) });
      const moet = side.getByRole('link', { name: /Bộ Giáo dục và Đào tạo/ });
      assert.equal(await moet.getAttribute('target'), '_blank');
      assert.equal(await moet.getAttribute('rel'), 'noopener');
      assert.equal(await page.locator('.link-band img').count(), 4);
      const violations = await axeViolations(page, AUDIT_TAGS);
      assert.deepEqual(violations, [], describeViolations([[`home ${viewport.width} px`, violations]]));
    });
  }
  assert.ok(asked.some((u) => u.includes('latitude=10.253700&longitude=105.972200')), asked.join('\n'));
});

test('a school shows the department’s shared logos and its own link', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({}, async (page) => {
    await page.goto(`http://lqd.localhost:${portal.port}/`);
    const names = await page.locator('.links-side li span:not(.visually-hidden)').allInnerTexts();
    assert.deepEqual(
      names,
      [
        'Bộ Giáo dục và Đào tạo',
        'Cổng Dịch vụ công quốc gia',
        'Cơ sở dữ liệu ngành Giáo dục',
        'Ủy ban nhân dân tỉnh Bình An',
        'Sở Giáo dục và Đào tạo tỉnh Bình An',
      ],
    );
  }),
);

test('the back office of links and weather passes axe', { timeout: TEST_TIMEOUT }, () =>
  portal.withPage({ bypassCSP: true }, async (page) => {
    await logIn(page, portal.server.admin.username, portal.server.admin.password);
    const found = [];
    for (const path of ['/quan-tri/lien-ket', '/quan-tri/lien-ket/moi', '/quan-tri/thoi-tiet']) {
      const res = await page.goto(path);
      assert.equal(res.status(), 200, path);
      found.push([path, await axeViolations(page, AUDIT_TAGS)]);
    }
    assert.ok(found.every(([, v]) => v.length === 0), describeViolations(found));
    // The weather page says when each place was read.
    assert.match(await page.locator('table').innerText(), /Lấy lúc \d\d\/\d\d\/\d{4} \d\d:\d\d/);
  }),
);
