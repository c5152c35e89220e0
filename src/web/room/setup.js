// The tab's setup page in Teams: takes the room display link from `/balint room` and hands it
// to Teams as the tab's content. The link goes to Teams only, never to the bot.
'use strict';

(function () {
  const input = document.getElementById('link');
  const check = document.getElementById('check');
  // The bot may live under a path (https://host/balint/room-setup): its links start with that path.
  const base = location.href.replace(/\/room-setup([/?#].*)?$/, '');
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/room/[A-Za-z0-9_-]{32}$`);
  const teams = window.microsoftTeams;
  let link = '';

  function validate() {
    link = input.value.trim().replace(/\?.*$/, '');
    const valid = pattern.test(link);
    check.textContent =
      input.value === '' ? '' : valid ? 'This link works here.' : 'That is not a room display link of this bot.';
    if (teams) teams.pages.config.setValidityState(valid);
  }

  input.addEventListener('input', validate);
  if (!teams) return;
  teams.app.initialize().then(() => {
    teams.pages.config.registerOnSaveHandler((save) => {
      teams.pages.config
        .setConfig({
          entityId: 'balint-room',
          contentUrl: `${link}?inTeams=1`,
          websiteUrl: link,
          suggestedDisplayName: 'Balint timer',
        })
        .then(
          () => save.notifySuccess(),
          () => save.notifyFailure('Teams did not accept the link.'),
        );
    });
    validate();
  });
})();
