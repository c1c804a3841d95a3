// Fakes of the utility process's parentPort and of a renderer's MessagePortMain, for running the
// worker host under plain Node: tests emit what main would send and read what the host posts.

import { EventEmitter } from 'node:events';
import type { FromTrainer } from '../../../electron/shared/contract';
import type { ParentPortLike, PortLike } from '../../../electron/worker/host';

/** A renderer's port as the utility process sees it; records every message the host posts. */
export class FakeRendererPort extends EventEmitter implements PortLike {
  readonly received: FromTrainer[] = [];
  started = false;
  closed = false;
  private waiters: { pred: (m: FromTrainer) => boolean; resolve: (m: FromTrainer) => void }[] = [];
  postMessage(message: unknown): void {
    const msg = structuredClone(message) as FromTrainer; // what crossing a real port does
    this.received.push(msg);
    this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
  /** The renderer sends a message to the trainer. */
  send(data: unknown): void {
    this.emit('message', { data: structuredClone(data) });
  }
  /** Resolves with the first message (already received or future) matching `pred`. */
  next<K extends FromTrainer['kind']>(kind: K, pred: (m: Extract<FromTrainer, { kind: K }>) => boolean = () => true, timeoutMs = 15_000): Promise<Extract<FromTrainer, { kind: K }>> {
    const match = (m: FromTrainer): boolean => m.kind === kind && pred(m as Extract<FromTrainer, { kind: K }>);
    const found = this.received.find(match);
    if (found) return Promise.resolve(found as Extract<FromTrainer, { kind: K }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${kind}' message within ${timeoutMs} ms; got ${this.received.map((m) => m.kind).join(', ')}`)), timeoutMs);
      this.waiters.push({ pred: match, resolve: (m) => (clearTimeout(timer), resolve(m as Extract<FromTrainer, { kind: K }>)) });
    });
  }
  kinds(): string[] {
    return this.received.map((m) => m.kind);
  }
}

/** process.parentPort: main's messages, with ports attached. */
export class FakeParentPort extends EventEmitter implements ParentPortLike {
  /** Main hands the host a renderer port. */
  connect(port: PortLike): void {
    this.emit('message', { data: { type: 'connect' }, ports: [port] });
  }
  /** Main asks the host to shut down. */
  shutdown(): void {
    this.emit('message', { data: { type: 'shutdown' }, ports: [] });
  }
}
