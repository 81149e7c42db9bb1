/* MaiVid Studio: the form, the live job view and the jobs list, on the public API only.
   Choices and defaults come from the server (catalogs and the OpenAPI create schema, which
   is built from the parameter table); live updates come by Server-Sent Events, or by polling
   when EventSource is missing, fails, or a key must be sent (EventSource sends no headers).
   The API key, when the server asks for one (401), is kept in sessionStorage. */
'use strict';

const API = '/api/convo_pilot';
const KEY_STORE = 'maivid.apiKey';
const $ = (id) => document.getElementById(id);
const state = { schema: null, models: [], styles: [], watch: null, job: null, blobs: [] };

/* ------------------------------------------------------------------ API access */

function apiKey() { return sessionStorage.getItem(KEY_STORE) || ''; }

class ApiError extends Error {
  constructor(status, message, field) { super(message); this.status = status; this.field = field; }
}

let keyWaiters = [];
function askForKey() {
  $('key-panel').hidden = false;
  $('api-key').focus();
  return new Promise((resolve) => keyWaiters.push(resolve));
}

/* fetch with the key; on 401 asks for it once and retries. Returns the Response. */
async function api(path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = Object.assign({}, options.headers || {});
    if (apiKey()) headers['X-API-Key'] = apiKey();
    let response;
    try {
      response = await fetch(path, Object.assign({}, options, { headers }));
    } catch (e) {
      throw new ApiError(0, 'The server cannot be reached: ' + e.message);
    }
    if (response.status === 401 && attempt < 3) {
      if (apiKey()) sessionStorage.removeItem(KEY_STORE);
      await askForKey();
      continue;
    }
    return response;
  }
}

/* JSON call: the parsed body, or an ApiError with the server's own message. */
async function apiJson(path, options) {
  const response = await api(path, options);
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok || !body || body.success === false) {
    const message = body && body.error ? body.error : `HTTP ${response.status} from ${path}`;
    throw new ApiError(response.status, message, body && body.field);
  }
  return body;
}

/* A URL an <img>, <video> or download link can use: the API URL itself when no key is
   needed, else a blob: URL of the file fetched with the key. */
