import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics of this process (resident memory, CPU, heap and heap
 * spaces, event-loop lag, GC durations, handles, file descriptors), on a registry of their
 * own. They describe the process, not an app, so they are collected once per process
 * however many apps it runs (tests start several): the first call starts the collection,
 * every later one returns the same registry, and nothing is ever registered twice.
 */
export function processMetricsRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
