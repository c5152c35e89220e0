// The room display. The server sends the timer's view (phase, deadlines, flags) by Server-Sent
// Events, with its clock; between events the time is computed here from the deadline (or the
// moment a count-up phase began) and that clock, so every screen shows the same second as the bot.
// Plain JavaScript, no build step.
'use strict';

(function () {
  const base = location.pathname.replace(/\/+$/, '');
  const inTeams = new URLSearchParams(location.search).has('inTeams');
  const $ = (id) => document.getElementById(id);
  const el = {
    where: $('where'),
    phase: $('phase'),
    time: $('time'),
    status: $('status'),
    bar: $('bar'),
    fill: $('fill'),
    rule: $('rule'),
    next: $('next'),
    ends: $('ends'),
    link: $('link'),
    fullscreen: $('fullscreen'),
  };

  let view = null;
  // The bot's clock: its reading, when it was read here (monotonic), and its rate (1 in real life).
  let clock = { now: Date.now(), at: performance.now(), rate: 1 };
  const botNow = () => clock.now + (performance.now() - clock.at) * clock.rate;

  const two = (n) => String(n).padStart(2, '0');
  function clockText(ms, roundUp) {
    const total = Math.max(0, roundUp ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  }
  function spoken(ms) {
    const minutes = Math.ceil(Math.max(0, ms) / 60000);
    return minutes <= 1 ? 'under a minute' : `${minutes} minutes`;
  }
  function set(node, value) {
    if (node.textContent !== value) node.textContent = value;
  }

  function render() {
    const now = botNow();
    let state = 'none';
    let time = '';
    let status = '';
    let fraction = null;
    if (!view) {
      state = 'connecting';
    } else if (view.status === 'none') {
      state = 'none';
    } else if (view.status === 'ended') {
      state = 'ended';
      status = 'The session has ended.';
    } else {
      // A phase the facilitators lead counts up (the time spent in it, against its target); one
      // the clock ends (the wrap up, or every phase under strict pacing) counts down.
      const counting = view.countsUpFrom !== undefined || view.countedMs !== undefined;
      const left = view.status === 'paused' ? view.msLeft : view.deadline - now;
      let counted = 0;
      if (counting) {
        counted = view.status === 'paused' ? view.countedMs : now - view.countsUpFrom;
        time = clockText(counted, false);
        fraction = view.phaseLengthMs ? counted / view.phaseLengthMs : null;
      } else {
        time = clockText(left, true);
        fraction = view.phaseLengthMs ? 1 - left / view.phaseLengthMs : null;
      }
      const target = counting && view.phaseLengthMs ? ` · target ${spoken(view.phaseLengthMs)}` : '';
      if (view.status === 'paused') {
        state = 'paused';
        status = 'Paused';
      } else if (!counting && left <= view.thresholds.lastMs) {
        state = 'last';
        status = view.thresholds.wrapUp
          ? 'Last two minutes: the wrap up ends on the clock'
          : 'Last two minutes of this phase';
      } else if (view.thresholds.wrapUp) {
        state = 'wrapup';
        status = `Wrap up: ${spoken(left)} left, it ends on the clock`;
      } else {
        state = 'running';
        status = counting ? `Counting up${target}` : `${spoken(left)} left in this phase`;
      }
    }
    if (document.body.dataset.state !== state) document.body.dataset.state = state;
    const label = [];
    if (view && view.caseLabel) label.push(view.caseLabel);
    if (view && view.phaseIndex !== undefined && view.status !== 'ended')
      label.push(`Phase ${view.phaseIndex + 1} of ${view.phaseCount}`);
    set(el.where, label.join(' · '));
    set(
      el.phase,
      !view
        ? 'Connecting…'
        : view.status === 'none'
          ? 'No session running'
          : view.status === 'ended'
            ? 'Session ended'
            : view.phaseName,
    );
    set(el.time, time);
    set(el.status, status);
    set(el.rule, view && (view.status === 'running' || view.status === 'paused') ? view.rule : '');
    set(el.next, view && view.nextPhase && view.status !== 'ended' ? `Next: ${view.nextPhase}` : '');
    // The session's end (and, before it, the wrap up's start) on this screen's own clock (the
    // room's), as the bot's deadlines fall.
    const running = view && view.status === 'running';
    const roomTime = (at) =>
      new Date(Date.now() + (at - now) / clock.rate).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const ends = [];
    if (running && view.sessionEnd !== undefined) ends.push(`Session ends at ${roomTime(view.sessionEnd)}`);
    if (running && view.wrapUpAt !== undefined) ends.push(`wrap up from ${roomTime(view.wrapUpAt)}`);
    if (view && view.status === 'paused' && view.msToWrapUp !== undefined)
      ends.push(`Wrap up ${spoken(view.msToWrapUp)} after resuming`);
    set(el.ends, ends.join(' · '));
    el.bar.hidden = fraction === null;
    if (fraction !== null) {
      const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      el.fill.style.width = `${percent}%`;
      el.bar.setAttribute('aria-valuenow', String(percent));
    }
  }

  function readClock(data) {
    clock = { now: data.now, at: performance.now(), rate: data.rate || 1 };
  }

  let source = null;
  let retryMs = 1000;
  function connect() {
    source = new EventSource(`${base}/events`);
    source.addEventListener('view', (event) => {
      const data = JSON.parse(event.data);
      readClock(data);
      view = data.view;
      retryMs = 1000;
      set(el.link, '');
      render();
    });
    source.addEventListener('clock', (event) => readClock(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      set(el.link, 'Reconnecting…');
      // The browser retries a dropped stream by itself; a refused one (a restart, a busy
      // server) is closed for good, so open it again, a little later each time.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    });
  }

  // A projector should not fall asleep mid-session.
  let wakeLock = null;
  async function keepAwake() {
    if (!('wakeLock' in navigator) || document.visibilityState !== 'visible' || wakeLock) return;
    try {
      wakeLock = await navigator.wakeLock.request('screen');
      wakeLock.addEventListener('release', () => {
        wakeLock = null;
      });
    } catch {
      wakeLock = null; // refused (battery saver, no user gesture yet): the page works anyway
    }
  }
  document.addEventListener('visibilitychange', () => void keepAwake());
  document.addEventListener('click', () => void keepAwake());

  if (document.fullscreenEnabled && !inTeams) {
    el.fullscreen.hidden = false;
    el.fullscreen.addEventListener('click', () => {
      if (document.fullscreenElement) void document.exitFullscreen();
      else void document.documentElement.requestFullscreen();
    });
    document.addEventListener('fullscreenchange', () => {
      el.fullscreen.textContent = document.fullscreenElement ? 'Leave full screen' : 'Full screen';
    });
  }

  // Inside a Teams meeting (the tab's address carries ?inTeams=1): load the Teams client from
  // this same server and tell Teams the tab is ready. Outside Teams it is never loaded.
  if (inTeams) {
    const script = document.createElement('script');
    script.src = `${base}/teams.js`;
    script.onload = () => {
      const teams = window.microsoftTeams;
      if (teams && teams.app) teams.app.initialize().catch(() => undefined);
    };
    document.head.appendChild(script);
  }

  connect();
  void keepAwake();
  render();
  setInterval(render, 200);
})();
