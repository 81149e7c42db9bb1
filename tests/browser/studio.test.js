/*
 * studio.test.js - MaiVid Studio in a real browser: Debian's chromium, headless, driven by
 * playwright-core, against the real maivid-server on 127.0.0.1 (ephemeral port) and a
 * loopback song server started here. Run by ctest (tests/cmake/browser.cmake):
 *   node --test tests/browser/studio.test.js   with MAIVID_SERVER_BIN, CHROMIUM set.
 * Covers: the whole flow on a short painter job (paste the link, submit, progress to 100%,
 * the video plays to its end with the song's duration, the download is the MP4, storyboard
 * thumbnails), an unusable model shown disabled with its reason, a bad link showing the
 * server's own error, SSE and the polling fallback (EventSource deleted by an init script)
 * with "make another with these settings", an upload, the jobs page, the API key asked once,
 * the phone layout (no horizontal scrolling, screenshot size) and --no-ui.
 */
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  throw new Error('playwright-core is not installed in tests/browser/node_modules: run scripts/install-deps.sh (npm ci there)');
}

const SERVER_BIN = process.env.MAIVID_SERVER_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT_DIR = process.env.MAIVID_BROWSER_OUT || fs.mkdtempSync(path.join(os.tmpdir(), 'maivid-browser-'));
fs.mkdirSync(OUT_DIR, { recursive: true });
const SONG_SECONDS = 2;

/* A short song: a tone with a click on every beat (120 BPM), 16-bit mono WAV. */
function makeWav(seconds) {
  const rate = 22050;
  const frames = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + frames * 2);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + frames * 2, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 2, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const beat = t % 0.5;
    let v = 0.25 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 330 * t);
    if (beat < 0.03) v += 0.6 * Math.sin(2 * Math.PI * 60 * t) * (1 - beat / 0.03);
    buf.writeInt16LE(Math.max(-32767, Math.min(32767, Math.round(v * 32767))), 44 + i * 2);
  }
  return buf;
}

function startSongServer(wav) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/song.wav') {
        res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length });
        res.end(wav);
      } else {
        res.writeHead(404); res.end();
      }
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/* Starts maivid-server on an ephemeral port; resolves { proc, base, dataDir }. */
function startMaivid(args) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maivid-studio-data-'));
  const proc = spawn(SERVER_BIN, ['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--workers', '1', ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('maivid-server did not start:\n' + log)), 15000);
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m && timer) { clearTimeout(timer); resolve({ proc, base: m[1], dataDir, log: () => log }); }
    });
    proc.on('exit', (code) => reject(new Error(`maivid-server exited (${code}):\n${log}`)));
  });
}

function stopMaivid(server) {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.proc.kill('SIGKILL'), 15000);
    server.proc.once('exit', () => { clearTimeout(kill); fs.rmSync(server.dataDir, { recursive: true, force: true }); resolve(); });
    server.proc.kill('SIGTERM');
  });
}

