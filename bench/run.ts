// npm run bench [-- name…]: runs the named benchmarks (all when none is named) and prints figures.
import { timerBench } from './timer.js';

const benches: Record<string, () => Promise<void>> = { timer: timerBench };
const chosen = process.argv.slice(2).filter((a) => a in benches);
for (const name of chosen.length ? chosen : Object.keys(benches)) await (benches[name] as () => Promise<void>)();
