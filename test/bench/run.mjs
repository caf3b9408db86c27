#!/usr/bin/env node
/**
 * Benchmarks of the payment gateway (see test/bench/README.md).
 *
 *   npm run bench                    full run (a few minutes)
 *   npm run bench -- --smoke         tiny sizes, proves every scenario works (CI)
 *   npm run bench -- --only a,c      a subset: a, b, c, c2 (alias d2), d, e, f (f = peak RSS of a and c)
 *   npm run bench -- --profile FILE.cpuprofile [--skip-seconds N] [--top N]
 *                                    summarise a gateway CPU profile (top self-time functions)
 *
 * Env: BENCH_GATEWAY_DIST (gateway build folder, default dist), BENCH_GATEWAY_NODE_ARGS (extra node flags
 * for the gateway, e.g. "--cpu-prof --cpu-prof-dir=test/bench/results/profiles"), BENCH_ADMIN_DATABASE_URL,
 * BENCH_REDIS_URL.
 *
 * Every figure is printed next to a baseline measured in the same run; targets are reported as PASS/MISS
 * and never change the exit code. The exit code is non-zero only if a scenario could not run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  RESULTS_DIR,
  ROOT,
  dropAllDatabases,
  gatewayDist,
  gatewayNodeArgs,
  machineInfo,
  sourceVersion,
  summariseProfile,
} from './infra.mjs';
import {
  createContext,
  createPayment,
  pipelineRealistic,
  pipelineTestMode,
  readPayment,
  webhookLatency,
  webhookThroughput,
} from './scenarios.mjs';
import { performance } from 'node:perf_hooks';

const SCENARIOS = {
  a: { title: 'create payment (POST /api/v1/payments)', run: createPayment },
  b: { title: 'read payment (GET /api/v1/payments/{id})', run: readPayment },
  c: { title: 'pipeline, TEST_MODE, 5 s bank latency', run: pipelineTestMode },
  c2: { title: 'pipeline, TEST_MODE=false, 5-10 s bank latency', run: pipelineRealistic },
  d: { title: 'webhook latency (final status -> receiver)', run: webhookLatency },
  e: { title: 'webhook throughput (deliveries/s at the receiver)', run: webhookThroughput },
};
/** c2 last: it needs a gateway with TEST_MODE=false, so --smoke can share one gateway for the others. */
const ORDER = ['a', 'b', 'c', 'd', 'e', 'c2'];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'string' },
      'skip-seconds': { type: 'string', default: '0' },
      'until-seconds': { type: 'string' },
      top: { type: 'string', default: '25' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--smoke] [--only a,b,c,c2,d,e,f]');
    console.log('       npm run bench -- --profile FILE.cpuprofile [--skip-seconds N] [--until-seconds N] [--top N]');
    process.exit(0);
  }
  if (values.profile) {
    summariseProfile(values.profile, {
      skipSeconds: Number(values['skip-seconds']),
      untilSeconds: values['until-seconds'] === undefined ? undefined : Number(values['until-seconds']),
      top: Number(values.top),
    });
    process.exit(0);
  }
  let selected = new Set(ORDER);
  if (values.only) {
    selected = new Set();
    for (const raw of values.only.split(',').map((s) => s.trim().toLowerCase())) {
      const name = raw === 'd2' ? 'c2' : raw;
      if (name === 'f') {
        selected.add('a');
        selected.add('c');
      } else if (SCENARIOS[name]) selected.add(name);
      else throw new Error(`unknown scenario "${raw}" (expected a, b, c, c2/d2, d, e, f)`);
    }
  }
  return { smoke: values.smoke, scenarios: ORDER.filter((s) => selected.has(s)) };
}

// ---------------------------------------------------------------------------------------------------
// Targets and the table

/** "mean (before -> after)" of a baseline measured before and after the gateway. */
const bracket = (baseline, pick, unit = '') =>
  baseline.before
    ? `${fmt(pick(baseline), unit)} (${fmt(pick(baseline.before), '')} -> ${fmt(pick(baseline.after), unit)})`
    : fmt(pick(baseline), unit);
