// Preloaded into the Agents Playground (`node --import`) by the end-to-end test: it listens on
// loopback only, and any connection it tries to anywhere else (telemetry, update checks) fails
// at once instead of waiting on a network the test machine may not have.
import net from 'node:net';
import process from 'node:process';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  // listen(port[, backlog][, callback]) without a host means every interface.
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host)
    args[0] = { ...args[0], host: '127.0.0.1' };
  return listen.apply(this, args);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = args[0] && typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
  const host = options.path ? 'localhost' : (options.host ?? 'localhost');
  if (!LOOPBACK.has(host)) {
    process.nextTick(() => this.destroy(Object.assign(new Error(`blocked: ${host}`), { code: 'ECONNREFUSED' })));
    return this;
  }
  return connect.apply(this, args);
};
