// A trainee's seat. Everything shown comes from the seat's own snapshot, pushed by the
// server; every text goes in through textContent, never as HTML. Intents carry an id and
// are retried until the host answers, so a lost connection neither loses nor doubles one.
'use strict';

const $ = (id) => document.getElementById(id);
let view = null;
let stream = null;
const form = { picked: new Set(), tlp: null, to: '', scan: '' };
const shown = {};

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

function setStatus(text) { $('status').textContent = text; }

function gone(text) {
  if (stream) stream.close();
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

function told(reply, what) {
  if (!reply) return;
  const a = reply.answer;
  if (reply.status !== 200) { result(a.error || ('refused (' + reply.status + ')'), false); return; }
  const number = ' (recorded as #' + a.seq + ' for ' + a.at + ')';
  if (a.refused) result('Not sent. ' + a.refused.charAt(0).toUpperCase() + a.refused.slice(1) + '. Your attempt is recorded for the review' + number + '.', false);
  else result((a.ok || what) + number, true);
}

async function answerPrompt(decision, option) {
  told(await send('/api/answer', { decision, option }), 'Your answer is recorded');
}

async function act(action, what) {
  told(await send('/api/act', { action }), what);
}

function wallTime(minutes) {
  const clock = view.clock;
  if (!clock.playing) return 'the clock is paused';
  if (clock.minutes_per_second === null) return 'any moment at full speed';
  const seconds = Math.round(minutes / clock.minutes_per_second);
  if (seconds < 60) return 'about ' + seconds + ' s from now at this speed';
  return 'about ' + Math.round(seconds / 60) + ' min from now at this speed';
}

function part(name, data, draw) {
  const key = JSON.stringify(data);
  if (shown[name] === key) return;
  shown[name] = key;
  $(name).replaceChildren(...draw());
}

function drawPrompts() {
  if (view.prompts.length === 0) return [el('p', { class: 'weak' }, 'Nothing to decide right now.')];
  return view.prompts.map((p) => el('div', { class: 'card prompt' },
    el('p', {}, el('strong', {}, p.prompt)),
    el('p', {}, 'About: ' + p.concerns),
    el('p', {}, 'Answer within ' + p.minutes_left + ' simulated minutes (' + wallTime(p.minutes_left) + '), otherwise "' + p.default_label + '" applies at ' + p.deadline + '.'),
    p.answered
      ? el('p', { class: 'ok' }, 'Your answer ' + p.answered + '.')
      : el('div', { class: 'row' }, ...p.options.map((o) =>
          el('button', { type: 'button', 'data-option': o.id, onclick: () => answerPrompt(p.decision, o.id) }, o.label)))));
}

function picked() { return Array.from(form.picked).filter((id) => view.indicators.some((i) => i.id === id)); }

function drawActions() {
  const out = [];
  const can = view.can;
  if (can.share || can.warn) {
    if (view.indicators.length === 0) out.push(el('p', { class: 'weak' }, 'You hold no indicators to pass on yet.'));
    else {
      out.push(el('p', {}, 'Indicators to pass on:'));
      for (const i of view.indicators) {
        const box = el('input', { type: 'checkbox', 'data-indicator': i.id });
        box.checked = form.picked.has(i.id);
        box.addEventListener('change', () => { if (box.checked) form.picked.add(i.id); else form.picked.delete(i.id); });
        out.push(el('div', { class: 'row' }, el('label', {}, box, el('span', { class: 'value' }, i.value)), el('span', { class: 'tlp' }, i.tlp_label)));
      }
      if (form.tlp === null) form.tlp = view.tlps[2].id;
      const tlp = el('select', { id: 'tlp', 'aria-label': 'marking' }, ...view.tlps.map((t) => el('option', { value: t.id }, t.label)));
      tlp.value = form.tlp;
      tlp.addEventListener('change', () => { form.tlp = tlp.value; });
      const row = el('div', { class: 'row' }, el('label', {}, 'Marking', tlp));
      if (can.share) {
        const to = el('select', { id: 'recipient', 'aria-label': 'recipient' }, el('option', { value: '' }, 'choose a recipient'),
          ...view.recipients.map((r) => el('option', { value: r.id }, r.label)));
        to.value = form.to;
        to.addEventListener('change', () => { form.to = to.value; });
        row.append(el('label', {}, 'To', to), el('button', { type: 'button', id: 'share', onclick: () => {
          if (!form.to) { result('Choose a recipient first.', false); return; }
          act({ Share: { to: form.to, indicators: picked(), tlp: form.tlp } }, 'Shared');
        } }, 'Share'));
      }
      if (can.warn) row.append(el('button', { type: 'button', id: 'warn', onclick: () => act({ Warn: { indicators: picked(), tlp: form.tlp } }, 'Warning sent') }, 'Warn the constituency'));
      out.push(row);
    }
  }
  if (can.scan) {
    const row = el('div', { class: 'row' });
    let input = null;
    if (can.scan_target) {
      input = el('input', { type: 'text', id: 'scan', placeholder: 'organisation id, or empty for all', 'aria-label': 'organisation to scan' });
      input.value = form.scan;
      input.addEventListener('input', () => { form.scan = input.value; });
      row.append(input);
    }
    row.append(el('button', { type: 'button', id: 'request-scan', onclick: () => {
      const entity = input && input.value.trim() ? input.value.trim() : null;
      act({ RequestScan: { entity } }, 'Scan requested');
    } }, 'Request a scan'));
    out.push(row);
  }
  if (can.report) {
    if (view.owed.length === 0) out.push(el('p', { class: 'weak' }, 'No report owed.'));
    for (const o of view.owed) {
      out.push(el('div', { class: 'row' }, 'Incident #' + o.incident + ': ' + o.label + ' to ' + o.to + ' (due ' + o.due + ')',
        el('button', { type: 'button', onclick: () => act({ Report: { incident: o.incident, report: o.report } }, 'Report sent') }, 'Send now')));
    }
  }
  if (can.raise) {
    if (view.raisable.length === 0) out.push(el('p', { class: 'weak' }, 'No higher crisis level to raise to.'));
    else out.push(el('div', { class: 'row' }, ...view.raisable.map((l) =>
      el('button', { type: 'button', onclick: () => act({ RaiseCrisis: { level: l.id } }, 'Crisis level raised') }, 'Raise to ' + l.label))));
  }
  if (out.length === 0) out.push(el('p', { class: 'weak' }, 'This role answers decisions only.'));
  return out;
}

function drawDeadlines() {
  if (view.deadlines.length === 0) return [el('p', { class: 'weak' }, 'No clock is running for you.')];
  return view.deadlines.map((d) => el('p', {}, d.what + ' — due ' + d.due + ' — ', el('span', { class: d.overdue ? 'overdue' : '' }, d.state)));
}

function drawInbox() {
  if (view.inbox.length === 0) return [el('p', { class: 'weak' }, 'Nothing has reached you yet.')];
  return view.inbox.map((m) => el('div', { class: 'card' },
    el('p', { class: m.refused ? 'refusal' : 'inbox-head' }, m.at + ' · ' + m.kind + ' · ' + m.from + ' — ' + m.subject),
    m.body ? el('p', {}, m.body) : null));
}

function drawKnowledge() {
  const out = [];
  if (view.indicators.length === 0) out.push(el('p', { class: 'weak' }, 'No indicators yet.'));
  for (const i of view.indicators) {
    out.push(el('p', {}, el('span', { class: 'value' }, i.value), el('span', { class: 'tlp' }, i.tlp_label),
      ' since ' + i.since + ' from ' + i.from + (i.context ? ' · ' + i.context : '')));
  }
  if (view.incidents.length > 0) out.push(el('h3', {}, 'Incidents'), ...view.incidents.map((t) => el('p', {}, t)));
  return out;
}

function render() {
  const role = view.role;
  document.title = 'EXERCISE · ' + role.title + ' · ' + view.exercise;
  $('title').replaceChildren(role.title, view.crisis_level ? el('span', { class: 'chip' }, 'crisis level: ' + view.crisis_level) : '');
  $('who').textContent = 'Playing ' + role.actor + ' (' + role.kind + ') in ' + view.exercise;
  const c = view.clock;
  $('clock').textContent = c.offset + ' · ' + c.wall + ' · ' + (c.ended ? 'the exercise has ended' : c.playing ? 'playing at ' + c.speed : 'paused');
  $('briefing').textContent = role.briefing;
  part('prompts', [view.prompts, c.playing, c.minutes_per_second], drawPrompts);
  part('actions', [view.can, view.indicators, view.recipients, view.owed, view.raisable], drawActions);
  part('deadlines', view.deadlines, drawDeadlines);
  part('inbox', view.inbox, drawInbox);
  part('knowledge', [view.indicators, view.incidents], drawKnowledge);
  $('main').hidden = false;
}

function connect() {
  stream = new EventSource('/api/events');
  stream.addEventListener('view', (event) => {
    view = JSON.parse(event.data);
    setStatus('');
    render();
  });
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) probe();
    else setStatus('connection lost — reconnecting…');
  });
}

// A stream the browser gave up on: revoked (401), or the host is away; ask which.
async function probe() {
  try {
    const response = await fetch('/api/view', { credentials: 'same-origin' });
    if (response.status === 401) { gone('Your link was revoked, or it is not valid. Ask the facilitator for a new link.'); return; }
  } catch (e) { /* the host is away: keep trying */ }
  setStatus('connection lost — reconnecting…');
  setTimeout(connect, 1000);
}

async function start() {
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
  connect();
}

start();
