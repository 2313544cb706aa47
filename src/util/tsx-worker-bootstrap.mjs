// Worker (and child process) entry used when pedigree runs from its TypeScript sources: registers tsx, then loads
// the worker module named in argv (see start-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
