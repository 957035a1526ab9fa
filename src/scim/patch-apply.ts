/*
 * PatchOp applied to a resource document (RFC 7644 section 3.5.2), with every form Entra's
 * provisioning service sends (Microsoft Learn, "Known issues and resolutions with SCIM 2.0
 * protocol compliance", https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility):
 * - add/replace without a path: each key of the value is itself a path (`"name.givenName"`, a
 *   URN-prefixed extension attribute) or an extension's object of attributes;
 * - add/replace on `emails[type eq "work"].value` creates the element when none matches;
 * - add on a single-valued attribute sets it; add on a multi-valued one appends what is missing;
 * - remove on a multi-valued attribute with a value list removes just those values (Entra's member
 *   removal without the compliance flag); with a [filter] path, the matching elements;
 * - booleans as "True"/"False", a manager as a bare id, an object, or a one-element list.
 * The operations apply in order to a copy: one failing leaves the resource as it was.
 */
import { resolvePath, type AttributePath } from './attribute-path.js';
import { readPatchBody, type PatchOperation } from './patch-operations.js';
import { badScim } from './scim-error.js';
import { canonicalValue, isObject, type Resource } from './scim-resource.js';
import { COMMON_ATTRIBUTES, type AttributeDefinition, type ResourceType } from './scim-schemas.js';
import { elementFromFilter, matchesValueFilter, type Element } from './value-filter.js';

export function applyPatch(resource: Resource, body: unknown, type: ResourceType): Resource {
  const document = structuredClone(resource);
  for (const operation of readPatchBody(body)) applyOperation(document, operation, type);
  for (const extension of type.extensions) {
    const held = document[extension.id];
    if (isObject(held) && Object.keys(held).length === 0) delete document[extension.id];
  }
  return document;
}

export function applyOperation(document: Resource, operation: PatchOperation, type: ResourceType): void {
  if (operation.op === 'remove') return remove(document, resolvePath(operation.path!, type), operation.value);
  if (operation.path !== undefined)
    return set(document, resolvePath(operation.path, type), operation.value, operation.op, type);
  if (!isObject(operation.value))
    throw badScim('invalidValue', `${operation.op} without a path needs an object of attributes as its value`);
  for (const [key, value] of Object.entries(operation.value)) {
    const extension = type.extensions.find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (extension && isObject(value)) {
      for (const [name, inner] of Object.entries(value))
        set(document, resolvePath(`${extension.id}:${name}`, type), inner, operation.op, type);
    } else set(document, resolvePath(key, type), value, operation.op, type);
  }
}

function holderOf(document: Resource, path: AttributePath, create: boolean): Record<string, unknown> | undefined {
  if (!path.inExtension) return document;
  const existing = document[path.schema];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: Record<string, unknown> = {};
  document[path.schema] = made;
  return made;
}

function assertWritable(attribute: AttributeDefinition): void {
  if (attribute.mutability === 'readOnly' || (attribute.name === 'id' && COMMON_ATTRIBUTES.includes(attribute)))
    throw badScim('mutability', `"${attribute.name}" is read-only`);
}

function set(document: Resource, path: AttributePath, value: unknown, op: 'add' | 'replace', type: ResourceType): void {
  if (!path.attribute) {
    if (!isObject(value)) throw badScim('invalidValue', `${path.schema} takes an object of its attributes`);
    for (const [name, inner] of Object.entries(value))
      set(document, resolvePath(`${path.schema}:${name}`, type), inner, op, type);
    return;
  }
  const attribute = path.attribute;
  assertWritable(attribute);
  const holder = holderOf(document, path, true)!;
  if (path.valueFilter) return setInElements(holder, path, value);
  if (path.sub) {
    if (attribute.multiValued)
      throw badScim('invalidPath', `"${attribute.name}.${path.sub.name}" needs a [filter] to say which value`);
    const current = isObject(holder[attribute.name]) ? (holder[attribute.name] as Element) : {};
    const merged = { ...current, [path.sub.name]: value };
    return put(holder, attribute, canonicalValue(attribute, merged, attribute.name));
  }
  const canonical = canonicalValue(attribute, value, attribute.name);
  if (attribute.multiValued && op === 'add')
    return put(holder, attribute, appendMissing(holder[attribute.name], canonical));
  if (attribute.type === 'complex' && !attribute.multiValued && isObject(canonical) && isObject(holder[attribute.name]))
    return put(holder, attribute, { ...(holder[attribute.name] as Element), ...canonical });
  put(holder, attribute, canonical);
}

