import { describe, expect, it } from 'vitest';
import { unescapeSlackText } from '../../../src/adapters/slack/unescape.js';
import { mentionReader } from '../../../src/adapters/slack/ids.js';

describe("Slack's escaping in slash-command text", () => {
  it('decodes &amp; &lt; &gt; so places, links and names arrive as typed', () => {
    expect(unescapeSlackText('group create R&amp;D')).toBe('group create R&D');
    expect(unescapeSlackText('place Room 3 &amp; Lab')).toBe('place Room 3 & Lab');
    expect(unescapeSlackText('link https://x.test/j?a=1&amp;b=2')).toBe('link https://x.test/j?a=1&b=2');
    expect(unescapeSlackText('note 3 &lt; 4 &gt; 2')).toBe('note 3 < 4 > 2');
    // A literal "&lt;" typed as such is sent as &amp;lt; and stays literal.
    expect(unescapeSlackText('&amp;lt;')).toBe('&lt;');
  });

  it('keeps real mentions working and never turns typed text into a mention', () => {
    expect(unescapeSlackText('group add R&amp;D <@U0003|bo>')).toBe('group add R&D <@U0003|bo>');
    expect(unescapeSlackText('group add R&amp;D &lt;@U0003&gt;')).toBe('group add R&D &lt;@U0003>');
    const read = mentionReader('T0001');
    expect(read(unescapeSlackText('<@U0003|bo>'))).toBe('slack:T0001:U0003');
    expect(read(unescapeSlackText('&lt;@U0003&gt;'))).toBeUndefined();
  });
});
