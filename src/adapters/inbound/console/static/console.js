// The local console page: channels, threads, ephemeral replies, modals and App Home as Redrive
// renders them for Slack, live over Server-Sent Events. Clicks, /dlq commands and modal submissions
// go to the server as Slack-shaped interactions, through the same Bolt listeners as Slack's.
import { escapeHtml, mrkdwnToHtml, renderBlocks, textToHtml } from './block-kit.js';

const state = {
  me: null,
  bot: null,
  channels: new Map(),
  messages: new Map(),
  modals: [],
  home: null,
  info: null,
  view: { kind: 'channel', id: null },
  thread: null,
  errors: {},
};
const $ = (id) => document.getElementById(id);
const keyOf = (m) => `${m.channel}/${m.ts}`;
const names = {
  user: (id) => (id === state.me?.id ? state.me.name : id === state.bot?.userId ? 'Redrive' : null),
  channel: (id) => state.channels.get(id)?.name ?? null,
  group: (id) => state.info?.userGroups?.find((g) => g.id === id)?.handle ?? null,
};
const fileUrl = (id) => `/console/files?id=${encodeURIComponent(id)}`;

const api = async (path, body) => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const result = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!result.ok && result.error) toast(result.error);
  return result;
};

let toastTimer = null;
const toast = (text) => {
  const node = $('toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (node.hidden = true), 6000);
};

const formatTime = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Top-level messages of a channel and the replies of each thread, oldest first. */
const channelMessages = (channel) => [...state.messages.values()].filter((m) => m.channel === channel).sort((a, b) => Number(a.ts) - Number(b.ts));
const repliesOf = (channel, ts) => channelMessages(channel).filter((m) => m.threadTs === ts && m.ts !== ts);

// Confirm dialogs, as Slack shows them before a destructive button runs.
const confirmFirst = (confirm) =>
  new Promise((resolve) => {
    if (!confirm) return resolve(true);
    const dialog = $('confirm');
    $('confirm-title').innerHTML = textToHtml(confirm.title ?? { type: 'plain_text', text: 'Are you sure?' }, names);
    $('confirm-text').innerHTML = textToHtml(confirm.text, names);
    const ok = $('confirm-ok');
    ok.innerHTML = textToHtml(confirm.confirm ?? { type: 'plain_text', text: 'Yes' }, names);
    ok.className = `bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
    $('confirm-cancel').innerHTML = textToHtml(confirm.deny ?? { type: 'plain_text', text: 'Cancel' }, names);
    const done = (answer) => {
      dialog.hidden = true;
      ok.onclick = null;
      $('confirm-cancel').onclick = null;
      resolve(answer);
    };
    ok.onclick = () => done(true);
    $('confirm-cancel').onclick = () => done(false);
    dialog.hidden = false;
    ok.focus();
  });

const actionOf = (element, blockId, extra) => ({ action_id: element.action_id ?? '', block_id: blockId, ...extra });

const busy = async (node, run) => {
  if (node) node.disabled = true;
  try {
    return await run();
  } finally {
    if (node) setTimeout(() => (node.disabled = false), 300);
  }
};

const messageContext = (message) => ({
  names,
  fileUrl,
  onAction: async (element, blockId, extra, node) => {
    if (element.url) window.open(element.url, '_blank', 'noopener');
    if (!(await confirmFirst(element.confirm))) return;
    await busy(node, () => api('/console/action', { channel: message.channel, ts: message.ts, action: actionOf(element, blockId, extra) }));
  },
});

/**
 * A thread reply also sent to the channel (reply_broadcast), as Slack marks it: in the channel, which
 * thread it answers (a link that opens it); in the thread, that it went to the channel too.
 */
const broadcastNote = (message, inThread) => {
  const note = document.createElement('div');
  note.className = 'broadcast-note';
  if (inThread) {
    note.textContent = 'Also sent to the channel';
    return note;
  }
  const parent = state.messages.get(`${message.channel}/${message.threadTs}`);
  const link = document.createElement('button');
  link.type = 'button';
  link.className = 'thread-link';
  link.textContent = parent ? (parent.text.length > 90 ? `${parent.text.slice(0, 90)}…` : parent.text) : 'a thread';
  link.addEventListener('click', () => openThread(message.channel, message.threadTs));
  note.append('Replied to a thread: ', link, ' · also sent to the channel');
  return note;
};

const renderMessage = (message, { inThread }) => {
  const node = document.createElement('article');
  node.className = `message${message.ephemeralFor ? ' ephemeral' : ''}${message.user === state.me?.id ? ' mine' : ''}`;
  node.dataset.ts = message.ts;
  node.dataset.channel = message.channel;
  const isBot = message.user === state.bot?.userId;
  const author = isBot ? 'Redrive' : (names.user(message.user) ?? message.user);
  node.innerHTML = `<div class="avatar${isBot ? ' bot' : ''}">${escapeHtml(author[0].toUpperCase())}</div>
    <div class="message-body"><div class="message-meta"><b>${escapeHtml(author)}</b>${isBot ? '<span class="app-tag">APP</span>' : ''}
    <time>${formatTime(message.ts)}</time>${message.edited ? '<span class="edited">(edited)</span>' : ''}
    ${message.ephemeralFor ? '<span class="only-you">Only visible to you</span>' : ''}</div></div>`;
  const body = node.querySelector('.message-body');
  if (message.broadcast) body.appendChild(broadcastNote(message, inThread));
  if (message.blocks && message.blocks.length > 0) body.appendChild(renderBlocks(message.blocks, messageContext(message)));
  else if (message.text) body.insertAdjacentHTML('beforeend', `<div class="bk-text">${mrkdwnToHtml(message.text, names)}</div>`);
  for (const file of message.files ?? []) {
    const figure = document.createElement('figure');
    figure.className = 'file';
    const title = escapeHtml(file.title ?? file.name);
    figure.innerHTML = file.mimetype.startsWith('image/')
      ? `<figcaption>${title}</figcaption><a href="${fileUrl(file.id)}" target="_blank"><img src="${fileUrl(file.id)}" alt="${escapeHtml(file.altText ?? file.name)}"></a>`
      : `<a href="${fileUrl(file.id)}" target="_blank">${title}</a>`;
    body.appendChild(figure);
  }
  if (!inThread && !message.threadTs) {
    const replies = repliesOf(message.channel, message.ts);
    if (replies.length > 0) {
      const link = document.createElement('button');
      link.className = 'thread-link';
      link.type = 'button';
      link.textContent = `${replies.length} repl${replies.length === 1 ? 'y' : 'ies'} · last ${formatTime(replies[replies.length - 1].ts)}`;
      link.addEventListener('click', () => openThread(message.channel, message.ts));
      body.appendChild(link);
    }
  }
  return node;
};

const keepBottom = (container, fill) => {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  const top = container.scrollTop;
  fill();
  container.scrollTop = atBottom ? container.scrollHeight : top;
};

// Message nodes are kept while their message is unchanged, so an edit elsewhere does not redraw
// (and take away) the button or select a person is about to use.
const nodeCache = { channel: new Map(), thread: new Map() };
const messageNodes = (cache, messages, inThread) => {
  const seen = new Set();
  const nodes = messages.map((m) => {
    const replies = inThread ? [] : repliesOf(m.channel, m.ts);
    const signature = JSON.stringify([m.text, m.blocks, m.files, m.edited, m.ephemeralFor, m.broadcast, replies.length, replies[replies.length - 1]?.ts]);
    const key = keyOf(m);
    seen.add(key);
    const cached = cache.get(key);
    if (cached && cached.signature === signature) return cached.node;
    const node = renderMessage(m, { inThread });
    cache.set(key, { signature, node });
    return node;
  });
  for (const key of cache.keys()) if (!seen.has(key)) cache.delete(key);
  return nodes;
};
const setChildren = (container, nodes) => {
  const same = nodes.length === container.children.length && nodes.every((node, i) => container.children[i] === node);
  if (!same) container.replaceChildren(...nodes);
};

const emptyChannel = Object.assign(document.createElement('p'), { className: 'empty', textContent: 'No messages yet. Demo incidents appear here within a few seconds of start.' });
const replyCount = Object.assign(document.createElement('div'), { className: 'reply-count' });

const renderChannel = () => {
  const list = $('messages');
  if (state.view.kind === 'home') return renderHome();
  $('home').hidden = true;
  $('channel').hidden = false;
  const channel = state.channels.get(state.view.id);
  $('channel-title').textContent = channel ? `${channel.isDm ? '' : '#'}${channel.name}` : '';
  keepBottom(list, () => {
    // Replies whose parent is gone (an older conversation) are shown in the channel, never hidden.
    // Thread replies broadcast to the channel (a level rise) show there too.
    const top = channelMessages(state.view.id).filter((m) => !m.threadTs || m.threadTs === m.ts || m.broadcast || !state.messages.has(`${m.channel}/${m.threadTs}`));
    setChildren(list, top.length === 0 ? [emptyChannel] : messageNodes(nodeCache.channel, top, false));
  });
};

const renderThread = () => {
  const pane = $('thread');
  if (!state.thread) {
    pane.hidden = true;
    return;
  }
  pane.hidden = false;
  const { channel, ts } = state.thread;
  const parent = state.messages.get(`${channel}/${ts}`);
  $('thread-title').textContent = `Thread in #${state.channels.get(channel)?.name ?? channel}`;
  const list = $('thread-messages');
  keepBottom(list, () => {
    const replies = repliesOf(channel, ts);
    replyCount.textContent = `${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}`;
    const [parentNode, ...replyNodes] = messageNodes(nodeCache.thread, parent ? [parent, ...replies] : replies, true);
    setChildren(list, parent ? [parentNode, replyCount, ...replyNodes] : [replyCount, ...(parentNode ? [parentNode] : []), ...replyNodes]);
  });
};

const renderHome = () => {
  $('channel').hidden = true;
  const home = $('home');
  home.hidden = false;
  const body = $('home-body');
  body.replaceChildren();
  if (!state.home) {
    body.innerHTML = '<p class="empty">The App Home is empty: Redrive has not published one for you yet.</p>';
    return;
  }
  body.appendChild(
    renderBlocks(state.home.view.blocks, {
      names,
      fileUrl,
      onAction: async (element, blockId, extra, node) => {
        if (!(await confirmFirst(element.confirm))) return;
        await busy(node, () => api('/console/action', { viewId: state.home.id, values: {}, action: actionOf(element, blockId, extra) }));
      },
    }),
  );
};

// Modals: the top of the stack, with its inputs' state kept while the person types.
let modalInputs = new Map();
let shownModal = null;
const modalValues = () => {
  const values = {};
  for (const { blockId, actionId, state: value } of modalInputs.values()) values[blockId] = { ...values[blockId], [actionId]: value };
  return values;
};

const renderModal = () => {
  const top = state.modals[state.modals.length - 1];
  const overlay = $('modal');
  if (!top) {
    overlay.hidden = true;
    shownModal = null;
    return;
  }
  const signature = `${top.id}/${top.hash}/${JSON.stringify(state.errors)}`;
  if (shownModal === signature) return;
  shownModal = signature;
  modalInputs = new Map();
  overlay.hidden = false;
  const view = top.view;
  $('modal-title').innerHTML = textToHtml(view.title, names);
  const body = $('modal-body');
  body.replaceChildren(
    renderBlocks(view.blocks, {
      names,
      fileUrl,
      inputs: modalInputs,
      errors: state.errors,
      onAction: async (element, blockId, extra, node) => {
        if (!(await confirmFirst(element.confirm))) return;
        await busy(node, () => api('/console/action', { viewId: top.id, values: modalValues(), action: actionOf(element, blockId, extra) }));
      },
    }),
  );
  const submit = $('modal-submit');
  submit.hidden = !view.submit;
  submit.innerHTML = view.submit ? textToHtml(view.submit, names) : '';
  $('modal-close').innerHTML = textToHtml(view.close ?? { type: 'plain_text', text: 'Cancel' }, names);
  const first = body.querySelector('input, textarea, select');
  if (first) first.focus();
};

const submitModal = async () => {
  const top = state.modals[state.modals.length - 1];
  if (!top) return;
  const result = await busy($('modal-submit'), () => api('/console/view-submission', { viewId: top.id, values: modalValues() }));
  state.errors = result.response?.response_action === 'errors' ? (result.response.errors ?? {}) : {};
  shownModal = null;
  renderModal();
};

const closeModal = async () => {
  const top = state.modals[state.modals.length - 1];
  state.errors = {};
  if (top) await api('/console/view-closed', { viewId: top.id });
};

const renderSidebar = () => {
  const list = $('channels');
  list.replaceChildren();
  const channels = [...state.channels.values()].sort((a, b) => Number(a.isDm) - Number(b.isDm) || a.name.localeCompare(b.name));
  for (const channel of channels) {
    const item = document.createElement('button');
    item.type = 'button';
    item.className = `nav-item${state.view.kind === 'channel' && state.view.id === channel.id ? ' active' : ''}`;
    item.textContent = channel.isDm ? `✉ ${channel.name}` : `# ${channel.name}`;
    item.dataset.channel = channel.id;
    item.addEventListener('click', () => showChannel(channel.id));
    list.appendChild(item);
  }
  $('nav-home').classList.toggle('active', state.view.kind === 'home');
};

const renderInfo = () => {
  const info = state.info;
  if (!info) return;
  const queues = info.queues.map((q) => `<span class="queue${q.demo ? ' demo' : ''}">${escapeHtml(q.name)} <small>${q.kind === 'sqs' ? 'SQS' : 'Kafka'}${q.demo ? '-like · demo' : ''}</small></span>`).join('');
  $('queues').innerHTML = queues || '<span class="queue">no queues configured</span>';
  $('demo-banner').hidden = !info.demo;
  if (info.demo) $('demo-toggle').textContent = info.demo.running ? 'Pause demo feed' : 'Resume demo feed';
  $('slack-env').textContent = `${info.slackEnv.botToken} and ${info.slackEnv.signingSecret}`;
  $('slack-env-socket').textContent = info.slackEnv.appToken;
};

let frame = 0;
const render = () => {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderSidebar();
    renderChannel();
    renderThread();
    renderModal();
  });
};

