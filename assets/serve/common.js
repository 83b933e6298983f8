// What every seat's page shares: opening the seat from its link, the event stream, and
// sending an intent until the host answers. Every text goes in through textContent (el),
// never as HTML. Each page script calls seat.start(render) with its own drawing.
'use strict';

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const seat = {
  stream: null,
  // Who this seat is (/api/seat): kind, name, page, controller, hotwash_done.
  me: null,
  // Draws parts only when their data changed, so a form being typed in survives.
  shown: {},
};

function setStatus(text) { $('status').textContent = text; }

function gone(text) {
  if (seat.stream) seat.stream.close();
  $('main').hidden = true;
  $('title').textContent = 'This seat is closed';
  $('who').textContent = '';
  $('clock').textContent = '';
  $('status').replaceChildren(el('p', { class: 'gone' }, text));
}

function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Sends one intent until the host answers: the id makes a retry harmless.
async function send(path, body) {
  body.id = newId();
  for (;;) {
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      if (response.status === 401) { gone('Your link was revoked, or the exercise was stopped. Ask the facilitator for a new link.'); return null; }
      if (response.status === 503) { setStatus('the exercise host is busy — trying again'); await sleep(1000); continue; }
      const answer = await response.json().catch(() => ({}));
      return { status: response.status, answer };
    } catch (e) {
      setStatus('connection lost — trying again');
      await sleep(1000);
    }
  }
}

function result(text, ok) {
  const node = $('result');
  node.hidden = false;
  node.className = 'result ' + (ok ? 'ok' : 'refused');
  node.textContent = text;
}

// Shows the host's answer to an intent; `true` when it was accepted.
function told(reply, what) {
  if (!reply) return false;
  const a = reply.answer;
  if (reply.status !== 200) { result(a.error || ('refused (' + reply.status + ')'), false); return false; }
  const number = typeof a.seq === 'number' ? ' (recorded as #' + a.seq + ' for ' + a.at + ')' : '';
  if (a.refused) { result('Not sent. ' + a.refused.charAt(0).toUpperCase() + a.refused.slice(1) + '. Your attempt is recorded for the review' + number + '.', false); return false; }
  result((a.ok || what) + number, true);
  return true;
}

function part(name, data, draw) {
  const key = JSON.stringify(data);
  if (seat.shown[name] === key) return;
  seat.shown[name] = key;
  $(name).replaceChildren(...draw());
}

function clockLine(c) {
  return c.offset + ' · ' + c.wall + ' · ' + (c.ended ? 'the exercise has ended' : c.playing ? 'playing at ' + c.speed : 'paused');
}

// A free-text box and its button; `submit(text)` resolves true when the text was taken.
function textForm(id, label, button, submit) {
  const box = el('textarea', { id, rows: '3', maxlength: '4000', 'aria-label': label, placeholder: label });
  const go = el('button', { type: 'button', id: id + '-send', onclick: async () => {
    const text = box.value.trim();
    if (!text) { result('Write something first.', false); return; }
    go.disabled = true;
    try { if (await submit(text)) box.value = ''; } finally { go.disabled = false; }
  } }, button);
  return el('div', { class: 'textform' }, box, el('div', { class: 'row' }, go));
}

// The white cell's thread, oldest first.
function drawThread(messages, titleOf) {
  if (messages.length === 0) return [el('p', { class: 'weak' }, 'No message yet.')];
  return messages.map((m) => el('div', { class: 'card ' + (m.to_control ? 'to-control' : 'from-control') },
    el('p', { class: 'inbox-head' }, m.at + ' · ' + (m.to_control ? titleOf(m.role) + ' → exercise control' : 'exercise control (' + m.by + ') → ' + titleOf(m.role))),
    el('p', { class: 'message' }, m.text)));
}

// The hot wash: after the end, each seat answers the questions once.
function drawHotwash(questions) {
  if (questions.length === 0) return [];
  if (seat.me && seat.me.hotwash_done) return [el('p', { class: 'ok' }, 'Your hot-wash answers are kept for the after-action report. Thank you.')];
  const name = el('input', { type: 'text', id: 'hotwash-name', maxlength: '200', 'aria-label': 'your name' });
  const boxes = questions.map((q, i) => el('textarea', { id: 'hotwash-' + i, rows: '3', maxlength: '4000', 'aria-label': q }));
  const go = el('button', { type: 'button', id: 'hotwash-send', onclick: async () => {
    if (!name.value.trim()) { result('Write your name first: the report quotes each answer with who gave it.', false); return; }
    go.disabled = true;
    const ok = told(await send('/api/hotwash', { participant: name.value, answers: boxes.map((b) => b.value) }), 'Thank you');
    go.disabled = false;
    if (ok) { seat.me.hotwash_done = true; delete seat.shown.hotwash; $('hotwash').replaceChildren(...drawHotwash(questions)); }
  } }, 'Send my answers');
  return [el('p', {}, 'The exercise has ended. Before you leave, three questions for the review (answer any, skip any):'),
    el('div', { class: 'row' }, el('label', {}, 'Your name', name)),
    ...questions.map((q, i) => el('div', { class: 'question' }, el('p', {}, el('strong', {}, q)), boxes[i])),
    el('div', { class: 'row' }, go)];
}

async function whoami() {
  for (;;) {
    try {
      const response = await fetch('/api/seat', { credentials: 'same-origin' });
      if (response.status === 401) { gone('This link is not valid: it was revoked or mistyped. Ask the facilitator for a new one.'); return null; }
      if (response.ok) return await response.json();
    } catch (e) { /* the host is away: keep trying */ }
    setStatus('cannot reach the exercise host — trying again');
    await sleep(1000);
  }
}

function connect(render) {
  seat.stream = new EventSource('/api/events');
  seat.stream.addEventListener('view', (event) => {
    const view = JSON.parse(event.data);
    setStatus('');
    render(view);
    $('main').hidden = false;
  });
  seat.stream.addEventListener('error', () => {
    if (seat.stream.readyState === EventSource.CLOSED) probe(render);
    else setStatus('connection lost — reconnecting…');
  });
}

// A stream the browser gave up on: revoked (401), or the host is away; ask which.
async function probe(render) {
  try {
    const response = await fetch('/api/view', { credentials: 'same-origin' });
    if (response.status === 401) { gone('Your link was revoked, or it is not valid. Ask the facilitator for a new link.'); return; }
  } catch (e) { /* the host is away: keep trying */ }
  setStatus('connection lost — reconnecting…');
  setTimeout(() => connect(render), 1000);
}

// Opens the seat: trades the link's token for the seat's cookie, goes to the seat's own
// page if this is not it, then follows the stream.
async function start(render) {
  const token = location.hash.slice(1);
  if (token) {
    // The token leaves the address bar at once, so it is not in the history or on screen.
    history.replaceState(null, '', location.pathname);
    for (;;) {
      try {
        const response = await fetch('/api/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ token }),
          credentials: 'same-origin',
        });
        if (response.status === 401) { gone('This link is not valid: it was revoked or mistyped. Ask the facilitator for a new one.'); return; }
        if (response.ok) break;
      } catch (e) { /* the host is away: keep trying */ }
      setStatus('cannot reach the exercise host — trying again');
      await sleep(1000);
    }
  }
  seat.me = await whoami();
  if (!seat.me) return;
  const here = location.pathname === '/' ? '/join' : location.pathname;
  if (seat.me.page !== here) { location.replace(seat.me.page); return; }
  connect(render);
}
