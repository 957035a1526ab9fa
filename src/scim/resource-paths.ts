/*
 * Reading and writing one value at a resolved attribute path of a canonical resource: the field
 * catalogue names HR fields by such paths (`emails[type eq "work"].value`, `name.givenName`,
 * `urn:...:enterprise:2.0:User:department`).
 */
import type { AttributePath } from './attribute-path.js';
import { isObject, type Resource } from './scim-resource.js';
import { elementFromFilter, matchesValueFilter, type Element } from './value-filter.js';

function holder(resource: Resource, path: AttributePath, create: boolean): Record<string, unknown> | undefined {
  if (!path.inExtension) return resource;
  if (!isObject(resource[path.schema])) {
    if (!create) return undefined;
    resource[path.schema] = {};
  }
  return resource[path.schema] as Record<string, unknown>;
}

/** Sets the value, creating the element a typed path describes when none matches. */
export function writeAt(resource: Resource, path: AttributePath, value: unknown): void {
  const attribute = path.attribute!;
  const target = holder(resource, path, true)!;
  if (path.valueFilter) {
    const elements = Array.isArray(target[attribute.name]) ? (target[attribute.name] as Element[]) : [];
    let element = elements.find((e) => matchesValueFilter(e, path.valueFilter!, attribute));
    if (!element) {
      element = { ...elementFromFilter(path.valueFilter, attribute) };
      elements.push(element);
    }
    element[path.sub!.name] = value;
    target[attribute.name] = elements;
  } else if (path.sub) {
    const object = isObject(target[attribute.name]) ? (target[attribute.name] as Element) : {};
    object[path.sub.name] = value;
    target[attribute.name] = object;
  } else target[attribute.name] = value;
}

/** The value at the path, undefined when absent; the resource is left as it is. */
export function readAt(resource: Resource, path: AttributePath): unknown {
  const attribute = path.attribute!;
  const target = holder(resource, path, false);
  if (!target) return undefined;
  if (path.valueFilter) {
    const elements = Array.isArray(target[attribute.name]) ? (target[attribute.name] as Element[]) : [];
    return elements.find((e) => matchesValueFilter(e, path.valueFilter!, attribute))?.[path.sub!.name];
  }
  if (path.sub)
    return isObject(target[attribute.name]) ? (target[attribute.name] as Element)[path.sub.name] : undefined;
  return target[attribute.name];
}

/**
 * The value at the path (undefined when absent), removed from the resource. An element keeps its
 * `type` (so the value returns to the same place in the list when the resource is rendered again);
 * an emptied object goes.
 */
export function takeAt(resource: Resource, path: AttributePath): unknown {
  const attribute = path.attribute!;
  const target = holder(resource, path, false);
  if (!target || target[attribute.name] === undefined) return undefined;
  let taken: unknown;
  if (path.valueFilter) {
    const elements = target[attribute.name] as Element[];
    const index = elements.findIndex((e) => matchesValueFilter(e, path.valueFilter!, attribute));
    if (index < 0) return undefined;
    const { [path.sub!.name]: value, ...rest } = elements[index]!;
    taken = value;
    elements[index] = rest;
  } else if (path.sub) {
    const object = target[attribute.name] as Element;
    taken = object[path.sub.name];
    delete object[path.sub.name];
    if (Object.keys(object).length === 0) delete target[attribute.name];
  } else {
    taken = target[attribute.name];
    delete target[attribute.name];
  }
  if (path.inExtension && Object.keys(target).length === 0) delete resource[path.schema];
  return taken;
}

/** Drops the elements a typed path left with nothing but their `type` (the HR field has no value now). */
export function pruneTypeOnly(resource: Resource): void {
  for (const holder of [resource, ...Object.values(resource).filter(isObject)]) {
    for (const [name, value] of Object.entries(holder)) {
      if (!Array.isArray(value)) continue;
      const kept = value.filter((e) => !isObject(e) || Object.keys(e).some((key) => key !== 'type'));
      if (kept.length) holder[name] = kept;
      else delete holder[name];
    }
  }
}
