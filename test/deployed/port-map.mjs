// Preloaded into the listener task's process (`node --import`): a Fargate task has an address of
// its own, here every task shares loopback with the rest of the machine, so each container port the
// task definition maps is bound on the free local port the test chose for it (AS_DEPLOYED_PORT_MAP,
// `{"tcp:8081": 41234, ...}`), on 127.0.0.1. A port the task definition does not map gets an
// ephemeral port, as it would be unreachable through the load balancer anyway.
import dgram from 'node:dgram';
import net from 'node:net';

const map = JSON.parse(process.env.AS_DEPLOYED_PORT_MAP ?? '{}');

function remap(protocol, port) {
  const n = Number(port);
  if (!Number.isInteger(n) || n === 0) return port;
  const local = map[`${protocol}:${n}`];
  if (local === undefined) process.stderr.write(`as-deployed: ${protocol} port ${n} is not mapped by the task definition\n`);
  return local ?? 0;
}

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'object' && args[0] !== null && 'port' in args[0]) args[0] = { ...args[0], port: remap('tcp', args[0].port), host: '127.0.0.1' };
  else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    args[0] = remap('tcp', args[0]);
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

const bind = dgram.Socket.prototype.bind;
dgram.Socket.prototype.bind = function (...args) {
  if (typeof args[0] === 'object' && args[0] !== null) args[0] = { ...args[0], port: remap('udp', args[0].port), address: '127.0.0.1' };
  else if (typeof args[0] === 'number') {
    args[0] = remap('udp', args[0]);
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return bind.apply(this, args);
};

// The task stops with the test that started it (ECS would stop it with its service), even if the
// test's process is killed before it can: orphaned, it gets the SIGTERM a stopping task gets.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
