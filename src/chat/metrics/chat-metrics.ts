import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FanoutEnvelope } from '../fanout/fanout.bus.js';
import type { ServerFrame } from '../protocol/frames.js';
import { closeCodeLabel } from './close-code-label.js';
import { CLIENT_FRAME_TYPES, ERROR_CODES, SERVER_FRAME_TYPES, serializedFrameType } from '../protocol/frame-types.js';
import { OTHER_FRAME } from './frame-labels.js';
import { Tally } from './tally.js';

/** Counters owned by other parts of the chat, read at scrape time. */
export interface ChatMetricSources {
  /** Handshakes refused so far, by reason. */
  refusals(): Readonly<Record<string, number>>;
  /** Sockets cut off as slow consumers so far. */
  slowConsumers(): number;
  /** Connections of the fan-out bus lost so far (Redis outages). */
  fanoutOutages(): number;
}

/** Something that reports its close code once it has closed (a client connection). */
export interface ClosableSocket {
  onClose(listener: (code: number) => void): void;
  /** The code of the close frame the server sent, if it sent one: counted in place of the peer's. */
  readonly closeCodeSent?: number;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The store operations whose latency is observed (the `MessageStore` methods). */
export type StoreOperation =
  | 'append'
  | 'history'
  | 'since'
  | 'conversation_page'
  | 'mark_conversation_read'
  | 'room_read_states'
  | 'mark_room_read'
  | 'find'
  | 'edit'
  | 'remove'
  | 'changed_since'
  | 'ping';

/**
 * The chat's Prometheus metrics, on a registry of its own (never prom-client's global
 * one, so several apps can live in one process). Names follow `chat_…`, counters end in
 * `_total`, durations are `_seconds` histograms, and no label carries a user.
 *
 * The per-frame and per-delivery paths only add to plain numbers (`Tally`); labelled
 * prom-client series are filled from them when `/metrics` is scraped. Counting frames
 * out happens where a frame is queued on a socket: once per socket for a direct reply,
 * once per envelope (with the number of sockets queued to) for a delivery.
 */
@Injectable()
export class ChatMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry();
  private sources: ChatMetricSources = { refusals: () => ({}), slowConsumers: () => 0, fanoutOutages: () => 0 };
  private readonly framesIn = new Tally<string>(CLIENT_FRAME_TYPES);
  private readonly framesOut = new Tally<string>(SERVER_FRAME_TYPES);
  private readonly errors = new Tally<string>(ERROR_CODES);
  private readonly broadcasts = new Tally<FanoutEnvelope['kind']>([
    'everyone',
    'users',
    'room',
    'room_access',
    'end_sessions',
  ]);
  private publishFailures = 0;
  private readonly connections: Gauge;
  private readonly closes: Counter<'code'>;
  private readonly handlerSeconds: Histogram<'type'>;
  private readonly storeSeconds: Histogram<'operation'>;
  private readonly publishSeconds: Histogram<'kind'>;

  constructor() {
    const registers = [this.registry];
    this.connections = new Gauge({
      name: 'chat_connections',
      help: 'Open WebSocket connections on this node.',
      registers,
    });
    this.closes = new Counter({
      name: 'chat_closes_total',
      help: 'WebSocket connections closed, by close code.',
      labelNames: ['code'],
      registers,
    });
    for (const counter of this.countersReadAtScrape()) registerReadAtScrape(counter, this.registry);
    this.handlerSeconds = latencyHistogram(this.registry, 'chat_handler_duration_seconds', 'type', HANDLER_HELP);
    this.storeSeconds = latencyHistogram(this.registry, 'chat_store_duration_seconds', 'operation', STORE_HELP);
    this.publishSeconds = latencyHistogram(this.registry, 'chat_fanout_publish_duration_seconds', 'kind', PUBLISH_HELP);
  }

