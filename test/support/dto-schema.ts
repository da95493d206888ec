import { getMetadataStorage } from 'class-validator';

/** The JSON Schema pattern equivalent to `IsChatText` (lone surrogates aside, which JSON Schema cannot express). */
export const CHAT_TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]*$';

/** What class-validator enforces on one property, in JSON Schema words. */
export type PropertyRules = Partial<
  Record<'type' | 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern', string | number>
>;

/**
 * The JSON Schema a DTO class enforces through its class-validator decorators (its own and
 * inherited): each property's type and bounds, and the properties that are required (no
 * `@IsOptional`). A decorator this does not know is an error, so a new rule on a DTO
 * cannot slip past the comparison with the documentation.
 */
export function dtoSchema(dto: Function): { properties: Record<string, PropertyRules>; required: string[] } {
  const properties: Record<string, PropertyRules> = {};
  const optional = new Set<string>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    const property = (properties[rule.propertyName] ??= {});
    const [first, second] = rule.constraints ?? [];
    switch (rule.name) {
      case 'isOptional':
        optional.add(rule.propertyName);
        break;
      case 'isInt':
        property.type = 'integer';
        break;
      case 'isString':
        property.type = 'string';
        break;
      case 'isBoolean':
        property.type = 'boolean';
        break;
      case 'min':
        property.minimum = first;
        break;
      case 'max':
        property.maximum = first;
        break;
      case 'isLength':
        property.minLength = first;
        if (second !== undefined) property.maxLength = second;
        break;
      case 'isChatText':
        property.type = 'string';
        property.pattern = CHAT_TEXT_PATTERN;
        break;
      case 'matches':
        property.type = 'string';
        property.pattern = (first as RegExp).source;
        break;
      case 'isNotEmpty':
        property.minLength = Math.max(1, Number(property.minLength ?? 0));
        break;
      default:
        throw new Error(`${dto.name}.${rule.propertyName}: no JSON Schema mapping for @${rule.name}`);
    }
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return { properties, required: required.sort() };
}

/** The same rules read from a JSON Schema property (after merging a one-element `allOf`). */
export function schemaRules(schema: Record<string, any>): PropertyRules {
  const merged = Array.isArray(schema.allOf) ? Object.assign({}, ...schema.allOf, schema) : schema;
  const rules: PropertyRules = {};
  for (const key of ['type', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern'] as const) {
    if (merged[key] !== undefined) rules[key] = merged[key];
  }
  return rules;
}