/* Width and height of a PNG from its IHDR chunk. */
function pngSize(file) {
  const b = fs.readFileSync(file);
  assert.strictEqual(b.toString('latin1', 1, 4), 'PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

let songServer, songUrl, maivid, browser;
const wav = makeWav(SONG_SECONDS);

before(async () => {
  assert.ok(SERVER_BIN && fs.existsSync(SERVER_BIN), 'MAIVID_SERVER_BIN must name the built maivid-server');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install-deps.sh (Debian package chromium)`);
  songServer = await startSongServer(wav);
  songUrl = `http://127.0.0.1:${songServer.address().port}/song.wav`;
  maivid = await startMaivid(['--allow-private-urls']);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'] });
});

after(async () => {
  if (browser) await browser.close();
  await stopMaivid(maivid);
  if (songServer) songServer.close();
});

/* page.waitForFunction evaluates a string, which the page's CSP forbids: poll evaluate(). */
async function waitFor(page, fn, arg, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await page.evaluate(fn, arg)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/* Fills the form for a short, small painter job. */
async function fillShortJob(page, url) {
  await page.getByLabel('Song link').fill(url);
  await page.getByLabel('Model').selectOption('procedural');
  await page.getByLabel('Resolution').selectOption('480p');
  await page.getByLabel('Auto (from the song)').uncheck();
  await page.getByLabel('Scenes', { exact: true }).fill('2');
}

/* Waits until the job the page shows (the one in its URL) has completed at 100%. */
async function waitDone(page, seconds) {
  const id = page.url().split('/').pop();
  await waitFor(page, (job) => document.getElementById('job-id').dataset.job === job &&
    document.getElementById('job-progress').value >= 100 &&
    document.getElementById('job-state').textContent === 'completed', id, seconds * 1000);
}

let firstJobId = null;

test('whole flow: link, live progress by SSE, storyboard, player to the end, MP4 download', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sse = [];
  page.on('response', (r) => { if (r.url().endsWith('/events')) sse.push(r.headers()['content-type']); });
  await page.goto(maivid.base + '/');
  await page.waitForSelector('#model option', { state: 'attached' });
  /* defaults come from the server: the spec's 16:9, fade, lines */
  assert.strictEqual(await page.getByLabel('Aspect ratio').inputValue(), '16:9');
  assert.strictEqual(await page.getByLabel('Transition').inputValue(), 'fade');
  assert.strictEqual(await page.getByLabel('Captions').inputValue(), 'lines');
  await fillShortJob(page, songUrl);
  await page.getByRole('button', { name: 'Make the video' }).click();
  await page.waitForURL(/#\/job\/job_/);
  firstJobId = page.url().split('/').pop();
  assert.strictEqual(await page.locator('#job-transport').getAttribute('data-mode'), 'sse');
  await waitDone(page, 150);
  assert.ok(sse.length >= 1 && sse[0].startsWith('text/event-stream'), 'the page used the event stream');
  assert.strictEqual(await page.locator('#job-percent').textContent(), '100%');
  assert.match(await page.locator('#job-scenes').textContent(), /Scene 2 of 2/);

  /* the storyboard: two cards with time ranges and their images */
  await waitFor(page, () => document.querySelectorAll('#storyboard img').length === 2 &&
    [...document.querySelectorAll('#storyboard img')].every((i) => i.complete && i.naturalWidth > 0), null, 20000);
  assert.match(await page.locator('#storyboard li').first().textContent(), /Scene 1: 0:00/);

  /* the player: the song's duration, and it plays to its end */
  const player = page.locator('#player');
  await waitFor(page, () => document.getElementById('player').readyState >= 1, null, 20000);
  const duration = await player.evaluate((v) => v.duration);
  assert.ok(Math.abs(duration - SONG_SECONDS) < 0.35, `video lasts ${duration} s, the song ${SONG_SECONDS} s`);
  const endedAt = await player.evaluate((v) => new Promise((resolve, reject) => {
    v.muted = true;
    v.addEventListener('ended', () => resolve(v.currentTime), { once: true });
    v.addEventListener('error', () => reject(new Error('media error ' + (v.error && v.error.code))), { once: true });
    v.play().catch(reject);
  }));
  assert.ok(Math.abs(endedAt - duration) < 0.2, `playback ended at ${endedAt} of ${duration}`);
  assert.match(await page.locator('#sync-report').textContent(), /^Sync: .*cuts? land on a beat/);

  /* the download is the MP4 */
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download MP4 video').click()]);
  assert.match(download.suggestedFilename(), /\.mp4$/);
  const saved = path.join(OUT_DIR, 'download.mp4');
  await download.saveAs(saved);
  const head = fs.readFileSync(saved).subarray(4, 8).toString('latin1');
  assert.strictEqual(head, 'ftyp');
  await page.screenshot({ path: path.join(OUT_DIR, 'desktop-job.png'), fullPage: true });
  assert.deepStrictEqual(errors, []);
  await context.close();
});

test('a song with lyrics: the player carries the caption track, the sidecars download', async () => {
  const reply = await (await fetch(maivid.base + '/api/convo_pilot/video', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: songUrl, model_type: 'procedural', resolution: '480p', fps: 12, scene_count: 1,
      lyrics: '[00:00.20] Hello harbour lights\n[00:01.60] Sing me home tonight' }) })).json();
  assert.ok(reply.success, JSON.stringify(reply));
  const page = await browser.newPage();
  await page.goto(`${maivid.base}/#/job/${reply.job_id}`);
  await waitDone(page, 150);
  await page.locator('#player track').waitFor({ state: 'attached', timeout: 20000 });
  await waitFor(page, () => {
    const t = document.querySelector('#player track');
    return t && t.track && t.track.cues && t.track.cues.length >= 2;
  }, null, 20000);
  const first = await page.evaluate(() => document.querySelector('#player track').track.cues[0].text);
  assert.match(first, /Hello harbour lights/);
  for (const ext of ['srt', 'vtt', 'lrc', 'ass']) {
    assert.strictEqual(await page.getByText(`Download Captions (.${ext})`).count(), 1);
  }
  assert.match(await page.locator('#sync-report').textContent(), /lyric lines are shown/);
  await page.close();
});

