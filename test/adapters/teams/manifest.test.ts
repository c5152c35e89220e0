// The Teams app package: the manifest validates offline against schema 1.25, its command hints
// name real commands, the icons have the sizes Teams requires, and the zip has them at its root.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/commands/registry.js';
import { buildTeamsPackage, NO_APP_ID } from '../../../scripts/package-teams.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'manifest', 'teams');
const manifestText = readFileSync(join(dir, 'manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText) as TeamsManifest & {
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
};

// The schema shipped in the package, passed explicitly: the library would fetch it from the web
// if its local copy were missing, and this test must stay offline.
const schemaFile = join(
  dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest')),
  'json-schemas',
  'teams',
  'v1.25',
  'MicrosoftTeams.schema.json',
);
const schema = JSON.parse(
  readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'),
) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];

describe('Teams manifest', () => {
  it('validates against its $schema (1.25), loaded from the package, offline', async () => {
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json',
    );
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schema)).toEqual([]);
    // The validator does catch mistakes.
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ['channel'] }] };
    expect((await AppManifestUtils.validateAgainstSchema(broken as TeamsManifest, schema)).length).toBeGreaterThan(0);
  });

  it('is a bot in personal, team and group chat scopes, asking for no message-reading consent', () => {
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifestText).not.toMatch(/ChannelMessage\.Read|ChatMessage\.Read|webApplicationInfo|authorization/);
  });

  it('hints only commands the bot has, and help in every scope', () => {
    const verbs = new Set(commands.map((c) => c.verb));
    const lists = manifest.bots[0]!.commandLists;
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title).filter((t) => !verbs.has(t))).toEqual([]);
      expect(list.commands.map((c) => c.title)).toContain('help');
    }
    // The timer is run in channels: its verbs are hinted there.
    const team = lists.find((l) => l.scopes.includes('team'))!.commands.map((c) => c.title);
    for (const verb of ['start', 'next', 'pause', 'resume', 'extend', 'end', 'status']) expect(team).toContain(verb);
  });

  it('has a 192×192 colour icon and a 32×32 outline that is white on transparency', () => {
    const color = PNG.sync.read(readFileSync(join(dir, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(readFileSync(join(dir, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i]!, outline.data[i + 1]!, outline.data[i + 2]!, outline.data[i + 3]!];
      alphas.add(a);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(alphas.has(0)).toBe(true);
  });

  it('packages the manifest and icons at the zip root, with the app id filled in', () => {
    const appId = '12345678-1234-1234-1234-123456789abc';
    const zip = buildTeamsPackage(appId);
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(zip.readAsText('manifest.json')) as { id: string; bots: Array<{ botId: string }> };
    expect(packed.id).toBe(appId);
    expect(packed.bots[0]!.botId).toBe(appId);
    expect(() => buildTeamsPackage('not-a-guid')).toThrow();
  });

  it('offers the room display as a meeting side panel and stage tab, on the public URL it is given', async () => {
    const tabs = (manifest as unknown as { configurableTabs: Array<{ context: string[]; configurationUrl: string }> })
      .configurableTabs;
    expect(tabs[0]!.context).toEqual(expect.arrayContaining(['meetingSidePanel', 'meetingStage']));
    const zip = buildTeamsPackage(undefined, { example: true, publicUrl: 'https://timer.med.example.org/balint/' });
    const packed = JSON.parse(zip.readAsText('manifest.json')) as TeamsManifest & {
      configurableTabs: Array<{ configurationUrl: string }>;
      validDomains: string[];
    };
    expect(packed.configurableTabs[0]!.configurationUrl).toBe('https://timer.med.example.org/balint/room-setup');
    expect(packed.validDomains).toEqual(['timer.med.example.org']);
    expect(await AppManifestUtils.validateAgainstSchema(packed, schema)).toEqual([]);
    expect(() => buildTeamsPackage(undefined, { example: true, publicUrl: 'http://insecure.example.org' })).toThrow();
  });

  it('refuses to package without an app id, unless --example asks for the placeholder', () => {
    expect(() => buildTeamsPackage(undefined)).toThrow(NO_APP_ID);
    const example = JSON.parse(buildTeamsPackage(undefined, { example: true }).readAsText('manifest.json')) as {
      id: string;
    };
    const source = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      id: string;
    };
    expect(example.id).toBe(source.id);
  });

  it('`npm run package:teams` without MICROSOFT_APP_ID exits 1 with the reason and writes nothing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams.ts'], {
      cwd: join(import.meta.dirname, '../../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('MICROSOFT_APP_ID is not set');
    expect(run.stdout).toBe('');
  });
});
