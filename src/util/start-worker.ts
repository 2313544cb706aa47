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
