/**
 * The MetricService of the running app: the served warehouse, and the state database's
 * latest sampling verification results per county for quality_score (read per request:
 * they change without a refresh). Every route that reports figures builds it here, so
 * that the same metric id gives the same value everywhere.
 */
import type { FastifyInstance } from 'fastify';
import { MetricService } from './metric-service.ts';
import { SamplingStore } from '../../warehouse/quality/sampling-store.ts';

export function appMetricService(app: FastifyInstance): MetricService {
  return new MetricService(app.warehouse, () => new SamplingStore(app.stateDb).latestCountyResults());
}
