import { dirname, relative, resolve } from 'node:path';

/**
 * Which folders of src/ may import which (README "Architecture"). Every import in src/ is a relative
 * path, so resolving it against the importing file is enough to know its layer: no module resolver.
 * The first rule whose `files` folder contains the importing file decides.
 */
export const LAYER_RULES = [
  // The rules are pure: the domain imports nothing of ours outside itself.
  { files: 'src/domain', only: ['src/domain'], why: 'the domain imports nothing of ours' },
  // The SCIM protocol core (schemas, filter -> query plan, PatchOp) speaks SCIM over the domain's HR fields only.
  { files: 'src/scim', only: ['src/domain', 'src/scim'], why: 'the SCIM protocol core imports only the domain' },
  // The emulator shares no code with the connector, so it cannot hide the connector's mistakes.
  { files: 'src/emulator', only: ['src/emulator'], why: 'the emulator imports nothing of the connector' },
  {
    files: 'src/application',
    never: ['src/gateways/db', 'src/http', 'src/emulator'],
    why: 'application services reach the database through ports the composition root injects',
  },
  {
    files: 'src/sync',
    never: ['src/gateways/db', 'src/http', 'src/emulator'],
    why: 'sync engines reach the database through ports the composition root injects',
  },
  // Only the demo wiring may load the emulator, and only when demo mode is on.
  { files: 'src/demo-tenant.ts', never: [], why: '' },
  { files: 'src', never: ['src/emulator'], why: 'only src/demo-tenant.ts loads the emulator' },
];

const inside = (path, folder) => path === folder || path.startsWith(`${folder}/`);

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'keeps imports inside the layer boundaries of src/' },
    schema: [],
    messages: { crossing: '{{from}} must not import {{to}}: {{why}}.' },
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename);
    const layer = LAYER_RULES.find((r) => inside(file, r.files));
    if (!layer) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(root, resolve(dirname(context.filename), source));
      const allowed = layer.only
        ? layer.only.some((folder) => inside(target, folder))
        : !layer.never.some((folder) => inside(target, folder));
      if (!allowed) context.report({ node, messageId: 'crossing', data: { from: file, to: target, why: layer.why } });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'layer-boundaries': rule } };
