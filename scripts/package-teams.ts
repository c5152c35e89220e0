// npm run package:teams: builds dist/balint-teams.zip (manifest.json, color.png, outline.png at
// the zip's root), ready to side-load. MICROSOFT_APP_ID becomes the app and bot id; without it
// the script refuses (a zip with the placeholder id installs, and then no bot ever answers),
// unless `--example` asks for exactly that placeholder package. BALINT_PUBLIC_URL, when set, is
// where the room display tab's setup page lives (configurationUrl) and its host the valid domain.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';

const root = join(import.meta.dirname, '..');
const source = join(root, 'manifest', 'teams');
const out = join(root, 'dist', 'balint-teams.zip');

export const NO_APP_ID =
  'MICROSOFT_APP_ID is not set: the package would carry a placeholder id and the app would reach no bot. ' +
  "Set it to your Azure Bot's Microsoft App ID, or pass --example for a placeholder package.";

export function buildTeamsPackage(
  appId: string | undefined,
  options: { example?: boolean; publicUrl?: string | undefined } = {},
): AdmZip {
  const { publicUrl } = options;
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as {
    id: string;
    bots: Array<{ botId: string }>;
    configurableTabs: Array<{ configurationUrl: string }>;
    validDomains: string[];
  };
  if (publicUrl) {
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:') throw new Error('BALINT_PUBLIC_URL must be https:// for a Teams tab');
    const base = url.href.replace(/\/+$/, '');
    for (const tab of manifest.configurableTabs) tab.configurationUrl = `${base}/room-setup`;
    manifest.validDomains = [url.host];
  }
  if (appId) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId))
      throw new Error('MICROSOFT_APP_ID must be a GUID');
    manifest.id = appId;
    for (const bot of manifest.bots) bot.botId = appId;
  } else if (!options.example) {
    throw new Error(NO_APP_ID);
  }
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const icon of ['color.png', 'outline.png']) zip.addFile(icon, readFileSync(join(source, icon)));
  return zip;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  try {
    const zip = buildTeamsPackage(process.env.MICROSOFT_APP_ID?.trim() || undefined, {
      example: process.argv.slice(2).includes('--example'),
      publicUrl: process.env.BALINT_PUBLIC_URL?.trim() || undefined,
    });
    mkdirSync(join(root, 'dist'), { recursive: true });
    zip.writeZip(out);
    process.stdout.write(`wrote ${out}\n`);
  } catch (error) {
    process.stderr.write(`package:teams: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
