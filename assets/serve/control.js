// Exercise control's seat: an evaluator's or a controller's (common.js opens it). It
// reads what the facilitator sees, seats' secrets apart; an evaluator writes observations
// and P/S/M/U ratings, a controller also answers the trainees. The server decides what a
// seat may send; this page only leaves out the forms a seat cannot use.
'use strict';

let view = null;
const RATINGS = [
  ['', 'no rating: an observation'],
  ['Performed', 'P: performed without challenges'],
  ['SomeChallenges', 'S: performed with some challenges'],
  ['MajorChallenges', 'M: performed with major challenges'],
  ['Unable', 'U: unable to be performed'],
];

function titleOf(role) {
  const found = view.roles.find((r) => r.id === role);
  return found ? found.title : role;
}

function drawReply() {
  if (!seat.me.controller) return [el('p', { class: 'weak' }, 'An evaluator reads the thread; controllers answer it.')];
  const to = el('select', { id: 'reply-to', 'aria-label': 'to which role' }, ...view.roles.map((r) => el('option', { value: r.id }, r.title)));
  const last = view.messages.filter((m) => m.to_control).pop();
  if (last) to.value = last.role;
  return [el('div', { class: 'row' }, el('label', {}, 'To', to)),
    textForm('reply-text', 'a message or answer to this role', 'Send to the role',
      async (text) => told(await send('/api/message', { text, to: to.value }), 'Sent'))];
}

// What a rating is about: an objective, or the players' answer to a decision or discussion
// question. Its options follow the answers as they come, keeping what was chosen.
function fillSubjects() {
  const subject = $('note-subject');
  if (!subject) return;
  const answered = view.answers.filter((a) => a.answer !== null);
  const key = JSON.stringify([view.objectives.map((o) => o.id), answered.map((a) => a.decision)]);
  if (subject.dataset.key === key) return;
  subject.dataset.key = key;
  const chosen = subject.value;
  subject.replaceChildren(el('option', { value: '' }, 'nothing: an observation'),
    el('optgroup', { label: 'Objectives' }, ...view.objectives.map((o) => el('option', { value: 'objective:' + o.id }, o.title))),
    el('optgroup', { label: 'Answers' }, ...answered.map((a) => el('option', { value: 'answer:' + a.decision }, a.asked + ': ' + a.prompt))));
  subject.value = chosen;
}

function drawNote() {
  const subject = el('select', { id: 'note-subject', 'aria-label': 'what you rate' });
  const rating = el('select', { id: 'note-rating', 'aria-label': 'rating' }, ...RATINGS.map(([id, label]) => el('option', { value: id }, label)));
  return [el('div', { class: 'row' }, el('label', {}, 'Rating of', subject), el('label', {}, 'Rating', rating)),
    textForm('note-text', 'what you observed (with a rating: why)', 'Record', async (text) => {
      const body = { text };
      if (rating.value || subject.value) {
        if (!rating.value || !subject.value) { result('A rating needs what it rates, and an objective or answer its rating.', false); return false; }
        body.rating = rating.value;
        const [kind, ...name] = subject.value.split(':');
        body[kind] = name.join(':');
      }
      return told(await send('/api/note', body), rating.value ? 'Rating recorded' : 'Observation recorded');
    })];
}

function drawAnswers() {
  if (view.answers.length === 0) return [el('p', { class: 'weak' }, 'No decision or discussion question asked yet.')];
  return view.answers.map((a) => el('div', { class: 'card' },
    el('p', { class: 'inbox-head' }, a.raised + ' · ' + a.asked + ' · ' + a.decision),
    el('p', {}, el('strong', {}, a.prompt)),
    a.answer === null
      ? el('p', { class: 'weak' }, 'not answered yet')
      : el('p', { class: 'message' }, a.answer + ' — ' + (a.by === 'default' ? 'the default (nobody answered)' : titleOf(a.by)))));
}

function drawObjectives() {
  if (view.objectives.length === 0) return [el('p', { class: 'weak' }, 'This scenario sets no objectives.')];
  return view.objectives.map((o) => el('p', {}, o.title + ' — ', el('span', { class: o.met ? 'ok' : 'weak' }, o.met ? 'met at ' + o.met : 'not met yet')));
}

function drawCrisis() {
  return view.crisis.map((c) => el('p', {}, c.name + ': ', el('strong', {}, c.level)));
}

function drawLog() {
  if (view.log.length === 0) return [el('p', { class: 'weak' }, 'Nothing has happened yet.')];
  return view.log.map((l) => el('p', { class: 'logline' }, el('span', { class: 'when' }, l.at), ' ', l.text));
}

function render(next) {
  const first = view === null;
  view = next;
  document.title = 'EXERCISE CONTROL · ' + view.exercise;
  $('title').textContent = 'Exercise control · ' + view.exercise;
  $('who').textContent = (seat.me.controller ? 'Controller (white cell): ' : 'Evaluator: ') + seat.me.name;
  $('clock').textContent = clockLine(view.clock);
  part('hotwash', view.hotwash, () => drawHotwash(view.hotwash));
  $('hotwash-section').hidden = view.hotwash.length === 0;
  part('thread', view.messages, () => drawThread(view.messages, titleOf));
  if (first) {
    $('reply').replaceChildren(...drawReply());
    $('note').replaceChildren(...drawNote());
  }
  fillSubjects();
  part('answers', view.answers, drawAnswers);
  part('objectives', view.objectives, drawObjectives);
  part('crisis', view.crisis, drawCrisis);
  part('log', view.log, drawLog);
}

start(render);
