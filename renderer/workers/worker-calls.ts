// One way for the window to run a job in a Web Worker of its own and get the answer back (the image
// decoder, the report maker): the worker is started on the first call and kept; each call is a request
// with an id and one reply; where workers are unavailable, or the worker cannot start or dies, the calls
// waiting and every later one run on this thread instead (`here`). The worker side is serveCalls.

/** A request on the wire. */
export interface CallRequest<Req> {
  id: number;
  request: Req;
}

/** A reply on the wire: the result, or the message of what the job threw. */
export type CallReply<Res> = { id: number; ok: true; result: Res } | { id: number; ok: false; error: string };

/**
 * A function that runs `request` in the worker `start` makes (once), or on this thread with `here`;
 * `transfer` lists the buffers a request gives up to the worker.
 */
export function workerCalls<Req, Res>(start: () => Worker, here: (request: Req) => Promise<Res>, transfer: (request: Req) => ArrayBufferLike[] = () => []): (request: Req) => Promise<Res> {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { request: Req; resolve: (r: Res) => void; reject: (err: Error) => void }>();
  const fallBack = (): void => {
    broken = true;
    worker?.terminate();
    worker = null;
    const waiting = [...pending.values()];
    pending.clear();
    for (const job of waiting) here(job.request).then(job.resolve, job.reject);
  };
  const started = (): Worker | null => {
    if (worker || broken || typeof Worker === 'undefined') return worker;
    try {
      const w = start();
      w.onmessage = (ev: MessageEvent<CallReply<Res>>) => {
        const job = pending.get(ev.data.id);
        if (!job) return;
        pending.delete(ev.data.id);
        if (ev.data.ok) job.resolve(ev.data.result);
        else job.reject(new Error(ev.data.error));
      };
      w.onerror = (ev: ErrorEvent) => {
        ev.preventDefault();
        fallBack();
      };
      worker = w;
    } catch {
      broken = true;
    }
    return worker;
  };
  return (request) => {
    const w = started();
    if (!w) return here(request);
    const id = nextId++;
    return new Promise<Res>((resolve, reject) => {
      pending.set(id, { request, resolve, reject });
      const message: CallRequest<Req> = { id, request };
      w.postMessage(message, [...new Set(transfer(request))] as ArrayBuffer[]);
    });
  };
}

interface WorkerScope {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

/** In a worker: answers each request with `handle`'s result (moving the buffers `transfer` lists) or its error. */
export function serveCalls<Req, Res>(handle: (request: Req) => Res | Promise<Res>, transfer: (result: Res) => ArrayBufferLike[] = () => []): void {
  const scope = self as unknown as WorkerScope;
  scope.onmessage = (ev: MessageEvent<CallRequest<Req>>) => {
    const { id, request } = ev.data;
    new Promise<Res>((resolve) => resolve(handle(request))).then(
      (result) => scope.postMessage({ id, ok: true, result } satisfies CallReply<Res>, [...new Set(transfer(result))] as ArrayBuffer[]),
      (err: unknown) => scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies CallReply<Res>),
    );
  };
}
