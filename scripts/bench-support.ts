/** What every benchmark shares: the emulator as a separate process, peak memory, and the report. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface EmulatorReady {
  url: string;
  caFile: string;
  tenantId: string;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  bar: number;
  /** 'max': value must stay below bar; 'min': at least bar; 'eq': exactly bar; 'info': no bar (a floor, for comparison). */
  rule: 'max' | 'min' | 'eq' | 'info';
}

export function spawnEmulator(
  users: number,
  extraArgs: string[] = [],
): Promise<{ child: ChildProcess; ready: EmulatorReady }> {
  const child = spawn('npx', ['tsx', 'src/emulator/cli.ts', '--port', '0', '--users', String(users), ...extraArgs], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.trim().startsWith('{')) return;
      const ready = JSON.parse(line) as EmulatorReady;
      if (ready.url && ready.caFile) resolve({ child, ready });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early with code ${code}`)));
  });
}

/** Stops a process started with `detached: true` and everything it started (npx does not pass signals on). */
export async function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await exited;
}

/** Largest VmHWM (peak resident set) among a process and its descendants (npx → tsx → node). */
export function peakRssOfTree(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let peak = 0;
  for (const pid of tree) {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      peak = Math.max(peak, Number(kb ?? 0) * 1024);
    } catch {
      // gone
    }
  }
  return peak;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** Prints each figure beside its bar; sets a failing exit code when one falls short. */
export function report(figures: Figure[]): void {
  let failed = 0;
  for (const figure of figures) {
    const ok =
      figure.rule === 'info' ||
      (figure.rule === 'max'
        ? figure.value <= figure.bar
        : figure.rule === 'min'
          ? figure.value >= figure.bar
          : figure.value === figure.bar);
    if (!ok) failed++;
    const sign = { max: '<=', min: '>=', eq: '=', info: '' }[figure.rule];
    const value = Number.isInteger(figure.value) ? figure.value : figure.value.toFixed(2);
    const unit = figure.unit ? ` ${figure.unit}` : '';
    const bar = figure.rule === 'info' ? '(no bar)' : `(bar ${sign} ${figure.bar}${unit}) ${ok ? 'OK' : 'FAIL'}`;
    console.log(`${figure.label}: ${value}${unit} ${bar}`);
  }
  if (failed > 0) {
    console.error(`${failed} figure(s) fell short`);
    process.exitCode = 1;
  }
}
