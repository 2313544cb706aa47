// Loads the TypeScript worker through tsx, which does not carry into worker threads by itself.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
