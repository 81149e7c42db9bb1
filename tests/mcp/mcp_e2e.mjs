// mcp_e2e.mjs - drives maivid-server's /mcp endpoint with the official MCP TypeScript SDK
// client over loopback (started by tests/e2e/mcp_sdk.c, which gives MAIVID_MCP_URL, the API
// key and a fixture song URL): the API key is required, initialize negotiates the revision,
// tools/list has every tool with schemas generated from the parameter table (the same fields
// as the OpenAPI create request), the catalogs, a bad argument comes back as a tool error
// naming the field, an unknown tool as a JSON-RPC error, a short painter video polled to
// completion, another one followed with progress notifications, cancel, and the transport's
// rules (session header, unknown session 404, GET 405, DELETE, Origin 403, batches, bad JSON).
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.env.MAIVID_MCP_URL);
const key = process.env.MAIVID_MCP_KEY;
const songUrl = process.env.MAIVID_MCP_SONG_URL;
const auth = { Authorization: `Bearer ${key}` };
const TOOLS = ['cancel_video', 'create_video_from_url', 'get_video_status', 'list_models',
  'list_styles'];
// a short painter video: the built-in procedural illustrator, 480p, 12 fps, 2 scenes
const SHORT_VIDEO = { url: songUrl, model_type: 'procedural', resolution: '480p', fps: 12,
  scene_count: 2, transition_duration: 0.5, captions: 'off' };

const deadline = setTimeout(() => {
  console.error('mcp_e2e: took more than 150 s');
  process.exit(1);
}, 150000);

function log(line) {
  console.log(`mcp_e2e: ${line}`);
}

async function connect(headers) {
  const client = new Client({ name: 'maivid-mcp-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

async function rawPost(body, headers = {}) {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream', ...auth, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await reply.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: reply.status, headers: reply.headers, json, text };
}

async function checkAuth() {
  await assert.rejects(connect({}), (error) => /401|Unauthorized|API key/i.test(String(error)),
    'initialize without the API key must fail with 401');
  const wrong = await rawPost({ jsonrpc: '2.0', id: 1, method: 'ping' },
    { Authorization: 'Bearer wrong-key' });
  assert.equal(wrong.status, 401);
  log('the API key is required');
}

async function checkTools(client) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object', `${tool.name} inputSchema`);
    assert.equal(tool.outputSchema.type, 'object', `${tool.name} outputSchema`);
    assert.ok(tool.description.length > 10, `${tool.name} description`);
    assert.ok(tool.outputSchema.properties.success, `${tool.name} outputSchema.success`);
  }
  const create = tools.find((t) => t.name === 'create_video_from_url');
  const openapi = await (await fetch(new URL('/api/openapi.json', url))).json();
  const request = openapi.components.schemas.CreateRequest;
  // the same fields as the API's create request (both come from MAIVID_JOB_PARAMS)
  assert.deepEqual(Object.keys(create.inputSchema.properties).sort(),
    [...Object.keys(request.properties), 'wait_seconds'].sort());
  assert.deepEqual(create.inputSchema.required, ['url']);
  const fps = create.inputSchema.properties.fps;
  assert.equal(fps.minimum, 12);
  assert.equal(fps.maximum, 60);
  assert.deepEqual(fps.type, ['integer', 'null']); // OpenAPI's nullable as JSON Schema
  assert.ok(create.inputSchema.properties.style.enum.includes('cinematic'));
  assert.equal(create.inputSchema.properties.model_type.default, request.properties.model_type.default);
  assert.ok(openapi.paths['/mcp'].post, 'OpenAPI documents /mcp');
  const status = tools.find((t) => t.name === 'get_video_status');
  assert.deepEqual(status.inputSchema.required, ['job_id']);
  assert.ok(status.inputSchema.properties.job_id.pattern);
  assert.ok(status.outputSchema.properties.job_status.properties.overall_progress);
  log(`tools/list: ${tools.length} tools, create takes ${Object.keys(request.properties).length} API fields`);
}

async function checkCatalogs(client) {
  const models = await client.callTool({ name: 'list_models', arguments: {} });
  assert.equal(models.isError, false);
  const painter = models.structuredContent.models.find((m) => m.id === 'procedural');
  assert.equal(painter.usable, true);
  assert.match(models.content[0].text, /procedural/);
  const styles = await client.callTool({ name: 'list_styles', arguments: {} });
  assert.ok(styles.structuredContent.styles.some((s) => s.id === 'cinematic'));
  log(`catalogs: ${models.content[0].text}`);
}

async function checkBadArguments(client) {
  const fps = await client.callTool({ name: 'create_video_from_url',
    arguments: { ...SHORT_VIDEO, fps: 500 } });
  assert.equal(fps.isError, true);
  assert.equal(fps.structuredContent.field, 'fps');
  assert.equal(fps.structuredContent.success, false);
  assert.match(fps.content[0].text, /fps/);
  const style = await client.callTool({ name: 'create_video_from_url',
    arguments: { ...SHORT_VIDEO, style: 'no_such_style' } });
  assert.equal(style.isError, true);
  assert.match(style.content[0].text, /style/);
  const noUrl = await client.callTool({ name: 'create_video_from_url', arguments: {} });
  assert.equal(noUrl.isError, true);
  assert.equal(noUrl.structuredContent.field, 'url');
  const badId = await client.callTool({ name: 'get_video_status', arguments: { job_id: 'nope' } });
  assert.equal(badId.isError, true);
  assert.equal(badId.structuredContent.field, 'job_id');
  const wait = await client.callTool({ name: 'get_video_status',
    arguments: { job_id: 'job_20250516_123456_abcdef12', wait_seconds: 9999 } });
  assert.equal(wait.structuredContent.field, 'wait_seconds');
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }),
    (error) => error.code === -32602 && /unknown tool/.test(error.message));
  log(`a bad argument is a tool error naming it: ${fps.content[0].text}`);
}

