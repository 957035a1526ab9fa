import type { FaultKind, FaultRule, LatencyRule, RequestMatch } from '../control/control-types.js';

interface StoredRule extends FaultRule {
  id: number;
  regex?: RegExp;
}

/** Deterministic faults set through the control API: next N matching requests fail in a chosen way. */
export class FaultInjector {
  private rules: StoredRule[] = [];
  private latencyRules: (LatencyRule & { regex?: RegExp })[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, ...(rule.pathRegex ? { regex: new RegExp(rule.pathRegex, 'i') } : {}) });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ id: _id, regex: _regex, ...rule }) => rule);
  }

  /** Consumes one use of the first rule of one of `kinds` that matches, if any. */
  take(method: string, path: string, kinds: readonly FaultKind[]): FaultRule | undefined {
    const rule = this.rules.find((r) => kinds.includes(r.kind) && r.count > 0 && matches(r, r.regex, method, path));
    if (!rule) return undefined;
    rule.count--;
    if (rule.count <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  setLatency(rules: LatencyRule[]): void {
    this.latencyRules = rules.map((r) => ({ ...r, ...(r.pathRegex ? { regex: new RegExp(r.pathRegex, 'i') } : {}) }));
  }

  latencyFor(method: string, path: string): number {
    return this.latencyRules.find((r) => matches(r, r.regex, method, path))?.ms ?? 0;
  }
}

function matches(match: RequestMatch, regex: RegExp | undefined, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (regex) return regex.test(path);
  if (!match.path) return true;
  const prefix = match.path.replace(/^\/(v1\.0|beta)(?=\/)/i, '').toLowerCase();
  return path.toLowerCase().startsWith(prefix);
}