async function mediaUrl(path) {
  if (!apiKey()) return path;
  const response = await api(path);
  if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status} for ${path}`);
  const url = URL.createObjectURL(await response.blob());
  state.blobs.push(url);
  return url;
}

function showError(element, error) {
  element.textContent = error ? (error.message || String(error)) : '';
  element.hidden = !error;
}

/* ------------------------------------------------------------------ the form */

function option(select, value, text, disabled) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  if (disabled) o.disabled = true;
  select.appendChild(o);
  return o;
}

function schemaProp(name) {
  return (state.schema && state.schema.properties && state.schema.properties[name]) || {};
}

function swatch(colours, big) {
  const s = document.createElement('span');
  s.className = big ? 'swatch big' : 'swatch';
  for (const c of colours || []) {
    const band = document.createElement('span');
    band.style.background = c;
    s.appendChild(band);
  }
  return s;
}

function fillChoices(select, entries, schemaName, extra) {
  select.textContent = '';
  for (const e of entries) option(select, e.id, e.name ? `${e.name}` : e.id);
  for (const id of extra || []) if (!entries.some((e) => e.id === id)) option(select, id, id === 'auto' ? 'Auto' : id);
  const def = schemaProp(schemaName).default;
  if (def !== undefined) select.value = String(def);
}

function updateStylePreview() {
  const style = state.styles.find((s) => s.id === $('style').value);
  const preview = $('style-preview');
  preview.replaceWith(Object.assign(swatch(style && style.palette, true), { id: 'style-preview' }));
  for (const b of $('style-swatches').children) b.setAttribute('aria-pressed', String(b.dataset.id === $('style').value));
}

function updateModelNote() {
  const unusable = state.models.filter((m) => !m.usable);
  const chosen = state.models.find((m) => m.id === $('model').value);
  let text = chosen && chosen.description ? chosen.description + '. ' : '';
  const byReason = new Map(); /* one sentence per reason: several models often share one */
  for (const m of unusable) {
    const reason = m.unusable_reason || 'not usable here';
    byReason.set(reason, (byReason.get(reason) || []).concat(m.name));
  }
  for (const [reason, names] of byReason) text += `Not available: ${names.join(', ')}: ${reason}. `;
  $('model-note').textContent = text;
}

async function loadForm() {
  const [openapi, models, styles, aspects, transitions] = await Promise.all([
    apiJson('/api/openapi.json'), apiJson(`${API}/models`), apiJson(`${API}/styles`),
    apiJson(`${API}/aspect_ratios`), apiJson(`${API}/transitions`)]);
  state.schema = openapi.components.schemas.CreateRequest;
  state.models = models.models;
  state.styles = styles.styles;

  const model = $('model');
  model.textContent = '';
  for (const m of state.models) {
    const text = m.usable ? `${m.name} (${m.speed}, ${m.quality})` : `${m.name}: unavailable: ${m.unusable_reason || 'not usable here'}`;
    option(model, m.id, text, !m.usable);
  }
  const modelDefault = schemaProp('model_type').default;
  const preferred = state.models.find((m) => m.id === modelDefault && m.usable) || state.models.find((m) => m.usable);
  if (preferred) model.value = preferred.id;

  fillChoices($('style'), state.styles, 'style');
  const row = $('style-swatches');
  row.textContent = '';
  for (const s of state.styles) {
    const b = document.createElement('button');
    b.type = 'button';
    b.tabIndex = -1; /* the select is the control; these only preview and pick */
    b.dataset.id = s.id;
    b.title = s.name;
    b.appendChild(swatch(s.palette));
    b.appendChild(document.createTextNode(s.name));
    b.addEventListener('click', () => { $('style').value = s.id; updateStylePreview(); });
    row.appendChild(b);
  }
  fillChoices($('aspect'), aspects.aspect_ratios.map((a) => ({ id: a.id, name: `${a.id} ${a.name || ''}`.trim() })), 'aspect_ratio');
  fillChoices($('transition'), transitions.transitions, 'transition_type', schemaProp('transition_type').enum);
  fillChoices($('resolution'), (schemaProp('resolution').enum || []).map((id) => ({ id, name: id })), 'resolution');
  fillChoices($('captions'), (schemaProp('captions').enum || []).map((id) => ({ id, name: id[0].toUpperCase() + id.slice(1) })), 'captions');
  const scenes = schemaProp('scene_count');
  $('scenes').value = scenes.default > 0 ? scenes.default : 8;
  $('scenes-auto').checked = !(scenes.default > 0);
  $('scenes').disabled = $('scenes-auto').checked;
  const react = schemaProp('reactivity');
  $('reactivity').value = react.default !== undefined ? react.default : 0.5;
  $('reactivity-value').textContent = $('reactivity').value;
  updateStylePreview();
  updateModelNote();
}

function formSettings() {
  const s = {
    model_type: $('model').value, style: $('style').value, aspect_ratio: $('aspect').value,
    resolution: $('resolution').value, transition_type: $('transition').value,
    captions: $('captions').value, reactivity: Number($('reactivity').value),
  };
  if (!$('scenes-auto').checked) s.scene_count = Number($('scenes').value);
  return s;
}

/* "Make another with these settings": the form takes a job's settings. */
function applySettings(settings) {
  const set = (id, value) => { if (value !== null && value !== undefined) $(id).value = String(value); };
  set('song-url', settings.url);
  set('model', settings.model_type);
  set('style', settings.style);
  set('aspect', settings.aspect_ratio);
  set('resolution', settings.resolution);
  set('transition', settings.transition_type);
  set('captions', settings.captions);
  set('reactivity', settings.reactivity);
  $('reactivity-value').textContent = $('reactivity').value;
  const auto = !settings.scene_count;
  $('scenes-auto').checked = auto;
  $('scenes').disabled = auto;
  if (!auto) $('scenes').value = settings.scene_count;
  updateStylePreview();
  updateModelNote();
}

async function submitForm(event) {
  event.preventDefault();
  showError($('create-error'), null);
  const url = $('song-url').value.trim();
  const file = $('song-file').files[0];
  const settings = formSettings();
  if (!url && !file) {
    showError($('create-error'), new Error('Paste a song link or choose an audio file first.'));
    $('song-url').focus();
    return;
  }
  $('make').disabled = true;
  try {
    let reply;
    if (file) {
      const form = new FormData();
      for (const [k, v] of Object.entries(settings)) form.append(k, String(v));
      form.append('file', file, file.name);
      reply = await apiJson(`${API}/upload`, { method: 'POST', body: form });
    } else {
      reply = await apiJson(`${API}/video`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(Object.assign({ url }, settings)) });
    }
    location.hash = `#/job/${reply.job_id}`;
  } catch (e) {
    showError($('create-error'), e);
    if (e.field === 'url') $('song-url').focus();
  } finally {
    $('make').disabled = false;
  }
}

/* ------------------------------------------------------------------ the job view */

function stopWatching() {
  if (state.watch) state.watch();
  state.watch = null;
}