async function pollVideo(client) {
  const created = await client.callTool({ name: 'create_video_from_url', arguments: SHORT_VIDEO });
  assert.equal(created.isError, false, created.content[0].text);
  const jobId = created.structuredContent.job_id;
  assert.match(jobId, /^job_\d{8}_\d{6}_[0-9a-f]{8}$/);
  assert.equal(created.structuredContent.job_info.settings.model_type, 'procedural');
  let result;
  const states = new Set();
  const until = Date.now() + 90000;
  for (;;) {
    result = await client.callTool({ name: 'get_video_status', arguments: { job_id: jobId } });
    assert.equal(result.isError, false);
    const state = result.structuredContent.job_status.status;
    states.add(state);
    if (!['queued', 'running'].includes(state) || Date.now() > until) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const status = result.structuredContent.job_status;
  assert.equal(status.status, 'completed', JSON.stringify(status));
  assert.equal(status.overall_progress, 100);
  assert.match(result.content[0].text, /is done/);
  assert.ok(status.video_url.endsWith(`/api/convo_pilot/video/${jobId}/file`));
  const video = await fetch(status.video_url, { headers: auth });
  assert.equal(video.status, 200);
  assert.equal(video.headers.get('content-type'), 'video/mp4');
  assert.ok((await video.arrayBuffer()).byteLength > 1000);
  // waiting on an ended job answers at once, with its one (final) progress notification
  const seen = [];
  const started = Date.now();
  const again = await client.callTool(
    { name: 'get_video_status', arguments: { job_id: jobId, wait_seconds: 60 } }, undefined,
    { onprogress: (p) => seen.push(p.progress) });
  assert.equal(again.structuredContent.job_status.status, 'completed');
  assert.deepEqual(seen, [100]);
  assert.ok(Date.now() - started < 10000);
  const cancel = await client.callTool({ name: 'cancel_video', arguments: { job_id: jobId } });
  assert.equal(cancel.isError, false);
  assert.equal(cancel.structuredContent.status, 'completed');
  assert.match(cancel.content[0].text, /nothing to cancel/);
  log(`polled ${jobId} to completion through ${[...states].join(', ')}: ${result.content[0].text}`);
}

async function followWithProgress(client) {
  const progress = [];
  const result = await client.callTool(
    { name: 'create_video_from_url', arguments: { ...SHORT_VIDEO, wait_seconds: 90 } },
    undefined,
    { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 100000 });
  assert.equal(result.isError, false, result.content[0].text);
  const status = result.structuredContent.job_status;
  assert.equal(status.status, 'completed', JSON.stringify(status));
  assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i].progress > progress[i - 1].progress, 'progress only grows');
  }
  assert.equal(progress[progress.length - 1].progress, 100);
  assert.ok(progress.every((p) => p.total === 100 && typeof p.message === 'string'));
  log(`followed ${status.job_id} with ${progress.length} progress notifications ` +
    `(${progress.map((p) => Math.round(p.progress)).join(' ')})`);
}

