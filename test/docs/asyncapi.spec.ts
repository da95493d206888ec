import 'reflect-metadata';
import { type AsyncAPIDocumentInterface, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ChatGateway } from '../../src/chat/chat.gateway.js';
import { CLIENT_FRAME_TYPES, SERVER_FRAME_TYPES } from '../../src/chat/protocol/frame-types.js';
import { dtoSchema, schemaRules } from '../support/dto-schema.js';
import { shapeOfSchema } from '../support/json-shape.js';
import { frameShapesOf } from '../support/ts-frame-shapes.js';

const DOCUMENT = fileURLToPath(new URL('../../docs/asyncapi.yaml', import.meta.url));
const FRAMES = fileURLToPath(new URL('../../src/chat/protocol/frames.ts', import.meta.url));

type Payload = Record<string, any>;

/** The payload of every message of the document's `send` or `receive` operations, by message name (the frame `type`). */
function framesOf(document: AsyncAPIDocumentInterface, action: 'send' | 'receive'): Map<string, Payload> {
  const operations = action === 'send' ? document.operations().filterBySend() : document.operations().filterByReceive();
  const frames = new Map<string, Payload>();
  for (const operation of operations) {
    for (const message of operation.messages()) frames.set(message.name()!, message.payload()!.json() as Payload);
  }
  return frames;
}

/** Frame type → DTO class, as the gateway routes them (`@SubscribeMessage` + the `@MessageBody` parameter type). */
function gatewayRoutes(): Map<string, Function> {
  const routes = new Map<string, Function>();
  const prototype = ChatGateway.prototype as unknown as Record<string, Function>;
  for (const method of Object.getOwnPropertyNames(prototype)) {
    const type = Reflect.getMetadata(MESSAGE_METADATA, prototype[method]) as string | undefined;
    if (type === undefined) continue;
    const [, dto] = Reflect.getMetadata('design:paramtypes', prototype, method) as Function[];
    routes.set(type, dto);
  }
  return routes;
}

describe('docs/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;
  let serverFrames: Map<string, Payload>;
  let clientFrames: Map<string, Payload>;

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(readFileSync(DOCUMENT, 'utf8'));
    const problems = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning);
    expect(problems.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    document = parsed!;
    serverFrames = framesOf(document, 'send');
    clientFrames = framesOf(document, 'receive');
  });

  it('is a valid AsyncAPI 3 document for the /ws channel, without errors or warnings from the official parser', () => {
    expect(document).toBeDefined();
    expect(parseYaml(readFileSync(DOCUMENT, 'utf8')).asyncapi).toMatch(/^3\./);
    expect(document.channels().all().map((channel) => channel.address())).toEqual(['/ws']);
  });

  it('lists exactly the frame types of the protocol, in each direction', () => {
    const fromTypes = (file: string, union: string) => [...frameShapesOf(file, union).keys()].sort();
    expect([...serverFrames.keys()].sort()).toEqual(fromTypes(FRAMES, 'ServerFrame'));
    expect([...serverFrames.keys()].sort()).toEqual([...SERVER_FRAME_TYPES].sort());
    expect([...clientFrames.keys()].sort()).toEqual(fromTypes(FRAMES, 'ClientFrame'));
    expect([...clientFrames.keys()].sort()).toEqual([...CLIENT_FRAME_TYPES].sort());
    expect([...clientFrames.keys()].sort()).toEqual([...gatewayRoutes().keys()].sort());
  });

  it('describes every server frame with the fields, types and required fields of frames.ts', () => {
    for (const [type, shape] of frameShapesOf(FRAMES, 'ServerFrame')) {
      expect({ type, shape: shapeOfSchema(serverFrames.get(type)!) }).toEqual({ type, shape });
    }
  });

  it('describes every client frame with the fields, types and required fields of frames.ts', () => {
    for (const [type, shape] of frameShapesOf(FRAMES, 'ClientFrame')) {
      expect({ type, shape: shapeOfSchema(clientFrames.get(type)!) }).toEqual({ type, shape });
    }
  });

  it('documents each client frame with exactly the rules its DTO enforces (fields, required, types, bounds)', () => {
    for (const [type, dto] of gatewayRoutes()) {
      const payload = clientFrames.get(type)!;
      const { type: _type, ...documented } = payload.properties as Record<string, Payload>;
      const fromDocument = {
        properties: Object.fromEntries(Object.entries(documented).map(([name, schema]) => [name, schemaRules(schema)])),
        required: (payload.required as string[]).filter((name) => name !== 'type').sort(),
      };
      expect({ type, dto: dto.name, ...fromDocument }).toEqual({ type, dto: dto.name, ...dtoSchema(dto) });
    }
  });
});
