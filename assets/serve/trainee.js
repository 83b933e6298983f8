// A trainee's seat (common.js opens it and sends its intents). Everything shown comes
// from the seat's own snapshot, pushed by the server; every text goes in through el(),
// never as HTML.
'use strict';

let view = null;
const form = { picked: new Set(), tlp: null, to: '', scan: '', answers: new Map(), boxes: 0 };

async function answerPrompt(decision, option) {
  told(await send('/api/answer', { decision, option }), 'Your answer is recorded');
}

// A discussion question's answer box, kept across redraws (the countdown redraws the card
// every simulated minute): the same element, its text, and the focus while typing.
function answerBox(p) {
  let box = form.answers.get(p.decision);
  if (!box) {
    form.boxes += 1;
    box = textForm('answer-' + form.boxes, 'Your organisation\'s answer, in your own words', 'Send answer',
      async (text) => told(await send('/api/answer', { decision: p.decision, text }), 'Your answer is recorded'));
    form.answers.set(p.decision, box);
  }
  const area = box.querySelector('textarea');
  if (document.activeElement === area) {
    const [start, end] = [area.selectionStart, area.selectionEnd];
    queueMicrotask(() => { area.focus(); area.setSelectionRange(start, end); });
  }
  return box;
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

function drawPrompts() {
  for (const decision of form.answers.keys()) {
    if (!view.prompts.some((p) => p.decision === decision)) form.answers.delete(decision);
  }
  if (view.prompts.length === 0) return [el('p', { class: 'weak' }, 'Nothing to decide right now.')];
  return view.prompts.map((p) => el('div', { class: 'card prompt' },
    el('p', {}, el('strong', {}, p.prompt)),
    el('p', {}, 'About: ' + p.concerns),
    p.free_text
      ? el('p', {}, 'Answer in your own words within ' + p.minutes_left + ' simulated minutes (' + wallTime(p.minutes_left) + '), by ' + p.deadline + '.')
      : el('p', {}, 'Answer within ' + p.minutes_left + ' simulated minutes (' + wallTime(p.minutes_left) + '), otherwise "' + p.default_label + '" applies at ' + p.deadline + '.'),
    p.answered
      ? el('p', { class: 'ok' }, 'Your answer ' + p.answered + '.')
      : p.free_text ? answerBox(p)
      : el('div', { class: 'row' }, ...p.options.map((o) =>
          el('button', { type: 'button', 'data-option': o.id, onclick: () => answerPrompt(p.decision, o.id) }, o.label)))));
}

function picked() { return Array.from(form.picked).filter((id) => view.indicators.some((i) => i.id === id)); }

function drawActions() {
  if (view.clock.ended) return [el('p', { class: 'weak' }, 'The exercise has ended: nothing more to do here.')];
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

function titleOf(role) { return role === view.role.id ? 'you' : role; }

function render(next) {
  view = next;
  const role = view.role;
  document.title = 'EXERCISE · ' + role.title + ' · ' + view.exercise;
  $('title').replaceChildren(role.title, view.crisis_level ? el('span', { class: 'chip' }, 'crisis level: ' + view.crisis_level) : '');
  $('who').textContent = 'Playing ' + role.actor + ' (' + role.kind + ') in ' + view.exercise;
  const c = view.clock;
  $('clock').textContent = clockLine(c);
  $('briefing').textContent = role.briefing;
  part('hotwash', view.hotwash, () => drawHotwash(view.hotwash));
  $('hotwash-section').hidden = view.hotwash.length === 0;
  part('prompts', [view.prompts, c.playing, c.minutes_per_second], drawPrompts);
  part('actions', [view.can, view.indicators, view.recipients, view.owed, view.raisable, c.ended], drawActions);
  $('write').hidden = c.ended;
  part('thread', view.messages, () => drawThread(view.messages, titleOf));
  part('deadlines', view.deadlines, drawDeadlines);
  part('inbox', view.inbox, drawInbox);
  part('knowledge', [view.indicators, view.incidents], drawKnowledge);
}

$('write').replaceChildren(textForm('to-control', 'a message to exercise control: "we call the regulator", "we ask the vendor for the patch"', 'Send to exercise control',
  async (text) => told(await send('/api/message', { text }), 'Sent to exercise control')));

start(render);
