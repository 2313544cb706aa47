import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const TSX_BOOTSTRAP = new URL('./tsx-worker-bootstrap.mjs', import.meta.url);

/**
 * Starts a worker thread on a sibling module given without extension (`./import-worker`):
 * the compiled `.js` when running from dist/, or the `.ts` source through a tsx bootstrap when
 * running from src/ (tsx does not carry into worker threads by itself).
 */
export function startWorker(callerUrl: string, relativeModule: string, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const target = new URL(`${relativeModule}.ts`, callerUrl);
    return new Worker(TSX_BOOTSTRAP, { ...options, argv: [target.href] });
  }
  return new Worker(new URL(`${relativeModule}.js`, callerUrl), options);
}

/**
 * Starts a child process (with an IPC channel, structured-clone messages) on a sibling module
 * given without extension, like startWorker: the `.js` from dist/, or the `.ts` source through
 * the tsx bootstrap. `args` follow the module in the child's argv.
 */
export function startChildProcess(callerUrl: string, relativeModule: string, args: string[], options: ForkOptions = {}): ChildProcess {
  const common: ForkOptions = { serialization: 'advanced', execArgv: [], ...options };
  if (callerUrl.endsWith('.ts')) {
    const target = new URL(`${relativeModule}.ts`, callerUrl);
    return fork(fileURLToPath(TSX_BOOTSTRAP), [target.href, ...args], common);
  }
  return fork(fileURLToPath(new URL(`${relativeModule}.js`, callerUrl)), args, common);
}
