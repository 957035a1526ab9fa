import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { calendarToday } from '../../application/employee-profiles.service.js';
import { exportColumns, exportPages, type ExportKind, type ExportRow } from '../../application/hr-export.service.js';
import { requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { query } from '../validation.js';
import { exportDownload } from '../response-schemas.js';

const exportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('csv') });

describeRoute({
  operationId: 'exportHrUsers',
  response: exportDownload,
  method: 'get',
  path: '/api/admin/export/hr-users',
  summary: 'Every HR user with roles and custom fields, as a CSV or JSON download',
  tags: ['export'],
  query: exportQuery,
  admin: true,
});
describeRoute({
  operationId: 'exportEmployeeProfiles',
  response: exportDownload,
  method: 'get',
  path: '/api/admin/export/employee-profiles',
  summary: 'Every employee profile, as a CSV or JSON download',
  tags: ['export'],
  query: exportQuery,
  admin: true,
});

export function exportRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/hr-users', (req, res) => sendExport(req, res, 'hr-users'));
  router.get('/employee-profiles', (req, res) => sendExport(req, res, 'employee-profiles'));
  return router;
}

/**
 * Streams the export: each page goes to the client as it is read, and the next page is read only
 * when the client has taken the previous one (stream back-pressure), so memory stays flat.
 */
async function sendExport(req: Request, res: Response, kind: ExportKind): Promise<void> {
  const { format } = query(req, exportQuery);
  const pages = exportPages(req.context.repos.exports, kind);
  // Read the first page before any byte is sent, so a database failure still answers with a problem body.
  const first = await pages.next();
  res.status(200);
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${kind}-${calendarToday()}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  const rest = async function* () {
    if (!first.done) yield first.value;
    yield* pages;
  };
  try {
    if (format === 'csv') await pipeline(Readable.from(rowsOf(rest())), csvWriter(exportColumns(kind)), res);
    else await pipeline(Readable.from(jsonArray(rest())), res);
  } catch (error) {
    // Headers are gone; all that is left is to cut the download short and say why in the log.
    req.log.warn({ err: error, kind }, 'export ended early (client gone or database error)');
  }
}

async function* rowsOf(pages: AsyncIterable<ExportRow[]>): AsyncGenerator<ExportRow> {
  for await (const page of pages) yield* page;
}

async function* jsonArray(pages: AsyncIterable<ExportRow[]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const page of pages) {
    yield `${first ? '\n' : ',\n'}${page.map((row) => JSON.stringify(row)).join(',\n')}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * RFC 4180 CSV with a header row; lists and objects (roles, custom fields) as JSON in one cell.
 * A cell starting with = + - @ tab or carriage return (or their full-width forms) gets a leading
 * ' so a spreadsheet shows it as text instead of running it as a formula:
 * https://owasp.org/www-community/attacks/CSV_Injection. The JSON export keeps values as they are.
 */
function csvWriter(columns: readonly string[]) {
  return stringify({
    header: true,
    columns: [...columns],
    escape_formulas: true,
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      date: (value) => value.toISOString(),
      object: (value) => JSON.stringify(value),
    },
  });
}
