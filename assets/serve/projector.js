// The room's projector: the public picture only (the clock, crisis levels, what the
// media published, objectives met), large enough to read from the back of the room.
'use strict';

function render(view) {
  document.title = 'EXERCISE · ' + view.exercise;
  $('title').textContent = view.exercise;
  $('clock').textContent = clockLine(view.clock);
  part('news', view.news, () => view.news.length === 0
    ? [el('p', { class: 'weak' }, 'Nothing in the news yet.')]
    : view.news.map((n) => el('div', { class: 'card' }, el('p', { class: 'inbox-head' }, n.at + ' · ' + n.source + ' — ' + n.headline), el('p', {}, n.body))));
  part('crisis', view.crisis, () => view.crisis.map((c) => el('p', {}, c.name + ': ', el('strong', { class: 'level-' + c.level }, c.level))));
  part('met', [view.met, view.objectives], () => [el('p', {}, view.met.length + ' of ' + view.objectives),
    ...view.met.map(([title, at]) => el('p', {}, at + ' · ' + title))]);
}

start(render);
