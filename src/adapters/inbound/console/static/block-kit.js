// Block Kit and mrkdwn rendering for the local console page: the blocks Redrive sends to Slack,
// drawn the way Slack draws them. Plain ES module, no build step. Security: every piece of text is
// escaped before it reaches innerHTML; links are kept only for http(s) and the console's own paths.

const EMOJI = {
  white_check_mark: '✅', x: '❌', warning: '⚠️', rotating_light: '🚨', fire: '🔥', arrow_forward: '▶️',
  eyes: '👀', red_circle: '🔴', large_orange_circle: '🟠', large_yellow_circle: '🟡', large_green_circle: '🟢',
  orange_circle: '🟠', yellow_circle: '🟡', green_circle: '🟢', bell: '🔔', pager: '📟', mag: '🔍',
  hourglass: '⌛', hourglass_flowing_sand: '⏳', repeat: '🔁', chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉', information_source: 'ℹ️', no_entry: '⛔', no_entry_sign: '🚫',
  heavy_check_mark: '✔️', arrows_counterclockwise: '🔄', ok: '🆗', sos: '🆘', zap: '⚡', wrench: '🔧',
  inbox_tray: '📥', outbox_tray: '📤', package: '📦', link: '🔗', lock: '🔒', stopwatch: '⏱️',
  memo: '📝', clipboard: '📋', bar_chart: '📊', octagonal_sign: '🛑', thumbsup: '👍', raised_hand: '✋',
  speech_balloon: '💬', bulb: '💡', skull: '💀', recycle: '♻️', arrow_up: '⬆️', arrow_down: '⬇️',
  arrow_right: '➡️', small_red_triangle: '🔺', small_red_triangle_down: '🔻', white_circle: '⚪',
  large_blue_circle: '🔵', black_circle: '⚫', checkered_flag: '🏁', calendar: '📆', question: '❓',
};

export const escapeHtml = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Slack text keeps &amp; &lt; &gt; escaped; escape anything else that HTML would read. */
const htmlFromSlackText = (text) =>
  String(text).replace(/&(?!amp;|lt;|gt;|quot;|#39;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const emojify = (html) => html.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] ?? all);

const safeHref = (url) => {
  const decoded = url.replace(/&amp;/g, '&');
  if (/^https?:\/\//i.test(decoded) || decoded.startsWith('/console')) return decoded;
  return null;
};

/** Resolves `<...>` tokens: links, user, channel and group mentions, special mentions. */
const token = (inner, names) => {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(names.user(target.slice(1)) ?? label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? names.channel(target.slice(1)) ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) {
    // <!date^epoch^format|fallback>: the reader's local time, as Slack shows it.
    const seconds = Number(target.split('^')[1]);
    const text = Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : (label ?? '');
    return `<time>${escapeHtml(text)}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention group">@${escapeHtml(label?.replace(/^@/, '') ?? names.group(target.slice(9)) ?? target.slice(9))}</span>`;
  if (target.startsWith('!')) return `<span class="mention special">@${escapeHtml(target.slice(1).split('^')[0])}</span>`;
  const href = safeHref(target);
  const text = label ?? target;
  if (!href) return htmlFromSlackText(text);
  return `<a href="${escapeHtml(href)}" target="${href.startsWith('/console') ? '_self' : '_blank'}" rel="noopener noreferrer">${htmlFromSlackText(text)}</a>`;
};

const splitOnce = (text, sep) => {
  const at = text.indexOf(sep);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
};

/** Formatting of one run of text outside code: tokens, bold, italics, strike, emoji, quotes. */
const formatRun = (text, names) => {
  const tokens = [];
  const withPlaceholders = text.replace(/<([^<>\n]+)>/g, (_, inner) => {
    tokens.push(token(inner, names));
    return `\u0000${tokens.length - 1}\u0000`;
  });
  let html = htmlFromSlackText(withPlaceholders);
  html = html.replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '$1<b>$2</b>');
  html = html.replace(/(^|[^\w_])_(?!\s)([^_\n]+?)_(?![\w_])/g, '$1<i>$2</i>');
  html = html.replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?![\w~])/g, '$1<s>$2</s>');
  html = emojify(html);
  html = html
    .split('\n')
    .map((line) => (line.startsWith('&gt;') ? `<span class="quote">${line.replace(/^&gt;\s?/, '')}</span>` : line))
    .join('<br>');
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => tokens[Number(i)] ?? '');
};