  /** The counters whose values are plain numbers kept here or elsewhere, turned into series when scraped. */
  private countersReadAtScrape(): CounterReadAtScrape[] {
    return [
      {
        name: 'chat_handshakes_refused_total',
        help: 'WebSocket upgrades refused before a socket existed, by reason.',
        label: 'reason',
        read: () => Object.entries(this.sources.refusals()),
      },
      {
        name: 'chat_frames_in_total',
        help: 'Frames received, by client frame type ("invalid": bad JSON or unknown type).',
        label: 'type',
        read: () => this.framesIn.entries(),
      },
      {
        name: 'chat_frames_out_total',
        help: 'Frames queued on sockets, by server frame type (one per socket).',
        label: 'type',
        read: () => this.framesOut.entries(),
      },
      {
        name: 'chat_errors_total',
        help: 'error frames sent, by code.',
        label: 'code',
        read: () => this.errors.entries(),
      },
      {
        name: 'chat_broadcasts_total',
        help: 'Fan-out envelopes delivered by this node to its sockets, by kind.',
        label: 'kind',
        read: () => this.broadcasts.entries(),
      },
      {
        name: 'chat_slow_consumers_total',
        help: 'Sockets closed with 1013 because too many frames waited for them.',
        read: () => this.sources.slowConsumers(),
      },
      {
        name: 'chat_fanout_publish_failures_total',
        help: 'Envelopes the fan-out bus refused to take (publish rejected).',
        read: () => this.publishFailures,
      },
      {
        name: 'chat_fanout_outages_total',
        help: 'Connections of the fan-out bus lost (Redis unreachable); each is logged once and reconnects by itself.',
        read: () => this.sources.fanoutOutages(),
      },
    ];
  }

  /** Lets scrapes read counters kept elsewhere (handshake refusals, slow consumers). */
  readFrom(sources: ChatMetricSources): void {
    this.sources = sources;
  }

  /**
   * An accepted socket: counted open until it emits `close`, then counted by close code
   * (`closeCodeLabel`): the code the server sent when it closed the socket (also when the
   * peer then dropped without answering), otherwise the peer's (1005 none, 1006 dropped).
   */
  trackConnection(socket: ClosableSocket): void {
    this.connections.inc();
    socket.onClose((code) => {
      this.connections.dec();
      this.closes.inc({ code: closeCodeLabel(socket.closeCodeSent ?? code) });
    });
  }

  /** One inbound frame, by its routed type, `invalid` or `binary`. */
  frameIn(type: string): void {
    this.framesIn.add(type);
  }

  /** One frame queued on one socket (errors are also counted by code). */
  frameQueued(frame: ServerFrame): void {
    this.framesOut.add(frame.type);
    if (frame.type === 'error') this.errors.add(frame.code);
  }

  /** One envelope delivered by this node, queued on `sockets` sockets. */
  delivered(envelope: FanoutEnvelope, sockets: number): void {
    this.broadcasts.add(envelope.kind);
    if ((envelope.kind === 'everyone' || envelope.kind === 'users' || envelope.kind === 'room') && sockets > 0)
      this.framesOut.add(serializedFrameType(envelope.frame) ?? OTHER_FRAME, sockets);
  }

  /** One envelope the fan-out bus refused. */
  publishFailed(): void {
    this.publishFailures += 1;
  }

  /** A handler of `type` took `seconds`. */
  handled(type: string, seconds: number): void {
    this.handlerSeconds.observe({ type }, seconds);
  }

  /** A publish of an envelope of `kind` took `seconds`. */
  published(kind: FanoutEnvelope['kind'], seconds: number): void {
    this.publishSeconds.observe({ kind }, seconds);
  }

  /** A store call of `operation` took `seconds`. */
  stored(operation: StoreOperation, seconds: number): void {
    this.storeSeconds.observe({ operation }, seconds);
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * A counter filled when scraped: `read` gives its one value, or (with `label`) the value
 * of each label value seen so far.
 */
interface CounterReadAtScrape {
  name: string;
  help: string;
  label?: string;
  read(): number | Iterable<readonly [string, number]>;
}

function registerReadAtScrape(counter: CounterReadAtScrape, registry: Registry): void {
  const { name, help, label, read } = counter;
  new Counter({
    name,
    help,
    labelNames: label ? [label] : [],
    registers: [registry],
    collect() {
      this.reset();
      const reading = read();
      if (typeof reading === 'number') this.inc(reading);
      else for (const [value, count] of reading) this.inc({ [label!]: value }, count);
    },
  });
}

const HANDLER_HELP = 'Time from a routed frame to its handler settling, by client frame type.';
const STORE_HELP = 'Message store call latency, by operation (append: without the publish that follows the commit).';
const PUBLISH_HELP = 'Fan-out bus publish latency, by envelope kind (failed publishes included).';

/** A latency histogram in seconds with the chat's buckets, labelled by `label`. */
function latencyHistogram<L extends string>(registry: Registry, name: string, label: L, help: string): Histogram<L> {
  return new Histogram({ name, help, labelNames: [label], buckets: LATENCY_BUCKETS, registers: [registry] });
}