function fmtTime(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function ended(status) { return ['completed', 'failed', 'cancelled'].includes(status); }

/* Live updates: SSE when possible, else polling every second; calls render(job). */
function watchJob(id, render) {
  stopWatching();
  let stopped = false;
  let timer = null;
  let source = null;
  const transport = $('job-transport');
  const poll = async () => {
    if (stopped) return;
    try {
      const body = await apiJson(`${API}/video/${id}`);
      render(body.job_status);
      if (ended(body.job_status.status)) return;
    } catch (e) {
      showError($('job-error'), e);
      if (e.status === 404) return;
    }
    timer = setTimeout(poll, 1000);
  };
  const startPolling = () => {
    transport.textContent = 'Live updates: polling every second';
    transport.dataset.mode = 'polling';
    poll();
  };
  const controller = new AbortController();
  if (typeof window.EventSource === 'function' && apiKey()) {
    /* EventSource cannot send the key: read the same stream with fetch */
    transport.textContent = 'Live updates: server-sent events';
    transport.dataset.mode = 'sse-fetch';
    streamWithKey(id, render, controller.signal).catch(() => { if (!stopped) startPolling(); });
  } else if (typeof window.EventSource === 'function') {
    source = new EventSource(`${API}/video/${id}/events`);
    transport.textContent = 'Live updates: server-sent events';
    transport.dataset.mode = 'sse';
    let got = false;
    source.addEventListener('status', (e) => {
      got = true;
      const body = JSON.parse(e.data);
      render(body.job_status);
      if (ended(body.job_status.status)) { source.close(); source = null; }
    });
    source.addEventListener('gone', () => { if (source) source.close(); source = null; });
    source.onerror = () => {
      /* before any event: SSE is blocked on the way (a proxy); poll instead. After events the
         browser reconnects by itself with Last-Event-ID. */
      if (!got && source) { source.close(); source = null; startPolling(); }
    };
  } else {
    startPolling();
  }
  state.watch = () => {
    stopped = true;
    controller.abort();
    if (timer) clearTimeout(timer);
    if (source) source.close();
  };
}

/* The event stream read with fetch (so it carries the key): the same events, reconnecting
   with Last-Event-ID until the job has ended. Throws when the stream cannot be had. */
async function streamWithKey(id, render, signal) {
  let last = '';
  for (;;) {
    const headers = { 'X-API-Key': apiKey() };
    if (last) headers['Last-Event-ID'] = last;
    const response = await fetch(`${API}/video/${id}/events`, { headers, signal });
    if (response.status === 204) return;
    if (!response.ok || !response.body) throw new ApiError(response.status, 'no event stream');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) last = line.slice(4);
          else if (line.startsWith('event: ')) type = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (type === 'gone') return;
        if (type === 'status' && data) {
          const body = JSON.parse(data);
          render(body.job_status);
          if (ended(body.job_status.status)) return;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); /* as retry: says */
  }
}

function renderCards(job) {
  const list = $('storyboard');
  const scenes = job.scenes || [];
  $('storyboard-empty').hidden = scenes.length > 0;
  while (list.children.length > scenes.length) list.lastChild.remove();
  scenes.forEach((scene, i) => {
    let card = list.children[i];
    if (!card) {
      card = document.createElement('li');
      card.innerHTML = '<div class="thumb">waiting for the image</div><div class="body">' +
        '<div class="time"></div><div class="lyric"></div><div class="prompt"></div></div>';
      list.appendChild(card);
    }
    card.querySelector('.time').textContent = `Scene ${i + 1}: ${fmtTime(scene.start)}–${fmtTime(scene.end)}`;
    card.querySelector('.lyric').textContent = scene.lyrics || '(instrumental)';
    card.querySelector('.prompt').textContent = scene.prompt || '';
    const thumb = card.querySelector('.thumb');
    if (scene.state === 'done' && !thumb.dataset.loaded) {
      thumb.dataset.loaded = '1';
      mediaUrl(`${API}/video/${job.job_id}/scenes?n=${i + 1}`).then((src) => {
        const img = document.createElement('img');
        img.alt = `Scene ${i + 1} image`;
        img.src = src;
        thumb.textContent = '';
        thumb.appendChild(img);
      }).catch(() => { thumb.dataset.loaded = ''; });
    }
  });
}

function syncSentence(sync) {
  if (!sync) return '';
  const parts = [];
  if (sync.cuts > 0) parts.push(`${sync.cuts_on_beat} of ${sync.cuts} cuts land on a beat (${Math.round(sync.cuts_on_beat_share * 100)}%)`);
  parts.push(`sound and picture differ by ${Math.round((sync.av_difference_seconds || 0) * 1000)} ms`);
  if (sync.lines_total > 0) parts.push(`${sync.lines_shown} of ${sync.lines_total} lyric lines are shown as ${sync.caption_mode} captions (timing from ${sync.caption_source})`);
  else parts.push('no lyric captions');
  return 'Sync: ' + parts.join('; ') + '.';
}

