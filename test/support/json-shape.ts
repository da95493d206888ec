/**
 * The shape of a JSON value as two descriptions can agree on it: JSON Schema (as written
 * in the AsyncAPI document) and TypeScript types (as written in `frames.ts`). Only what
 * both can say is kept: types (`integer` folds into `number`), literal values, object
 * properties with their required set, array items, alternatives.
 */
export type Shape =
  | { type: string[] }
  | { enum: Array<string | number | boolean> }
  | { type: ['array']; items: Shape }
  | { type: ['object']; properties: Record<string, Shape>; required: string[] }
  | { oneOf: Shape[] };

type Schema = Record<string, any>;

/** The shape a (dereferenced) JSON Schema describes. */
export function shapeOfSchema(schema: Schema): Shape {
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return shapeOfSchema(Object.assign({}, ...allOf, rest));
  }
  if ('const' in schema) return { enum: [schema.const] };
  if (Array.isArray(schema.enum)) return { enum: [...schema.enum].sort() };
  if (Array.isArray(schema.oneOf)) return { oneOf: sortShapes(schema.oneOf.map(shapeOfSchema)) };
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 1 && types[0] === 'array') return { type: ['array'], items: shapeOfSchema(schema.items ?? {}) };
  if (types.length === 1 && types[0] === 'object') {
    const properties: Record<string, Shape> = {};
    for (const [name, property] of Object.entries<Schema>(schema.properties ?? {}))
      properties[name] = shapeOfSchema(property);
    return { type: ['object'], properties, required: [...(schema.required ?? [])].sort() };
  }
  return { type: [...new Set(types.map((type) => (type === 'integer' ? 'number' : type)))].sort() };
}

/** Alternatives in a stable order, so two descriptions compare equal whatever order they list them in. */
export function sortShapes(shapes: Shape[]): Shape[] {
  return [...shapes].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