async function checkTransport(transport) {
  const sessionId = transport.sessionId;
  assert.match(sessionId, /^[0-9a-f]{32}$/);
  assert.equal(transport.protocolVersion, '2025-06-18');
  const ping = { jsonrpc: '2.0', id: 7, method: 'ping' };
  const noSession = await rawPost(ping);
  assert.equal(noSession.status, 400);
  assert.match(noSession.json.error.message, /Mcp-Session-Id/);
  const unknown = await rawPost(ping, { 'Mcp-Session-Id': 'f'.repeat(32) });
  assert.equal(unknown.status, 404);
  const ok = await rawPost(ping, { 'Mcp-Session-Id': sessionId,
    'MCP-Protocol-Version': '2025-06-18' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json, { jsonrpc: '2.0', id: 7, result: {} });
  const badVersion = await rawPost(ping, { 'Mcp-Session-Id': sessionId,
    'MCP-Protocol-Version': '1999-01-01' });
  assert.equal(badVersion.status, 400);
  const unknownMethod = await rawPost({ jsonrpc: '2.0', id: 8, method: 'resources/list' },
    { 'Mcp-Session-Id': sessionId });
  assert.equal(unknownMethod.json.error.code, -32601);
  const notJson = await rawPost('{"jsonrpc":', { 'Mcp-Session-Id': sessionId });
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.error.code, -32700);
  const batch = await rawPost([ping], { 'Mcp-Session-Id': sessionId });
  assert.equal(batch.status, 400);
  assert.equal(batch.json.error.code, -32600);
  const notification = await rawPost({ jsonrpc: '2.0', method: 'notifications/initialized' },
    { 'Mcp-Session-Id': sessionId });
  assert.equal(notification.status, 202);
  const evil = await rawPost(ping, { 'Mcp-Session-Id': sessionId,
    Origin: 'http://evil.example' });
  assert.equal(evil.status, 403);
  const local = await rawPost(ping, { 'Mcp-Session-Id': sessionId,
    Origin: 'http://localhost:3000' });
  assert.equal(local.status, 200);
  const get = await fetch(url, { headers: { Accept: 'text/event-stream', ...auth,
    'Mcp-Session-Id': sessionId } });
  assert.equal(get.status, 405);
  await transport.terminateSession(); // DELETE /mcp
  const ended = await rawPost(ping, { 'Mcp-Session-Id': sessionId });
  assert.equal(ended.status, 404);
  log('transport: session header required, unknown 404, GET 405, Origin checked, DELETE ends it');
}

try {
  await checkAuth();
  const { client, transport } = await connect(auth);
  assert.equal(client.getServerVersion().name, 'maivid-server');
  assert.ok(client.getServerCapabilities().tools);
  await checkTools(client);
  await checkCatalogs(client);
  await checkBadArguments(client);
  await pollVideo(client);
  await followWithProgress(client);
  await checkTransport(transport);
  await client.close();
  clearTimeout(deadline);
  log('all checks passed');
} catch (error) {
  console.error('mcp_e2e: FAILED:', error);
  process.exit(1);
}