const showChannel = (id) => {
  state.view = { kind: 'channel', id };
  if (state.thread && state.thread.channel !== id) state.thread = null;
  history.replaceState(null, '', `#channel=${id}`);
  render();
};

const openThread = (channel, ts) => {
  state.view = { kind: 'channel', id: channel };
  state.thread = { channel, ts };
  history.replaceState(null, '', `#thread=${channel}:${ts}`);
  render();
};

const showHome = async () => {
  state.view = { kind: 'home' };
  state.thread = null;
  history.replaceState(null, '', '#home');
  render();
  await api('/console/home');
};

const followHash = () => {
  const hash = decodeURIComponent(location.hash.slice(1));
  const thread = /^thread=([^:]+):(.+)$/.exec(hash);
  if (thread) return openThread(thread[1], thread[2]);
  const channel = /^channel=(.+)$/.exec(hash);
  if (channel && state.channels.has(channel[1])) return showChannel(channel[1]);
  if (hash === 'home') return showHome();
  if (!state.view.id && state.view.kind === 'channel') {
    const first = [...state.channels.values()].find((c) => !c.isDm);
    if (first) state.view = { kind: 'channel', id: first.id };
  }
  render();
};

let firstSnapshot = true;
const applySnapshot = (snapshot) => {
  // A modal belongs to the page that opened it (Slack drops it on reload): close leftovers once.
  if (firstSnapshot) for (const modal of snapshot.modals) api('/console/view-closed', { viewId: modal.id });
  firstSnapshot = false;
  state.me = snapshot.user;
  state.bot = snapshot.bot;
  state.info = snapshot.console;
  state.channels = new Map(snapshot.channels.map((c) => [c.id, c]));
  state.messages = new Map(snapshot.messages.map((m) => [keyOf(m), m]));
  state.modals = snapshot.modals;
  state.home = snapshot.home;
  renderInfo();
  followHash();
};