/** mrkdwn to HTML: ``` blocks, `code`, *bold*, _italic_, ~strike~, links and mentions, > quotes. */
export const mrkdwnToHtml = (text, names) => {
  const parts = String(text ?? '').split('```');
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return `<pre class="code-block">${htmlFromSlackText(part.replace(/^\n/, ''))}</pre>`;
      return part
        .split('`')
        .map((run, j) => (j % 2 === 1 ? `<code>${htmlFromSlackText(run)}</code>` : formatRun(run, names)))
        .join('');
    })
    .join('');
};

export const textToHtml = (obj, names) => {
  if (!obj) return '';
  if (typeof obj === 'string') return mrkdwnToHtml(obj, names);
  if (obj.type === 'mrkdwn') return mrkdwnToHtml(obj.text, names);
  const html = escapeHtml(obj.text ?? '').replace(/\n/g, '<br>');
  return obj.emoji === false ? html : emojify(html);
};

const el = (tag, className, html) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
};

/**
 * Renders a list of blocks. `ctx`: { names, onAction(element, blockId, extra), inputs (Map for
 * modal input state), errors ({ block_id: message }), fileUrl(id) }.
 */
export const renderBlocks = (blocks, ctx) => {
  const root = el('div', 'blocks');
  (blocks ?? []).forEach((block, index) => {
    const node = renderBlock(block, index, ctx);
    if (node) root.appendChild(node);
  });
  return root;
};

const blockIdOf = (block, index) => block.block_id ?? `block-${index}`;

const renderBlock = (block, index, ctx) => {
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', textToHtml(block.text, ctx.names));
    case 'divider':
      return el('hr', 'bk-divider');
    case 'section': {
      const node = el('div', 'bk-section');
      const body = el('div', 'bk-section-body');
      if (block.text) body.appendChild(el('div', 'bk-text', textToHtml(block.text, ctx.names)));
      if (Array.isArray(block.fields) && block.fields.length > 0) {
        const fields = el('div', 'bk-fields');
        for (const field of block.fields) fields.appendChild(el('div', 'bk-field', textToHtml(field, ctx.names)));
        body.appendChild(fields);
      }
      node.appendChild(body);
      if (block.accessory) node.appendChild(renderElement(block.accessory, blockId, ctx, 'bk-accessory'));
      return node;
    }
    case 'context': {
      const node = el('div', 'bk-context');
      for (const item of block.elements ?? []) {
        if (item.type === 'image') {
          const img = el('img', 'bk-context-image');
          img.src = safeHref(item.image_url ?? '') ?? '';
          img.alt = item.alt_text ?? '';
          node.appendChild(img);
        } else node.appendChild(el('span', 'bk-context-text', textToHtml(item, ctx.names)));
      }
      return node;
    }
    case 'actions': {
      const node = el('div', 'bk-actions');
      for (const element of block.elements ?? []) node.appendChild(renderElement(element, blockId, ctx));
      return node;
    }
    case 'image': {
      const node = el('figure', 'bk-image');
      if (block.title) node.appendChild(el('figcaption', '', textToHtml(block.title, ctx.names)));
      const img = el('img');
      img.src = block.slack_file?.id ? ctx.fileUrl(block.slack_file.id) : (safeHref(block.image_url ?? '') ?? '');
      img.alt = block.alt_text ?? '';
      node.appendChild(img);
      return node;
    }
    case 'input':
      return renderInput(block, blockId, ctx);
    case 'rich_text':
      return el('div', 'bk-text', escapeHtml(richTextPlain(block)).replace(/\n/g, '<br>'));
    default:
      return el('div', 'bk-unknown', `Block type <code>${escapeHtml(block.type)}</code> is not drawn by the console.`);
  }
};

const richTextPlain = (node) => {
  if (!node || typeof node !== 'object') return '';
  if (typeof node.text === 'string') return node.text;
  return (node.elements ?? []).map(richTextPlain).join(node.type === 'rich_text_list' ? '\n' : '');
};

const optionText = (option, names) => textToHtml(option.text, names);