async function renderResult(job) {
  const result = $('result');
  if (result.dataset.job === job.job_id) return;
  result.dataset.job = job.job_id;
  result.hidden = false;
  const player = $('player');
  player.textContent = '';
  const base = `${API}/video/${job.job_id}`;
  player.src = await mediaUrl(`${base}/file`);
  const hasCaptions = job.lyrics_timing && job.lyrics_timing.lines > 0;
  if (hasCaptions) {
    const track = document.createElement('track');
    track.kind = 'captions';
    track.label = 'Lyrics';
    track.srclang = 'en';
    track.default = true;
    track.src = await mediaUrl(`${base}/captions.vtt`);
    player.appendChild(track);
  }
  $('sync-report').textContent = syncSentence(job.sync);
  const downloads = $('downloads');
  downloads.textContent = '';
  const files = [['MP4 video', `${base}/file`, `${job.job_id}.mp4`], ['Thumbnail (JPEG)', `${base}/thumbnail`, `${job.job_id}.jpg`]];
  if (hasCaptions) {
    for (const ext of ['srt', 'vtt', 'lrc', 'ass']) files.push([`Captions (.${ext})`, `${base}/captions.${ext}`, `${job.job_id}.${ext}`]);
  }
  for (const [label, path, name] of files) {
    const a = document.createElement('a');
    a.textContent = `Download ${label}`;
    a.download = name;
    a.href = apiKey() ? '#' : path;
    if (apiKey()) a.addEventListener('click', async (e) => { if (a.href.endsWith('#')) { e.preventDefault(); a.href = await mediaUrl(path); a.click(); } });
    downloads.appendChild(a);
  }
}

function renderJob(job) {
  if (job.job_id !== $('job-id').dataset.job) return; /* a late reply for a job left behind */
  state.job = job;
  $('job-title').textContent = job.video_title || (job.song && job.song.title) || 'Your video';
  $('job-id').textContent = `Job ${job.job_id}`;
  const badge = $('job-state');
  badge.textContent = job.status;
  badge.className = `badge ${job.status}`;
  const stage = job.status === 'queued' && job.queue_position > 0
    ? `waiting in the queue (position ${job.queue_position})` : (job.current_stage || '');
  $('job-stage').textContent = stage.toLowerCase() === job.status ? '' : stage;
  $('job-scenes').textContent = job.total_scenes > 0
    ? `Scene ${Math.min(job.processed_scenes + (job.stage_name === 'scene_generation' && job.processed_scenes < job.total_scenes ? 1 : 0), job.total_scenes)} of ${job.total_scenes}` : '';
  const percent = Math.round(job.overall_progress || 0);
  $('job-progress').value = percent;
  $('job-percent').textContent = `${percent}%`;
  $('job-eta').textContent = !ended(job.status) && job.eta_seconds > 0 ? `About ${fmtTime(job.eta_seconds)} left` : '';
  $('job-cancel').hidden = ended(job.status);
  if (job.status === 'failed' || job.status === 'cancelled') {
    showError($('job-error'), new Error(job.error || `The job was ${job.status}.`));
  } else {
    showError($('job-error'), null);
  }
  const warnings = $('job-warnings');
  warnings.textContent = '';
  for (const w of job.warnings || []) {
    const li = document.createElement('li');
    li.textContent = typeof w === 'string' ? w : (w.message || JSON.stringify(w));
    warnings.appendChild(li);
  }
  renderCards(job);
  if (job.status === 'completed') renderResult(job).catch((e) => showError($('job-error'), e));
}

function openJob(id) {
  $('result').hidden = true;
  $('result').dataset.job = '';
  $('player').removeAttribute('src');
  $('storyboard').textContent = '';
  $('job-warnings').textContent = '';
  showError($('job-error'), null);
  $('job-title').textContent = 'Loading…';
  $('job-id').textContent = `Job ${id}`;
  $('job-id').dataset.job = id;
  $('job-state').textContent = '';
  $('job-state').className = 'badge';
  $('job-stage').textContent = '';
  $('job-scenes').textContent = '';
  $('job-progress').value = 0;
  $('job-percent').textContent = '';
  $('job-eta').textContent = '';
  state.job = null;
  watchJob(id, renderJob);
}

/* ------------------------------------------------------------------ the jobs page */

