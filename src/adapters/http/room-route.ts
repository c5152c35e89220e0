// GET /room/<token> and what the page loads from under it: the room display of one channel's
// timer (src/web/room), its event stream, and the Teams JavaScript client, all from this server
// (no CDN, no third-party request). The token is the only credential, so it is never logged; an
// unknown or revoked token, and any path under it that is not one of ours, gets the server's
// own plain 404 after the same one store read, so a guess learns nothing, not even by timing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Place } from '../../core/plumbing/ids.js';
import type { Logger } from '../../core/ports.js';
import type { RoomHub } from './room-hub.js';
import { notFound, type Route } from './server.js';

export interface RoomPlaces {
  placeOf(token: string): Promise<Place | undefined>;
}

/** Teams (and Teams inside Outlook and Microsoft 365) may frame the page; nothing else may. */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
];

export const ROOM_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors 'self' ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

/** Every answer of the room display carries these (the 404s too: see server.ts). */
export const ROOM_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': ROOM_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** /room/<token>[/<file>]; the token's shape is checked by RoomLinks. */
export const ROOM_PATH = /^\/room\/(?<token>[^/]{1,64})(?:\/(?<file>[^/]{1,32}))?$/;

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('package.json not found above the room route');
  }
}

interface Asset {
  type: string;
  body: Buffer;
}

function loadAssets(): Record<string, Asset> {
  const web = join(packageRoot(import.meta.dirname), 'src', 'web', 'room');
  const file = (name: string, type: string): Asset => ({ type, body: readFileSync(join(web, name)) });
  const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js');
  return {
    '': file('index.html', 'text/html; charset=utf-8'),
    'room.css': file('room.css', 'text/css; charset=utf-8'),
    'room.js': file('room.js', 'text/javascript; charset=utf-8'),
    'teams.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(teamsJs) },
  };
}

/** The setup page Teams opens when a tab is added (the link is pasted there). Not secret. */
export const ROOM_SETUP_PATH = /^\/room-setup(?:\/(?<file>setup\.js|room\.css|teams\.js))?$/;

function loadSetupAssets(assets: Record<string, Asset>): Record<string, Asset> {
  const web = join(packageRoot(import.meta.dirname), 'src', 'web', 'room');
  return {
    '': { type: 'text/html; charset=utf-8', body: readFileSync(join(web, 'setup.html')) },
    'setup.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(web, 'setup.js')) },
    'room.css': assets['room.css'] as Asset,
    'teams.js': assets['teams.js'] as Asset,
  };
}

function serve(res: ServerResponse, asset: Asset): void {
  res
    .writeHead(200, { ...ROOM_HEADERS, 'content-type': asset.type, 'content-length': asset.body.length })
    .end(asset.body);
}

export function roomRoutes(places: RoomPlaces, hub: RoomHub, logger: Logger): Route[] {
  const assets = loadAssets();
  const setup = loadSetupAssets(assets);
  return [
    {
      method: 'GET',
      path: ROOM_PATH,
      async handler(_req, res, params) {
        const place = await places.placeOf(params.token ?? '');
        const file = params.file ?? '';
        if (!place || (file !== 'events' && !(file in assets))) {
          notFound(res);
          return;
        }
        if (file === '') {
          // The page names its own files by the token, so they resolve under it.
          const page = assets[''] as Asset;
          serve(res, {
            type: page.type,
            body: Buffer.from(page.body.toString('utf8').replaceAll('__TOKEN__', params.token ?? '')),
          });
          return;
        }
        if (file !== 'events') {
          serve(res, assets[file] as Asset);
          return;
        }
        if (!hub.hasRoom(place)) {
          logger.warn('room.stream-refused', { count: hub.openStreams });
          res.writeHead(503, { ...ROOM_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
          res.end('busy');
          return;
        }
        res.setHeaders(new Map(Object.entries(ROOM_HEADERS)));
        await hub.open(place, res);
      },
    },
    {
      method: 'GET',
      path: ROOM_SETUP_PATH,
      handler(_req, res, params) {
        serve(res, setup[params.file ?? ''] as Asset);
      },
    },
  ];
}