const connect = () => {
  const events = new EventSource('/console/events');
  const on = (name, handle) => events.addEventListener(name, (e) => {
    handle(JSON.parse(e.data));
    render();
  });
  on('snapshot', applySnapshot);
  on('channel', (e) => state.channels.set(e.channel.id, e.channel));
  on('message', (e) => state.messages.set(keyOf(e.message), e.message));
  on('message-deleted', (e) => state.messages.delete(`${e.channel}/${e.ts}`));
  on('modals', (e) => {
    state.modals = e.stack;
    if (e.stack.length === 0) state.errors = {};
  });
  on('home', (e) => (state.home = e.view));
  events.addEventListener('open', () => ($('connection').textContent = 'live'));
  events.addEventListener('error', () => ($('connection').textContent = 'reconnecting…'));
};

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text || text === '/dlq') return;
  const channel = state.view.kind === 'channel' ? state.view.id : state.info?.dmChannel;
  const result = await busy($('composer-send'), () => api('/console/command', { channel, text }));
  if (result.ok) input.value = '/dlq ';
});
$('thread-close').addEventListener('click', () => {
  state.thread = null;
  history.replaceState(null, '', `#channel=${state.view.id}`);
  render();
});
$('nav-home').addEventListener('click', showHome);
$('modal-submit').addEventListener('click', submitModal);
$('modal-close').addEventListener('click', closeModal);
$('modal-x').addEventListener('click', closeModal);
$('demo-toggle').addEventListener('click', async () => {
  const result = await api('/console/demo', { running: !state.info.demo.running });
  if (result.ok) {
    state.info.demo.running = result.running;
    renderInfo();
  }
});
window.addEventListener('hashchange', followHash);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !$('confirm').hidden) $('confirm-cancel').click();
  else if (e.key === 'Escape' && !$('modal').hidden) closeModal();
});
connect();