test('an unusable model is shown disabled with its reason', async () => {
  const page = await browser.newPage();
  await page.goto(maivid.base + '/');
  await page.waitForSelector('#model option', { state: 'attached' });
  const models = await (await fetch(maivid.base + '/api/convo_pilot/models')).json();
  const unusable = models.models.find((m) => !m.usable);
  assert.ok(unusable, 'without --comfyui the ComfyUI models are unusable');
  const option = page.locator(`#model option[value="${unusable.id}"]`);
  assert.strictEqual(await option.evaluate((o) => o.disabled), true);
  assert.ok((await option.textContent()).includes(unusable.unusable_reason));
  assert.ok((await page.locator('#model-note').textContent()).includes(unusable.unusable_reason));
  const usable = page.locator('#model option[value="procedural"]');
  assert.strictEqual(await usable.evaluate((o) => o.disabled), false);
  await page.close();
});

test('a bad link shows the server\'s own error', async () => {
  const page = await browser.newPage();
  await page.goto(maivid.base + '/');
  await page.waitForSelector('#model option', { state: 'attached' });
  const bad = 'not a link at all';
  const reply = await (await fetch(maivid.base + '/api/convo_pilot/video', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: bad }) })).json();
  assert.strictEqual(reply.success, false);
  await page.getByLabel('Song link').fill(bad);
  await page.getByRole('button', { name: 'Make the video' }).click();
  const alert = page.locator('#create-error');
  await alert.waitFor({ state: 'visible' });
  assert.strictEqual(await alert.textContent(), reply.error);
  assert.ok(!page.url().includes('#/job/'));
  await page.close();
});