function setInElements(holder: Record<string, unknown>, path: AttributePath, value: unknown): void {
  const attribute = path.attribute!;
  const elements = Array.isArray(holder[attribute.name]) ? [...(holder[attribute.name] as Element[])] : [];
  const patch = path.sub ? { [path.sub.name]: value } : value;
  if (!isObject(patch)) throw badScim('invalidValue', `"${attribute.name}[...]" takes an object of sub-attributes`);
  let matched = false;
  const next = elements.map((element) => {
    if (!matchesValueFilter(element, path.valueFilter!, attribute)) return element;
    matched = true;
    return { ...element, ...patch };
  });
  if (!matched) {
    const created = elementFromFilter(path.valueFilter!, attribute);
    if (!created) throw badScim('noTarget', `No value of "${attribute.name}" matches the path's filter`);
    next.push({ ...created, ...patch });
  }
  put(holder, attribute, canonicalValue(attribute, next, attribute.name));
}

function appendMissing(current: unknown, added: unknown): unknown {
  const existing = Array.isArray(current) ? (current as unknown[]) : [];
  const incoming = Array.isArray(added) ? added : [];
  const key = (item: unknown) => JSON.stringify(item);
  const seen = new Set(existing.map(key));
  return [...existing, ...incoming.filter((item) => !seen.has(key(item)))];
}

function put(holder: Record<string, unknown>, attribute: AttributeDefinition, value: unknown): void {
  if (value === undefined) delete holder[attribute.name];
  else holder[attribute.name] = value;
}

function remove(document: Resource, path: AttributePath, value: unknown): void {
  if (!path.attribute) {
    delete document[path.schema];
    return;
  }
  const attribute = path.attribute;
  assertWritable(attribute);
  const holder = holderOf(document, path, false);
  if (!holder || holder[attribute.name] === undefined) return;
  if (path.valueFilter) return removeFromElements(holder, path);
  if (path.sub) {
    if (attribute.multiValued) throw badScim('invalidPath', `"${attribute.name}.${path.sub.name}" needs a [filter]`);
    const { [path.sub.name]: _gone, ...rest } = holder[attribute.name] as Element;
    return put(holder, attribute, Object.keys(rest).length ? rest : undefined);
  }
  const listed = attribute.multiValued ? canonicalValue(attribute, value, attribute.name) : undefined;
  if (Array.isArray(listed)) {
    // Entra's form without the compliance flag: remove only the values listed, by their `value`.
    const gone = new Set(listed.map((item) => (isObject(item) ? JSON.stringify(item.value) : JSON.stringify(item))));
    const kept = (holder[attribute.name] as Element[]).filter((el) => !gone.has(JSON.stringify(el.value)));
    return put(holder, attribute, kept.length ? kept : undefined);
  }
  delete holder[attribute.name];
}

function removeFromElements(holder: Record<string, unknown>, path: AttributePath): void {
  const attribute = path.attribute!;
  const elements = holder[attribute.name] as Element[];
  const next = elements.flatMap((element) => {
    if (!matchesValueFilter(element, path.valueFilter!, attribute)) return [element];
    if (!path.sub) return [];
    const { [path.sub.name]: _gone, ...rest } = element;
    return Object.keys(rest).some((k) => k !== 'type' && k !== 'primary') ? [rest] : [];
  });
  put(holder, attribute, next.length ? next : undefined);
}
