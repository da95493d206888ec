import ts from 'typescript';
import { type Shape, sortShapes } from './json-shape.js';

const programs = new Map<string, ts.Program>();

/**
 * Reads a union of frame types (`ClientFrame`, `ServerFrame`) from a TypeScript source
 * file with the compiler and returns each frame's shape keyed by its `type` value; a
 * frame whose `type` is a union of literals yields one entry per literal.
 */
export function frameShapesOf(file: string, unionName: string): Map<string, Shape> {
  const program =
    programs.get(file) ?? ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022 });
  programs.set(file, program);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const alias = checker.getExportsOfModule(moduleSymbol).find((symbol) => symbol.name === unionName);
  if (!alias) throw new Error(`${file} exports no ${unionName}`);
  const union = checker.getDeclaredTypeOfSymbol(alias);
  const frames = new Map<string, Shape>();
  for (const member of union.isUnion() ? union.types : [union]) {
    const typeProperty = member.getProperty('type');
    if (!typeProperty) throw new Error(`a member of ${unionName} has no "type"`);
    const typeOfType = checker.getTypeOfSymbol(typeProperty);
    const literals = (typeOfType.isUnion() ? typeOfType.types : [typeOfType]).map(
      (t) => (t as ts.StringLiteralType).value,
    );
    for (const literal of literals) {
      const shape = shapeOfType(checker, member) as Extract<Shape, { properties: unknown }>;
      frames.set(literal, { ...shape, properties: { ...shape.properties, type: { enum: [literal] } } });
    }
  }
  return frames;
}

function shapeOfType(checker: ts.TypeChecker, type: ts.Type): Shape {
  const members = type.isUnion() ? type.types : [type];
  const primitives = new Set<string>();
  const literals = new Set<string | number>();
  const objects: ts.Type[] = [];
  for (const member of members) {
    const flags = member.flags;
    if (flags & ts.TypeFlags.Undefined) continue;
    if (flags & ts.TypeFlags.Null) primitives.add('null');
    else if (flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) primitives.add('boolean');
    else if (flags & ts.TypeFlags.StringLiteral) literals.add((member as ts.StringLiteralType).value);
    else if (flags & ts.TypeFlags.String) primitives.add('string');
    else if (flags & ts.TypeFlags.Number) primitives.add('number');
    else if (flags & ts.TypeFlags.Object) objects.push(member);
    else throw new Error(`no JSON shape for ${checker.typeToString(member)}`);
  }
  if (literals.size > 0 && primitives.size === 0 && objects.length === 0) return { enum: [...literals].sort() };
  if (objects.length === 0 && literals.size === 0) return { type: [...primitives].sort() };
  if (objects.length === 1 && primitives.size === 0 && literals.size === 0) return shapeOfObject(checker, objects[0]);
  if (primitives.size === 0 && literals.size === 0)
    return { oneOf: sortShapes(objects.map((o) => shapeOfObject(checker, o))) };
  throw new Error(`no JSON shape for the mixed union ${checker.typeToString(type)}`);
}

function shapeOfObject(checker: ts.TypeChecker, type: ts.Type): Shape {
  if (checker.isArrayType(type))
    return { type: ['array'], items: shapeOfType(checker, checker.getTypeArguments(type as ts.TypeReference)[0]) };
  const properties: Record<string, Shape> = {};
  const required: string[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    properties[property.name] = shapeOfType(checker, checker.getTypeOfSymbol(property));
    if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
  }
  return { type: ['object'], properties, required: required.sort() };
}