test('polling fallback when EventSource is blocked, and "make another with these settings"', async () => {
  assert.ok(firstJobId, 'the whole-flow test made a job');
  const context = await browser.newContext();
  await context.addInitScript(() => { delete window.EventSource; });
  const page = await context.newPage();
  const seen = [];
  page.on('request', (r) => seen.push(r.url()));
  await page.goto(`${maivid.base}/#/job/${firstJobId}`);
  await waitDone(page, 20);
  assert.strictEqual(await page.locator('#job-transport').getAttribute('data-mode'), 'polling');
  await page.getByRole('button', { name: 'Make another with these settings' }).click();
  await page.waitForURL(/#\/$/);
  assert.strictEqual(await page.getByLabel('Song link').inputValue(), songUrl);
  assert.strictEqual(await page.getByLabel('Model').inputValue(), 'procedural');
  assert.strictEqual(await page.getByLabel('Resolution').inputValue(), '480p');
  assert.strictEqual(await page.getByLabel('Scenes', { exact: true }).inputValue(), '2');
  await page.getByLabel('Auto (from the song)').check(); /* auto picks few scenes for 3 s */
  await page.getByRole('button', { name: 'Make the video' }).click();
  await page.waitForURL(/#\/job\/job_/);
  assert.notStrictEqual(page.url().split('/').pop(), firstJobId);
  await waitDone(page, 150);
  assert.strictEqual(await page.locator('#job-transport').getAttribute('data-mode'), 'polling');
  assert.ok(!seen.some((u) => u.endsWith('/events')), 'no event stream was opened');
  await context.close();
});

test('an uploaded song makes a job; the jobs page lists, reopens and deletes', async () => {
  const file = path.join(OUT_DIR, 'upload.wav');
  fs.writeFileSync(file, wav);
  const page = await browser.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(maivid.base + '/');
  await page.waitForSelector('#model option', { state: 'attached' });
  await page.getByLabel('Model').selectOption('procedural');
  await page.getByLabel('Resolution').selectOption('480p');
  await page.getByLabel('Or upload an audio file').setInputFiles(file);
  await page.getByRole('button', { name: 'Make the video' }).click();
  await page.waitForURL(/#\/job\/job_/);
  const uploadJob = page.url().split('/').pop();
  await waitDone(page, 150);
  const status = await (await fetch(`${maivid.base}/api/convo_pilot/video/${uploadJob}`)).json();
  assert.strictEqual(status.job_status.song.source_kind, 'file');

  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.waitForSelector('#jobs li');
  assert.ok(await page.locator('#jobs li').count() >= 3);
  const row = page.locator('#jobs li', { has: page.locator(`a[href="#/job/${uploadJob}"]`) });
  assert.match(await row.textContent(), /completed · 100% · 0:02/);
  await waitFor(page, (id) => {
    const a = document.querySelector(`#jobs a[href="#/job/${id}"]`);
    const img = a && a.closest('li').querySelector('img');
    return img && img.complete && img.naturalWidth > 0;
  }, uploadJob, 10000);
  await row.getByRole('button', { name: /^Open / }).click();
  await page.waitForURL(new RegExp(`#/job/${uploadJob}$`));
  await waitDone(page, 10);
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.waitForSelector('#jobs li');
  await page.locator('#jobs li', { has: page.locator(`a[href="#/job/${uploadJob}"]`) })
    .getByRole('button', { name: /^Delete / }).click();
  await waitFor(page, (id) => !document.querySelector(`#jobs a[href="#/job/${id}"]`), uploadJob, 10000);
  const gone = await fetch(`${maivid.base}/api/convo_pilot/video/${uploadJob}`);
  assert.strictEqual(gone.status, 404);
  await page.close();
});

test('phone-sized layout: no horizontal scrolling, screenshots of the phone width', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const [name, hash] of [['form', '#/'], ['job', `#/job/${firstJobId}`], ['jobs', '#/jobs']]) {
    await page.goto(`${maivid.base}/${hash}`);
    await page.waitForSelector('#model option', { state: 'attached' });
    await page.waitForTimeout(500);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `${name}: page is ${widths.scroll} px wide on a ${widths.client} px screen`);
    const file = path.join(OUT_DIR, `phone-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const size = pngSize(file);
    assert.strictEqual(size.width, 390);
    assert.ok(size.height >= 844);
  }
  /* the controls are reachable by keyboard: Tab from the top reaches the song link */
  await page.goto(`${maivid.base}/#/`);
  await page.waitForSelector('#model option', { state: 'attached' });
  let focused = '';
  for (let i = 0; i < 6 && focused !== 'song-url'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  assert.strictEqual(focused, 'song-url');
  await context.close();
});

test('with --api-key the page asks for the key once and keeps it for the session', async () => {
  const keyed = await startMaivid(['--api-key', 'browser-test-key']);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(keyed.base + '/');
    await page.getByLabel('API key', { exact: true }).waitFor({ state: 'visible' });
    await page.getByLabel('API key', { exact: true }).fill('browser-test-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.waitForSelector('#model option', { state: 'attached' });
    assert.strictEqual(await page.locator('#key-panel').isHidden(), true);
    assert.strictEqual(await page.evaluate(() => sessionStorage.getItem('maivid.apiKey')), 'browser-test-key');
    await page.reload();
    await page.waitForSelector('#model option', { state: 'attached' });
    assert.strictEqual(await page.locator('#key-panel').isHidden(), true);
    /* an upload with the key, live by the event stream read with fetch (EventSource sends
       no headers), and the video fetched with the key */
    const file = path.join(OUT_DIR, 'keyed.wav');
    fs.writeFileSync(file, wav);
    await page.getByLabel('Model').selectOption('procedural');
    await page.getByLabel('Resolution').selectOption('480p');
    await page.getByLabel('Or upload an audio file').setInputFiles(file);
    await page.getByRole('button', { name: 'Make the video' }).click();
    await page.waitForURL(/#\/job\/job_/);
    assert.strictEqual(await page.locator('#job-transport').getAttribute('data-mode'), 'sse-fetch');
    await waitDone(page, 150);
    await waitFor(page, () => document.getElementById('player').readyState >= 1, null, 20000);
    const duration = await page.locator('#player').evaluate((v) => v.duration);
    assert.ok(Math.abs(duration - SONG_SECONDS) < 0.35, `video lasts ${duration} s`);
    assert.strictEqual(await page.locator('#key-panel').isHidden(), true);
    await context.close();
  } finally {
    await stopMaivid(keyed);
  }
});

test('--no-ui: no page at /, the API stays', async () => {
  const bare = await startMaivid(['--no-ui']);
  try {
    const page = await browser.newPage();
    const response = await page.goto(bare.base + '/');
    assert.strictEqual(response.status(), 404);
    assert.strictEqual((await fetch(bare.base + '/api/health')).status, 200);
    await page.close();
  } finally {
    await stopMaivid(bare);
  }
});
