import { Router } from 'express';
import { z } from 'zod';
import type { CredentialSealer } from '../../application/connection-credential.js';
import {
  ConnectionService,
  type ConnectionInput,
  type TrustedGraphHosts,
} from '../../application/connection.service.js';
import type { EntraConnection } from '../../application/entra-connection.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body } from '../validation.js';
import { connectionTestView } from '../response-schemas.js';

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const DOMAIN = /^(?=.{4,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

// Messages never quote the value: a misplaced secret must not come back in a 400.
const httpsHost = (what: string) =>
  z
    .url({ protocol: /^https$/, error: `an https:// URL (${what})` })
    .max(2048)
    .refine((value) => !/[?#]/.test(value), 'no query or fragment')
    .transform((value) => value.replace(/\/+$/, ''));

const connectionBody = z
  .strictObject({
    tenantId: z
      .string()
      .trim()
      .refine((v) => GUID.test(v) || DOMAIN.test(v), 'a tenant GUID or a domain such as contoso.onmicrosoft.com'),
    clientId: z.string().trim().regex(GUID, 'the application (client) ID, a GUID'),
    clientSecret: z.string().min(1, 'the secret value').max(1024, 'at most 1024 characters').optional(),
    certificate: z
      .strictObject({
        privateKeyPem: z
          .string()
          .max(65_536, 'at most 64 KiB')
          .refine((v) => v.includes('PRIVATE KEY'), 'a PEM private key'),
        thumbprintSha256: z
          .string()
          .transform((v) => v.replace(/:/g, '').toLowerCase())
          .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'the certificate SHA-256 thumbprint in hex')),
      })
      .optional(),
    clientSecretExpiresAt: z.iso
      .date('a date YYYY-MM-DD')
      .nullable()
      .optional()
      .describe('absent: keep the stored date while the stored secret is kept; null: none'),
    // Microsoft's clouds only, unless the configuration names another host (checked by the service).
    authorityHost: httpsHost('the sign-in host, e.g. https://login.microsoftonline.us').optional(),
    graphBaseUrl: httpsHost('the Graph host, e.g. https://graph.microsoft.us')
      .refine((v) => !/\/(v1\.0|beta)$/.test(v), 'without the version segment')
      .optional(),
  })
  .refine((v) => !(v.clientSecret && v.certificate), {
    message: 'give clientSecret or certificate, not both',
    path: ['certificate'],
  });

const connectionView = z.object({
  connected: z.boolean(),
  source: z.enum(['configuration', 'admin', 'demo']).nullable(),
  tenantId: z.string().nullable(),
  clientId: z.string().nullable(),
  credentialKind: z.enum(['secret', 'certificate']).nullable(),
  clientSecretExpiresAt: z.string().nullable(),
  secretExpiryWarning: z.string().nullable(),
  lastTestedAt: z.string().nullable(),
});

describeRoute({
  operationId: 'getConnection',
  method: 'get',
  path: '/api/admin/connection',
  summary: 'The Entra connection, without its secret',
  tags: ['connection'],
  response: connectionView,
  admin: true,
});
describeRoute({
  operationId: 'setConnection',
  errors: [409, 502],
  method: 'put',
  path: '/api/admin/connection',
  summary:
    'Set the Entra connection (stored encrypted) and connect at once; changing tenant, client id or a host needs the secret again',
  tags: ['connection'],
  body: connectionBody,
  response: connectionView,
  admin: true,
});
describeRoute({
  operationId: 'testConnection',
  method: 'post',
  path: '/api/admin/connection/test',
  summary: 'Test connection: the credential, and each permission that is missing',
  tags: ['connection'],
  response: connectionTestView,
  admin: true,
  errors: [409, 502],
});
describeRoute({
  operationId: 'disconnect',
  errors: [409],
  method: 'delete',
  path: '/api/admin/connection',
  summary: 'Disconnect: syncs stop, HR users stay as they are, the credential is erased',
  tags: ['connection'],
  response: connectionView,
  admin: true,
});

export function connectionRouter(deps: {
  connection: EntraConnection;
  secretBox: CredentialSealer;
  hosts: TrustedGraphHosts;
}): Router {
  // One service for the router's lifetime: it remembers when a configured connection was tested.
  const service = new ConnectionService({ connection: deps.connection, box: deps.secretBox, hosts: deps.hosts });
  const router = Router();
  router.use(requireAdmin);
  router.get('/', async (req, res) => {
    res.json(await service.view(req.context.repos));
  });
  router.put('/', async (req, res) => {
    res.json(await service.set(req.context.repos, toInput(body(req, connectionBody)), principalOf(req).userId));
  });
  router.post('/test', async (req, res) => {
    res.json(await service.test(req.context.repos, principalOf(req).userId));
  });
  router.delete('/', async (req, res) => {
    res.json(await service.disconnect(req.context.repos, principalOf(req).userId));
  });
  return router;
}

function toInput(parsed: z.infer<typeof connectionBody>): ConnectionInput {
  const { clientSecret, certificate, ...rest } = parsed;
  const credential =
    clientSecret !== undefined
      ? { kind: 'secret' as const, clientSecret }
      : certificate && { kind: 'certificate' as const, ...certificate };
  return { ...rest, ...(credential ? { credential } : {}) };
}
