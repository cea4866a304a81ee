/** Entry of a kernel thread (worker_threads), built as out/main/kernel-thread.js. See pool.ts. */
import { workerData } from 'node:worker_threads';
import { threadLoop, type ThreadInit } from './control';

threadLoop(workerData as ThreadInit);
