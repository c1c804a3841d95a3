// TrainerProcess against a fake fork: start, connect (one port to the process, one to the renderer),
// stop with a timeout then kill, crash detection (exit code and child-process-gone by service name),
// and restart on request with fresh ports for every connected renderer; run records from the process
// passed on (validated), and the run a crash cut short recorded as crashed.

import { describe, expect, it } from 'vitest';
import { TrainerProcess } from '../../../electron/main/trainer-process';
import type { RunRecord, TrainerCrashed } from '../../../common/contract';
import { makeRunRecord } from '../../fixtures/run-record';
import type { FakePort} from '../../mocks/electron';
import { FakeApp, FakeWebContents, fakeChannelFactory, fakeFork, type ShutdownBehaviour } from '../../mocks/electron';

function setup(onShutdown: ShutdownBehaviour = 'exit', stopTimeoutMs = 50) {
  const app = new FakeApp();
  const forks = fakeFork(onShutdown);
  const channels = fakeChannelFactory();
  const logs: string[] = [];
  const tp = new TrainerProcess<FakePort>({
    modulePath: '/out/main/worker.js',
    serviceName: 'softmax-lab-trainer',
    args: ['--cache-dir=/tmp/cache'],
    fork: forks.fork,
    appEvents: app,
    createChannel: channels.create,
    stopTimeoutMs,
    log: (m) => logs.push(m),
  });
  const crashes: TrainerCrashed[] = [];
  tp.on('crashed', (c) => crashes.push(c));
  return { app, forks, channels, tp, crashes, logs };
}

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('TrainerProcess', () => {
  it('forks the entry with its service name and args', async () => {
    const { tp, forks } = setup();
    const started: unknown[] = [];
    tp.on('started', (pid) => started.push(pid));
    tp.start();
    tp.start(); // idempotent
    await tick();
    expect(forks.children).toHaveLength(1);
    const child = forks.children[0];
    expect(child.modulePath).toBe('/out/main/worker.js');
    expect(child.args).toEqual(['--cache-dir=/tmp/cache']);
    expect(child.options.serviceName).toBe('softmax-lab-trainer');
    expect(started).toEqual([child.pid]);
    expect(tp.running).toBe(true);
  });

  it('connect() gives port1 to the process and port2 to the renderer', () => {
    const { tp, forks } = setup();
    const wc = new FakeWebContents();
    tp.connect(wc);
    const child = forks.children[0];
    expect(child.messages).toHaveLength(1);
    expect(child.messages[0].message).toEqual({ type: 'connect' });
    const [port1] = child.messages[0].transfer;
    expect(wc.posted).toHaveLength(1);
    expect(wc.posted[0].channel).toBe('trainer:port');
    expect(wc.posted[0].message).toBeNull();
    const [port2] = wc.posted[0].transfer;
    expect(port1.channel).toBe(port2.channel);
    expect([port1.end, port2.end]).toEqual([1, 2]);
  });

  it('stop() asks the process to shut down and resolves on its clean exit (no crash)', async () => {
    const { tp, forks, crashes } = setup('exit');
    tp.start();
    await tp.stop();
    const child = forks.children[0];
    expect(child.messages.map((m) => m.message)).toEqual([{ type: 'shutdown' }]);
    expect(child.killed).toBe(false);
    expect(tp.running).toBe(false);
    expect(crashes).toEqual([]);
  });

  it('stop() kills a process that does not exit within the timeout', async () => {
    const { tp, forks, crashes, logs } = setup('hang', 30);
    tp.start();
    const t0 = Date.now();
    await tp.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(forks.children[0].killed).toBe(true);
    expect(tp.running).toBe(false);
    expect(crashes).toEqual([]);
    expect(logs.join('\n')).toMatch(/killing/);
  });

  it('reports an unexpected exit as a crash to listeners and to every connected renderer, once', async () => {
    const { tp, forks, crashes, app } = setup();
    const wc1 = new FakeWebContents();
    const wc2 = new FakeWebContents();
    tp.connect(wc1);
    tp.connect(wc2);
    const child = forks.children[0];
    app.childGone({ type: 'Utility', reason: 'crashed', exitCode: 139, serviceName: 'softmax-lab-trainer' });
    child.exit(139);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toEqual({ kind: 'crashed', reason: 'the training process crashed (exit code 139)', exitCode: 139 });
    for (const wc of [wc1, wc2]) expect(wc.sent).toEqual([{ channel: 'trainer:crashed', payload: crashes[0] }]);
    expect(tp.running).toBe(false);
  });

  it('passes run records on, and records the run a crash cut short as crashed, with what had arrived', () => {
    const { tp, forks } = setup();
    const runs: RunRecord[] = [];
    const weightsOf: (Float32Array | null)[] = [];
    tp.on('run', (r, w) => {
      runs.push(r);
      weightsOf.push(w);
    });
    tp.start();
    const child = forks.children[0]!;
    const w = new Float32Array(7850).fill(0.5);
    child.emit('message', { type: 'run', record: makeRunRecord({ id: 'a' }), final: true, weights: new Float32Array(7850).fill(Number.NaN) });
    child.emit('message', { type: 'run', record: makeRunRecord({ id: 'b', outcome: 'running', endedAt: null }), final: false, weights: w });
    child.emit('message', { type: 'run', record: { ...makeRunRecord({ id: 'c' }), evil: 1 }, final: true }); // invalid: ignored
    child.emit('message', { type: 'other' });
    child.exit(139);
    expect(runs.map((r) => [r.id, r.outcome])).toEqual([['a', 'done'], ['b', 'running'], ['b', 'crashed']]);
    expect(runs[2]).toMatchObject({ note: 'the training process exited unexpectedly (exit code 139)', endedAt: expect.any(String) });
    // Non-finite weights are never passed on; the crashed run keeps its last checkpoint's weights.
    expect(weightsOf).toEqual([null, w, w]);
  });

  it('records nothing more when the run had ended before the crash', () => {
    const { tp, forks } = setup();
    const runs: RunRecord[] = [];
    tp.on('run', (r) => runs.push(r));
    tp.start();
    const child = forks.children[0]!;
    child.emit('message', { type: 'run', record: makeRunRecord({ id: 'b', outcome: 'running', endedAt: null }), final: false });
    child.emit('message', { type: 'run', record: makeRunRecord({ id: 'b' }), final: true });
    child.exit(1);
    expect(runs.map((r) => r.outcome)).toEqual(['running', 'done']);
  });

  it('grants a chosen folder to the running process and to every process it starts later', async () => {
    const { tp, forks } = setup();
    tp.start();
    const grant = tp.grantFolder('/home/me/fashion');
    expect(grant).toMatch(/^[0-9a-f]{32}$/);
    expect(tp.grantFolder('/home/me/fashion')).not.toBe(grant); // opaque: a new grant each time
    expect(forks.children[0]!.messages.map((m) => m.message)).toContainEqual({ type: 'grant', grant, path: '/home/me/fashion' });
    await tp.restart();
    expect(forks.children[1]!.messages.map((m) => m.message)).toContainEqual({ type: 'grant', grant, path: '/home/me/fashion' });
  });

  it('detects a crash from the exit code alone', () => {
    const { tp, forks, crashes } = setup();
    tp.start();
    forks.children[0].exit(1);
    expect(crashes).toEqual([{ kind: 'crashed', reason: 'the training process exited unexpectedly (exit code 1)', exitCode: 1 }]);
  });

  it("filters child-process-gone by type and service name, and ignores clean exits", () => {
    const { tp, crashes, app } = setup();
    tp.start();
    app.childGone({ type: 'GPU', reason: 'crashed', exitCode: 1 });
    app.childGone({ type: 'Utility', reason: 'crashed', exitCode: 1, serviceName: 'network.mojom.NetworkService' });
    app.childGone({ type: 'Utility', reason: 'clean-exit', exitCode: 0, serviceName: 'softmax-lab-trainer' });
    expect(crashes).toEqual([]);
    app.childGone({ type: 'Utility', reason: 'oom', exitCode: -1, serviceName: 'softmax-lab-trainer' });
    expect(crashes).toEqual([{ kind: 'crashed', reason: 'the training process ran out of memory (exit code -1)', exitCode: -1 }]);
  });

  it('restart() starts a new process and hands every live renderer a new port', async () => {
    const { tp, forks, channels } = setup();
    const wc1 = new FakeWebContents();
    const wc2 = new FakeWebContents();
    tp.connect(wc1);
    tp.connect(wc2);
    forks.children[0].exit(139); // crash
    wc2.destroy(); // a window closed meanwhile
    await tp.restart();
    expect(forks.children).toHaveLength(2);
    expect(tp.running).toBe(true);
    const second = forks.children[1];
    expect(second.messages.map((m) => m.message)).toEqual([{ type: 'connect' }]);
    expect(wc1.posted).toHaveLength(2);
    expect(wc1.posted[1].transfer[0].channel).toBe(second.messages[0].transfer[0].channel);
    expect(wc2.posted).toHaveLength(1);
    expect(channels.count()).toBe(3);
  });

  it('dispose() stops the process and stops listening to the app', async () => {
    const { tp, app, forks } = setup();
    tp.start();
    await tp.dispose();
    expect(forks.children[0].alive).toBe(false);
    expect(app.listenerCount('child-process-gone')).toBe(0);
    expect(() => tp.start()).toThrow(/disposed/);
  });

  it('tells the renderer when the process cannot even be started', () => {
    const app = new FakeApp();
    const tp = new TrainerProcess<FakePort>({
      modulePath: '/missing.js',
      serviceName: 'softmax-lab-trainer',
      fork: () => {
        throw new Error('ENOENT /missing.js');
      },
      appEvents: app,
      createChannel: fakeChannelFactory().create,
    });
    const wc = new FakeWebContents();
    tp.connect(wc);
    expect(wc.sent).toEqual([{ channel: 'trainer:crashed', payload: { kind: 'crashed', reason: 'could not start the training process: ENOENT /missing.js', exitCode: null } }]);
    expect(wc.posted).toEqual([]);
  });
});