/** An interactive element outside an input block: button, select, overflow, date picker. */
const renderElement = (element, blockId, ctx, className = '') => {
  if (element.type === 'button') {
    const button = el('button', `bk-button ${element.style ? `bk-${element.style}` : ''} ${className}`, textToHtml(element.text, ctx.names));
    button.type = 'button';
    button.dataset.actionId = element.action_id ?? '';
    button.addEventListener('click', () => ctx.onAction(element, blockId, { type: 'button', value: element.value, text: element.text }, button));
    return button;
  }
  if (element.type === 'image') {
    const img = el('img', `bk-accessory-image ${className}`);
    img.src = safeHref(element.image_url ?? '') ?? '';
    img.alt = element.alt_text ?? '';
    return img;
  }
  if (element.type === 'static_select' || element.type === 'overflow') {
    const placeholder = element.type === 'overflow' ? '⋯' : textToHtml(element.placeholder ?? { type: 'plain_text', text: 'Select…' }, ctx.names);
    const select = selectOf(element, `bk-select ${className}`, placeholder, ctx.names);
    select.dataset.actionId = element.action_id ?? '';
    select.addEventListener('change', () => {
      const option = chosenOption(element, select);
      if (!option) return;
      ctx.onAction(element, blockId, { type: element.type, selected_option: option }, select);
      if (element.type === 'overflow') select.value = '';
    });
    return select;
  }
  if (element.type === 'datepicker') {
    const input = el('input', `bk-input ${className}`);
    input.type = 'date';
    input.value = element.initial_date ?? '';
    input.addEventListener('change', () => ctx.onAction(element, blockId, { type: 'datepicker', selected_date: input.value }, input));
    return input;
  }
  return el('span', 'bk-unknown', `(${escapeHtml(element.type)})`);
};

const flatOptions = (element) => [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options ?? [])];

/** A <select>: an empty first option labelled `placeholderHtml`, then the element's options, its initial_option selected. */
const selectOf = (element, className, placeholderHtml, names) => {
  const select = el('select', className);
  const placeholder = el('option', '', placeholderHtml);
  placeholder.value = '';
  select.appendChild(placeholder);
  for (const option of flatOptions(element)) {
    const node = el('option', '', optionText(option, names));
    node.value = option.value;
    if (element.initial_option?.value === option.value) node.selected = true;
    select.appendChild(node);
  }
  return select;
};

/** The element's option that `select` shows now (none for the placeholder). */
const chosenOption = (element, select) => flatOptions(element).find((o) => o.value === select.value);

/** An input block in a modal: its state lives in ctx.inputs, keyed by block and action id. */
const renderInput = (block, blockId, ctx) => {
  const element = block.element ?? {};
  const actionId = element.action_id ?? `${blockId}-input`;
  const node = el('label', 'bk-input-block');
  node.dataset.blockId = blockId;
  node.appendChild(el('span', 'bk-input-label', `${textToHtml(block.label, ctx.names)}${block.optional ? ' <span class="optional">(optional)</span>' : ''}`));
  const set = (state) => ctx.inputs?.set(`${blockId}\u0000${actionId}`, { blockId, actionId, state });
  let control;
  switch (element.type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      control = el(element.multiline ? 'textarea' : 'input', 'bk-input');
      if (!element.multiline) control.type = element.type === 'number_input' ? 'number' : 'text';
      control.value = element.initial_value ?? '';
      if (element.placeholder) control.placeholder = element.placeholder.text ?? '';
      if (element.max_length) control.maxLength = element.max_length;
      const update = () => set({ type: element.type, value: control.value === '' ? null : control.value });
      control.addEventListener('input', update);
      update();
      break;
    }
    case 'static_select': {
      control = selectOf(element, 'bk-select', escapeHtml(element.placeholder?.text ?? 'Select…'), ctx.names);
      const update = () => set({ type: 'static_select', selected_option: chosenOption(element, control) ?? null });
      control.addEventListener('change', update);
      update();
      break;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      control = el('div', 'bk-choices');
      const multiple = element.type === 'checkboxes';
      const initial = multiple ? (element.initial_options ?? []).map((o) => o.value) : [element.initial_option?.value];
      const boxes = [];
      for (const option of element.options ?? []) {
        const row = el('label', 'bk-choice');
        const box = el('input');
        box.type = multiple ? 'checkbox' : 'radio';
        box.name = `${blockId}-${actionId}`;
        box.value = option.value;
        box.checked = initial.includes(option.value);
        boxes.push(box);
        row.appendChild(box);
        row.appendChild(el('span', '', optionText(option, ctx.names)));
        control.appendChild(row);
      }
      const update = () => {
        const chosen = (element.options ?? []).filter((_option, i) => boxes[i].checked);
        set(multiple ? { type: 'checkboxes', selected_options: chosen } : { type: 'radio_buttons', selected_option: chosen[0] ?? null });
      };
      control.addEventListener('change', update);
      update();
      break;
    }
    default:
      control = el('span', 'bk-unknown', `Input <code>${escapeHtml(element.type ?? '?')}</code> is not drawn by the console.`);
  }
  node.appendChild(control);
  if (block.hint) node.appendChild(el('span', 'bk-hint', textToHtml(block.hint, ctx.names)));
  const error = ctx.errors?.[blockId];
  if (error) node.appendChild(el('span', 'bk-error', escapeHtml(error)));
  return node;
};