async function loadJobs() {
  const list = $('jobs');
  list.textContent = '';
  let body;
  try {
    body = await apiJson(`${API}/videos?limit=50`);
  } catch (e) {
    showError($('page-error'), e);
    return;
  }
  $('jobs-empty').hidden = body.jobs.length > 0;
  for (const job of body.jobs) {
    const li = document.createElement('li');
    const thumb = document.createElement('img');
    thumb.className = 'thumb';
    thumb.alt = '';
    if (job.status === 'completed') mediaUrl(`${API}/video/${job.job_id}/thumbnail`).then((src) => { thumb.src = src; }).catch(() => {});
    const info = document.createElement('div');
    info.className = 'info';
    const title = document.createElement('a');
    title.href = `#/job/${job.job_id}`;
    title.textContent = job.video_title || job.job_id;
    const meta = document.createElement('div');
    meta.className = 'note';
    const duration = job.duration > 0 ? ` · ${fmtTime(job.duration)}` : '';
    const t = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})/.exec(job.creation_time || '');
    const created = t ? ` · ${t[1]}-${t[2]}-${t[3]} ${t[4]}:${t[5]} UTC` : '';
    meta.textContent = `${job.status} · ${Math.round(job.overall_progress)}%${duration}${created}`;
    info.append(title, meta);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = 'Open';
    open.setAttribute('aria-label', `Open ${title.textContent}`);
    open.addEventListener('click', () => { location.hash = `#/job/${job.job_id}`; });
    buttons.appendChild(open);
    if (!ended(job.status)) {
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.textContent = 'Cancel';
      cancel.setAttribute('aria-label', `Cancel ${title.textContent}`);
      cancel.addEventListener('click', async () => {
        try { await apiJson(`${API}/video/${job.job_id}/cancel`, { method: 'POST' }); } catch (e) { showError($('page-error'), e); }
        loadJobs();
      });
      buttons.appendChild(cancel);
    }
    const del = document.createElement('button');
    del.type = 'button';
    del.textContent = 'Delete';
    del.setAttribute('aria-label', `Delete ${title.textContent}`);
    del.addEventListener('click', async () => {
      if (!confirm(`Delete ${title.textContent} and its files?`)) return;
      try { await apiJson(`${API}/video/${job.job_id}?purge=true`, { method: 'DELETE' }); } catch (e) { showError($('page-error'), e); }
      loadJobs();
    });
    buttons.appendChild(del);
    li.append(thumb, info, buttons);
    list.appendChild(li);
  }
}

/* ------------------------------------------------------------------ pages */

function route() {
  stopWatching();
  for (const url of state.blobs.splice(0)) URL.revokeObjectURL(url);
  showError($('page-error'), null);
  const hash = location.hash || '#/';
  const job = hash.match(/^#\/job\/([A-Za-z0-9_]+)$/);
  $('create-page').hidden = !(hash === '#/' || hash === '#');
  $('job-page').hidden = !job;
  $('jobs-page').hidden = hash !== '#/jobs';
  if (job) openJob(job[1]);
  if (hash === '#/jobs') loadJobs();
  if (!$('create-page').hidden && $('create-page').dataset.again) {
    applySettings(JSON.parse($('create-page').dataset.again));
    delete $('create-page').dataset.again;
  }
}

function init() {
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY_STORE, $('api-key').value);
    $('api-key').value = '';
    $('key-panel').hidden = true;
    for (const resolve of keyWaiters.splice(0)) resolve();
  });
  $('create-form').addEventListener('submit', submitForm);
  $('style').addEventListener('change', updateStylePreview);
  $('model').addEventListener('change', updateModelNote);
  $('scenes-auto').addEventListener('change', () => { $('scenes').disabled = $('scenes-auto').checked; });
  $('reactivity').addEventListener('input', () => { $('reactivity-value').textContent = $('reactivity').value; });
  $('song-file').addEventListener('change', () => { if ($('song-file').files.length) $('song-url').value = ''; });
  $('job-cancel').addEventListener('click', async () => {
    if (!state.job) return;
    try { await apiJson(`${API}/video/${state.job.job_id}/cancel`, { method: 'POST' }); } catch (e) { showError($('job-error'), e); }
  });
  $('job-again').addEventListener('click', () => {
    if (!state.job || !state.job.settings) return;
    $('create-page').dataset.again = JSON.stringify(state.job.settings);
    location.hash = '#/';
  });
  window.addEventListener('hashchange', route);
  loadForm().then(route).catch((e) => { showError($('page-error'), e); route(); });
}

document.addEventListener('DOMContentLoaded', init);
