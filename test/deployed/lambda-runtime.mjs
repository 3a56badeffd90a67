// A Lambda execution environment for one function, run by lambda-host.ts as a child process with
// the function's environment: loads the handler the template names (`_HANDLER`, e.g.
// `index.handler`) from the bundled code (`LAMBDA_TASK_ROOT`) once (the init phase), then runs one
// invocation at a time as the host sends them over IPC, with a Lambda context object.
// Plain JavaScript on purpose: the bundle runs on Node exactly as the Lambda runtime runs it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.LAMBDA_TASK_ROOT ?? '.';
const spec = process.env._HANDLER ?? 'index.handler';
const dot = spec.lastIndexOf('.');
const [file, exportName] = [spec.slice(0, dot), spec.slice(dot + 1)];

async function loadHandler() {
  const base = join(root, file);
  if (existsSync(`${base}.mjs`)) return (await import(pathToFileURL(`${base}.mjs`).href))[exportName];
  const path = existsSync(`${base}.js`) ? `${base}.js` : `${base}.cjs`;
  if (!existsSync(path)) throw new Error(`Cannot find module '${file}' in ${root}`);
  return createRequire(join(root, 'noop.js'))(path)[exportName];
}

function context(id, deadline, arn) {
  return {
    awsRequestId: id,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function call(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    const r = handler(event, ctx, (err, result) => (err ? reject(err) : resolve(result)));
    if (r && typeof r.then === 'function') r.then(resolve, reject);
  });
}

const failure = (err) => ({
  ok: false,
  errorType: err instanceof Error ? err.name : 'Error',
  errorMessage: err instanceof Error ? err.message : String(err),
  stack: err instanceof Error ? err.stack : undefined,
});

let handler;
try {
  handler = await loadHandler();
  if (typeof handler !== 'function') throw new Error(`${spec} is undefined or not exported`);
  process.send({ type: 'ready' });
} catch (err) {
  process.send({ type: 'init-error', ...failure(err), errorType: 'Runtime.ImportModuleError' });
}

process.on('message', async (msg) => {
  if (msg?.type !== 'invoke') return;
  if (typeof handler !== 'function') return process.send({ type: 'result', id: msg.id, ...failure(new Error('init failed')) });
  try {
    const result = await call(handler, msg.event, context(msg.id, msg.deadline, msg.arn));
    process.send({ type: 'result', id: msg.id, ok: true, result: result === undefined ? null : result });
  } catch (err) {
    process.send({ type: 'result', id: msg.id, ...failure(err) });
  }
});

// The execution environment goes away with its host (the test's process).
process.on('disconnect', () => process.exit(0));
