/**
 * Worker thread entry: builds the same setup as the main thread from the options and
 * generates its range of counties (see county-range.ts), then posts the part result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCountyRange } from './county-range.ts';
import { buildSetup, type ResolvedOptions } from './province-setup.ts';

interface Job {
  readonly options: ResolvedOptions;
  readonly range: [number, number];
  readonly part: number;
}

const job = workerData as Job;
const result = runCountyRange(buildSetup(job.options), job.range, job.part, (line) => parentPort!.postMessage({ log: line }));
parentPort!.postMessage({ result }, [result.monthEnd.buffer, result.flows.buffer, result.festival.buffer, result.pointCounts.buffer] as ArrayBuffer[]);
