import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { LiveStats } from '../live/index.js';

/**
 * Live-updates metrics, read from the hub's statistics at scrape time (nothing runs per event):
 * active subscriptions and pollers, polls by outcome, events sent.
 */
export function registerLiveMetrics(registry: Registry, stats: () => LiveStats): void {
  const registers = [registry];
  new Gauge({
    name: 'gateway_live_subscriptions',
    help: 'Subscriptions open now.',
    registers,
    collect() {
      this.set(stats().subscriptions);
    },
  });
  new Gauge({
    name: 'gateway_live_pollers',
    help: 'Listings polled now (one poller per listing and scope, shared by its subscribers).',
    registers,
    collect() {
      this.set(stats().pollers);
    },
  });
  new Counter({
    name: 'gateway_live_polls_total',
    help: 'Polls of watched listings by outcome (ok, throttled, failed).',
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(stats().polls)) this.inc({ outcome }, count);
    },
  });
  new Counter({
    name: 'gateway_live_events_sent_total',
    help: 'Subscription events handed to subscribers.',
    registers,
    collect() {
      this.reset();
      this.inc(stats().eventsSent);
    },
  });
}