const verdict = (ok) => (ok === null || ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
const fmt = (value, unit = '') => (value === null || value === undefined ? '-' : `${value}${unit}`);

function tableRows(results) {
  const rows = [];
  const row = (scenario, metric, gateway, baseline, ratio, target, ok) =>
    rows.push({ scenario, metric, gateway, baseline, ratio, target, result: verdict(ok) });
  const a = results.a;
  if (a?.gateway) {
    row(
      'a',
      'create req/s',
      a.gateway.requests_per_second,
      bracket(a.baseline, (x) => x.requests_per_second),
      a.ratio,
      '>= 0.6 x baseline',
      a.ratio >= 0.6,
    );
    row(
      'a',
      'create p50',
      fmt(a.gateway.latency_ms.p50, ' ms'),
      bracket(a.baseline, (x) => x.latency_ms.p50, ' ms'),
      '',
      '',
      null,
    );
    row(
      'a',
      'create p99',
      fmt(a.gateway.latency_ms.p99, ' ms'),
      bracket(a.baseline, (x) => x.latency_ms.p99, ' ms'),
      '',
      '<= 150 ms',
      a.gateway.latency_ms.p99 <= 150,
    );
    row('a', 'create errors', a.gateway.errors, a.baseline.errors, '', '0', a.gateway.errors === 0);
  }
  const b = results.b;
  if (b?.gateway) {
    row(
      'b',
      'read req/s',
      b.gateway.requests_per_second,
      bracket(b.baseline, (x) => x.requests_per_second),
      b.ratio,
      '>= 0.6 x baseline',
      b.ratio >= 0.6,
    );
    row(
      'b',
      'read p50',
      fmt(b.gateway.latency_ms.p50, ' ms'),
      bracket(b.baseline, (x) => x.latency_ms.p50, ' ms'),
      '',
      '',
      null,
    );
    row(
      'b',
      'read p99',
      fmt(b.gateway.latency_ms.p99, ' ms'),
      bracket(b.baseline, (x) => x.latency_ms.p99, ' ms'),
      '',
      '',
      null,
    );
    row('b', 'read errors', b.gateway.errors, b.baseline.errors, '', '', null);
  }
  for (const [key, limit] of [
    ['c', 15],
    ['c2', 20],
  ]) {
    const c = results[key];
    if (!c?.payments) continue;
    const ideal = Array.isArray(c.bank_delay_ms)
      ? `<= ${c.ideal_s} s (max latency + creation)`
      : `${c.ideal_s} s (latency + creation)`;
    row(
      key,
      `${c.payments} payments all final`,
      c.all_final_s === null ? `timeout (${c.final}/${c.payments})` : `${c.all_final_s} s`,
      `ideal ${ideal}`,
      c.all_final_s === null ? '' : `${((c.ideal_s / c.all_final_s) * 100).toFixed(0)}% of ideal`,
      `<= ${limit} s`,
      c.all_final_s !== null && c.all_final_s <= limit,
    );
    row(key, 'creation', `${c.creation_s} s (${c.creation_per_second}/s)`, '', '', '', null);
  }
  const d = results.d;
  if (d?.gateway) {
    const g = d.gateway;
    const label = `${g.delivered}/${d.payments} at ${g.achieved_rate_per_second}/s`;
    const base = (v) => `${fmt(v, ' ms')} (raw UPDATE + POST)`;
    row('d', `webhook p50 (${label})`, fmt(g.latency_ms.p50, ' ms'), base(d.baseline.latency_ms.p50), '', '', null);
    row(
      'd',
      'webhook p99',
      fmt(g.latency_ms.p99, ' ms'),
      base(d.baseline.latency_ms.p99),
      '',
      '<= 250 ms',
      g.missing === 0 && g.latency_ms.p99 <= 250,
    );
  }
  const e = results.e;
  if (e?.gateway) {
    row(
      'e',
      `deliveries/s (${e.gateway.events} queued)`,
      e.gateway.deliveries_per_second,
      `raw undici ${bracket(e.baseline, (x) => x.deliveries_per_second)}`,
      e.ratio,
      '>= 0.5 x raw',
      e.ratio >= 0.5,
    );
    row(
      'e',
      'deliveries/s via POST /webhooks/test',
      e.via_api.deliveries_per_second,
      `raw undici ${fmt(e.baseline.deliveries_per_second)}`,
      e.via_api.ratio,
      'info',
      null,
    );
  }
  const peaks = [
    ['a', results.a?.gateway?.peak_rss_mb],
    ['c', results.c?.peak_rss_mb],
  ].filter(([, v]) => typeof v === 'number');
  if (peaks.length > 0) {
    const peak = Math.max(...peaks.map(([, v]) => v));
    const baselinePeak = results.a?.baseline?.peak_rss_mb;
    row(
      'f',
      `peak RSS (${peaks.map(([k, v]) => `${k}: ${v}`).join(', ')})`,
      `${peak} MB`,
      baselinePeak ? `${baselinePeak} MB (baseline a)` : '',
      '',
      '<= 300 MB',
      peak <= 300,
    );
  }
  return rows;
}

function renderTable(rows) {
  const head = {
    scenario: '',
    metric: 'metric',
    gateway: 'gateway',
    baseline: 'baseline',
    ratio: 'ratio',
    target: 'target',
    result: 'result',
  };
  const columns = Object.keys(head);
  const all = [head, ...rows].map((r) => Object.fromEntries(columns.map((c) => [c, String(r[c] ?? '')])));
  const width = Object.fromEntries(columns.map((c) => [c, Math.max(...all.map((r) => r[c].length))]));
  const line = (r) => `| ${columns.map((c) => r[c].padEnd(width[c])).join(' | ')} |`;
  return [line(all[0]), `|${columns.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`, ...all.slice(1).map(line)].join(
    '\n',
  );
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions();
  const started = new Date();
  const runId = `${started.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}_${process.pid}`;
  const machine = machineInfo();
  console.log(`Payment gateway benchmark ${options.smoke ? '(SMOKE: tiny sizes, figures are not meaningful)' : ''}`);
  console.log(`  date     ${started.toISOString()}`);
  console.log(
    `  machine  ${machine.cpu_count} x ${machine.cpu_model}, ${machine.total_memory_mb} MB RAM, ${machine.os}`,
  );
  console.log(`  node     ${machine.node}; load average ${machine.load_average_at_start.join(' ')}`);
  console.log(`  gateway  ${relative(ROOT, gatewayDist()) || '.'}/main.js ${gatewayNodeArgs().join(' ')}`);
  console.log(`  run      ${options.scenarios.join(', ')}`);

  const ctx = createContext(runId, options.smoke);
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: cleaning up (databases, Redis keys, child processes)...`);
    void ctx.close().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results = {};
  const errors = {};
  if (options.smoke) {
    console.log('\n[setup] starting the baseline server and the gateways in parallel (--smoke)');
    try {
      await ctx.prestart(options.scenarios);
    } catch (error) {
      errors.setup = error.stack ?? String(error);
      console.error(`  FAILED: ${error.stack ?? error}`);
    }
  }
  for (const key of options.scenarios) {
    const scenario = SCENARIOS[key];
    console.log(`\n[${key}] ${scenario.title}`);
    const began = performance.now();
    try {
      results[key] = await scenario.run(ctx);
      sanityCheck(key, results[key], options.smoke);
      console.log(`  done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    } catch (error) {
      errors[key] = error.stack ?? String(error);
      console.error(`  FAILED: ${error.stack ?? error}`);
    } finally {
      await ctx.afterScenario().catch((error) => console.warn(`  cleanup: ${error.message}`));
    }
    if (interrupted) return;
  }
  await ctx.close();

  const rows = tableRows(results);
  console.log(
    `\nResults (${started.toISOString()}, ${machine.cpu_count} x ${machine.cpu_model}, node ${machine.node})`,
  );
  console.log(renderTable(rows));
  for (const key of ['a', 'b', 'e']) {
    const drift = results[key]?.baseline?.drift;
    if (!options.smoke && drift > 0.25) {
      console.log(
        `note: the (${key}) baseline changed by ${Math.round(drift * 100)}% between its runs before and after the gateway:`,
      );
      console.log('      the machine was not steady, so the ratio is uncertain.');
    }
  }
  for (const [key, error] of Object.entries(errors)) console.log(`[${key}] ERROR: ${error.split('\n')[0]}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${runId}${options.smoke ? '_smoke' : ''}.json`);
  const report = {
    date: started.toISOString(),
    duration_s: Math.round((Date.now() - started.getTime()) / 1000),
    mode: options.smoke ? 'smoke' : 'full',
    scenarios: options.scenarios,
    sizes: ctx.sizes,
    machine: { ...machine, load_average_at_end: machineInfo().load_average_at_start },
    gateway: { dist: gatewayDist(), node_args: gatewayNodeArgs(), source: sourceVersion() },
    table: rows,
    results,
    errors,
    gateway_log_errors: ctx.logErrors,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: ${relative(ROOT, file)}`);
  process.exitCode = Object.keys(errors).length > 0 ? 1 : 0;
}

/** A scenario that produced no usable figure did not work (a target miss is not an error). */
function sanityCheck(key, result, smoke) {
  const fail = (why) => {
    throw new Error(`scenario ${key} produced no usable result: ${why}`);
  };
  if (key === 'a' || key === 'b') {
    for (const side of ['gateway', 'baseline']) {
      const figures = result[side];
      if (!(figures.responses > figures.errors))
        fail(`${side}: ${figures.errors} of ${figures.responses} requests failed`);
    }
  }
  if ((key === 'c' || key === 'c2') && (result.final === 0 || (smoke && result.timed_out))) {
    fail(`${result.final}/${result.payments} payments final after ${result.all_final_s ?? 'timeout'}`);
  }
  if (key === 'd') {
    for (const side of ['gateway', 'baseline']) {
      const r = result[side];
      if (r.delivered === 0 || (smoke && r.missing > 0) || r.receiver.bad_signatures > 0) {
        fail(`${side}: ${r.delivered}/${result.payments} delivered, ${r.receiver.bad_signatures} bad signatures`);
      }
    }
  }
  if (key === 'e') {
    for (const [side, figures] of [
      ['gateway', result.gateway],
      ['baseline', result.baseline],
      ['via_api', result.via_api],
    ]) {
      if (!(figures.delivered > 0) || figures.bad_signatures > 0 || (smoke && figures.delivered < figures.events)) {
        fail(`${side}: ${figures.delivered}/${figures.events} delivered, ${figures.bad_signatures} bad signatures`);
      }
    }
  }
}

main().catch(async (error) => {
  console.error(error.stack ?? error);
  await dropAllDatabases().catch(() => undefined);
  process.exit(1);
});
