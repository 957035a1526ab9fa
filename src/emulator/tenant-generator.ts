import { Prng } from './core/prng.js';
import { SortedIdList } from './core/sorted-id-list.js';
import { photoRecord } from './graph/photo.routes.js';
import type { TenantData } from './store/directory-store.js';
import type { GroupRecord, OtherObjectRecord, Props, UserRecord } from './store/store-types.js';
import { DEPARTMENTS, fakeJpeg, FIRST_NAMES, LAST_NAMES, OFFICES } from './tenant-data.js';
import type { Department } from './tenant-data.js';

export interface GeneratorOptions {
  users: number;
  seed?: number;
  /** Verified domains; most users get the first, the rest the second. */
  domains: readonly string[];
  /** Fixed reference time so the same seed gives byte-identical tenants. */
  now?: number;
}

const asciiCache = new Map<string, string>();
/**
 * UPNs allow only ASCII letters, digits and ' . - _ ! # ^ ~
 * (https://learn.microsoft.com/graph/api/resources/user); names are few, so cache.
 */
function ascii(s: string): string {
  let folded = asciiCache.get(s);
  if (folded === undefined) {
    folded = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/[^A-Za-z0-9'.-]/g, '');
    asciiCache.set(s, folded);
  }
  return folded;
}
const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const DAY = 86_400_000;

/**
 * A deterministic demo tenant: people with departments, titles, a manager tree, HR fields and the
 * awkward cases the connector must survive (no given name, hybrid users, mails differing only in
 * case, disabled accounts, non-user group members, nested groups, photos).
 */
export function generateTenant(options: GeneratorOptions): TenantData {
  const prng = new Prng(options.seed ?? 42);
  const now = options.now ?? Date.UTC(2025, 0, 1);
  const [mainDomain = 'contoso.com', secondDomain = mainDomain] = options.domains;
  const totalWeight = DEPARTMENTS.reduce((n, d) => n + d.weight, 0);
  const byDepartment = new Map<string, UserRecord[]>(DEPARTMENTS.map((d) => [d.name, []]));
  const usedNames = new Map<string, number>();
  const users: UserRecord[] = [];
  const ids = new Set<string>();
  const newId = (): string => {
    let id = prng.uuid();
    while (ids.has(id)) id = prng.uuid();
    ids.add(id);
    return id;
  };

  for (let i = 0; i < options.users; i++) {
    const department = i < DEPARTMENTS.length ? (DEPARTMENTS[i] as Department) : pickDepartment(prng, totalWeight);
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    const base = `${ascii(first)}.${ascii(last)}`.toLowerCase();
    const seen = usedNames.get(base) ?? 0;
    usedNames.set(base, seen + 1);
    const alias = seen === 0 ? base : `${base}${seen + 1}`;
    const domain = prng.chance(0.8) ? mainDomain : secondDomain;
    const office = prng.pick(OFFICES);
    const id = newId();
    const p: Props = {
      id,
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      userPrincipalName: `${alias}@${domain}`,
      mail: `${capitalise(alias)}@${domain}`,
      mailNickname: alias,
      accountEnabled: !prng.chance(0.03),
      userType: 'Member',
      department: department.name,
      jobTitle: prng.pick(department.titles),
      companyName: domain === mainDomain ? 'Contoso Ltd' : 'Fabrikam Inc',
      employeeId: String(100000 + i),
      employeeType: prng.chance(0.9) ? 'Employee' : 'Contractor',
      employeeHireDate: iso(Date.UTC(2005, 0, 1) + prng.int(20 * 365) * DAY),
      city: office.city,
      country: office.country,
      usageLocation: office.usageLocation,
      officeLocation: office.officeLocation,
      preferredLanguage: office.language,
      businessPhones: prng.chance(0.9) ? [`${office.phonePrefix}${String(prng.int(10000)).padStart(4, '0')}`] : [],
      createdDateTime: iso(now - prng.int(3000) * DAY),
    };
    if (prng.chance(0.7)) p['mobilePhone'] = `${office.phonePrefix}${String(prng.int(10000)).padStart(4, '0')}`;
    if (prng.chance(0.1))
      p['onPremisesExtensionAttributes'] = {
        extensionAttribute1: `CC-${1000 + prng.int(9000)}`,
        extensionAttribute2: prng.pick(['A', 'B', 'C']),
      };
    if (i % 97 === 5) {
      delete p['givenName'];
      delete p['surname'];
      p['displayName'] = `${department.name} Service Desk ${i}`;
    }
    if (i % 53 === 7) Object.assign(p, hybrid(prng, now));
    const user: UserRecord = { id, p };
    if (i % 47 === 3) user.photo = photoRecord(fakeJpeg(i), 'image/jpeg');
    users.push(user);
    (byDepartment.get(department.name) as UserRecord[]).push(user);
  }
  addCaseTwin(users);
  const managers = assignManagers(prng, users, byDepartment);
  const { groups, others } = buildGroups(prng, newId, users, byDepartment, managers, mainDomain, now);
  return { users, groups, others };
}

function pickDepartment(prng: Prng, totalWeight: number): Department {
  let roll = prng.int(totalWeight);
  for (const d of DEPARTMENTS) {
    if (roll < d.weight) return d;
    roll -= d.weight;
  }
  return DEPARTMENTS[0] as Department;
}

function capitalise(alias: string): string {
  return alias
    .split('.')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('.');
}

function hybrid(prng: Prng, now: number): Props {
  return {
    onPremisesSyncEnabled: true,
    onPremisesImmutableId: Buffer.from(prng.uuid()).toString('base64').slice(0, 24).replace(/[+/=]/g, 'A'),
    onPremisesLastSyncDateTime: iso(now - prng.int(7) * DAY),
    onPremisesDomainName: 'corp.contoso.com',
  };
}

/** Two users whose mails differ only in letter case. */
function addCaseTwin(users: UserRecord[]): void {
  const [a, b] = [users[1], users[2]];
  if (!a || !b) return;
  b.p['mail'] = String(a.p['mail']).toUpperCase();
}

/** Head of each department reports to user 0; everyone else to one of the first eighth of their department. */
function assignManagers(prng: Prng, users: UserRecord[], byDepartment: Map<string, UserRecord[]>): Set<string> {
  const managers = new Set<string>();
  const ceo = users[0];
  if (!ceo) return managers;
  for (const members of byDepartment.values()) {
    const leads = Math.max(1, Math.floor(members.length / 8));
    members.forEach((user, index) => {
      const manager = index === 0 ? ceo : members[index < leads ? 0 : prng.int(leads)];
      if (!manager || manager === user) return;
      user.managerId = manager.id;
      managers.add(manager.id);
    });
  }
  return managers;
}

function buildGroups(
  prng: Prng,
  newId: () => string,
  users: UserRecord[],
  byDepartment: Map<string, UserRecord[]>,
  managers: Set<string>,
  domain: string,
  now: number,
): { groups: GroupRecord[]; others: OtherObjectRecord[] } {
  const groups: GroupRecord[] = [];
  const group = (displayName: string, description: string, members: string[]): GroupRecord => {
    const nick = displayName.replace(/[^A-Za-z0-9]/g, '');
    const id = newId();
    const g: GroupRecord = {
      id,
      members: SortedIdList.fromUnsorted(members),
      p: {
        id,
        displayName,
        description,
        mailNickname: nick,
        mail: `${nick}@${domain}`,
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        createdDateTime: iso(now - 2000 * DAY),
      },
    };
    groups.push(g);
    return g;
  };
  const others: OtherObjectRecord[] = [
    { id: newId(), type: 'device', p: { displayName: 'KIOSK-LOBBY-01', operatingSystem: 'Windows' } },
    { id: newId(), type: 'servicePrincipal', p: { displayName: 'Payroll Export Service', appId: prng.uuid() } },
    { id: newId(), type: 'device', p: { displayName: 'BUILD-AGENT-07', operatingSystem: 'Linux' } },
  ];
  for (const o of others) o.p['id'] = o.id;
  const departmentGroups = [...byDepartment].map(([name, members]) =>
    group(
      `${name} Department`,
      `Everyone in ${name}`,
      members.map((u) => u.id),
    ),
  );
  group(
    'All Staff',
    'All department groups',
    departmentGroups.map((g) => g.id),
  );
  group(
    'Employee',
    'Permanent employees',
    users.filter((u) => u.p['employeeType'] === 'Employee').map((u) => u.id),
  );
  group('Managers', 'People with direct reports', [...managers]);
  const hrPeople = (byDepartment.get('Human Resources') ?? []).map((u) => u.id);
  const hrAdmins = group('HR Admins', 'HR system administrators', hrPeople.slice(0, 3));
  group('HR', 'HR staff and HR tooling', [...hrPeople, hrAdmins.id, others[1]?.id as string]);
  const engineering = departmentGroups.find((g) => g.p['displayName'] === 'Engineering Department');
  for (const o of [others[0], others[2]]) if (engineering && o) engineering.members.insert(o.id);
  return { groups, others };
}
