import { describe, it, expect } from '@jest/globals';
describe('smoke', () => { it('runs ESM TypeScript', async () => { const m = await import('node:path'); expect(m.sep).toBe('/'); expect(process.version.startsWith('v24')).toBe(true); }); });
