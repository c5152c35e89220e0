// npm run bench [-- name…]: runs the named benchmarks (all when none is named) and prints figures.
import { clusterBench } from './cluster.js';
import { roomBench } from './room.js';
import { rotationsBench } from './rotations.js';
import { scheduleBench } from './schedule.js';
import { slackBench } from './slack.js';
import { startupBench } from './startup.js';
import { teamsBench } from './teams.js';
import { timerBench } from './timer.js';

const benches: Record<string, () => Promise<void>> = {
  timer: timerBench,
  slack: slackBench,
  schedule: scheduleBench,
  cluster: clusterBench,
  teams: teamsBench,
  rotations: rotationsBench,
  startup: startupBench,
  room: roomBench,
};
const chosen = process.argv.slice(2).filter((a) => a in benches);
for (const name of chosen.length ? chosen : Object.keys(benches)) await (benches[name] as () => Promise<void>)();
