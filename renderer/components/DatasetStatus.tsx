// The dataset's status: what is loading with a progress bar (bytes and percent), what was loaded, or
// why it could not be loaded with the way out: pick the four files (or a folder, in Electron) or
// install the Debian package.

import { useId, useState, type ChangeEvent } from 'react';
import { useLab } from '../store';
import { loadDatasetFrom } from '../store/actions';
import { DATASET_FILES, type DatasetFileName } from '../../core/protocol';
import { useT } from '../i18n/use-t';
import type { MessageKey, Translate } from '../i18n';
import { en } from '../i18n/en';
import { formatMb } from './format';

/**
 * A compute backend's readout in the UI's language: the core reports an id and, for the fast kernels,
 * details ('fast (wasm SIMD, 2 threads)'); the id and the thread count are translated, the rest (an
 * engine's reason to run on one thread) is the core's own words. An unknown id is shown as it is.
 */
export function kernelName(t: Translate, kernel: string): string {
  const m = /^([\w-]+)(?: \((.*)\))?$/.exec(kernel);
  if (!m) return kernel;
  const key = `kernel.${m[1]}` as MessageKey;
  const name = key in en ? t(key) : m[1];
  if (m[2] === undefined) return name;
  const detail = m[2].replace(/\b(\d+) threads?\b/, (_, n: string) => t(n === '1' ? 'kernel.thread' : 'kernel.threads', { n }));
  return t('kernel.withDetail', { name, detail });
}

/** The canonical dataset name of a picked file (".gz" and a browser's " (1)" suffix tolerated), or null. */
export function canonicalDatasetName(fileName: string): DatasetFileName | null {
  const base = fileName.replace(/\.gz$/i, '').replace(/\s*\(\d+\)$/, '');
  return (DATASET_FILES as readonly string[]).includes(base) ? (base as DatasetFileName) : null;
}

/** Reads picked files into the bytes source the trainer takes; returns the names still missing. */
export async function filesToSource(files: readonly File[]): Promise<{ files: Partial<Record<DatasetFileName, Uint8Array>>; missing: DatasetFileName[] }> {
  const out: Partial<Record<DatasetFileName, Uint8Array>> = {};
  for (const f of files) {
    const name = canonicalDatasetName(f.name);
    if (name) out[name] = new Uint8Array(await f.arrayBuffer());
  }
  return { files: out, missing: DATASET_FILES.filter((n) => !out[n]) };
}

/** The "Dataset" region. */
export function DatasetStatus() {
  const t = useT();
  const ds = useLab((s) => s.dataset);
  const [missing, setMissing] = useState<DatasetFileName[]>([]);
  const inputId = useId();
  const onPick = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const picked = Array.from(e.target.files ?? []);
    e.target.value = '';
    const { files, missing: still } = await filesToSource(picked);
    setMissing(still);
    if (still.length === 0) loadDatasetFrom({ kind: 'bytes', files });
  };
  const onPickFolder = async (): Promise<void> => {
    const picked = await window.api.pickDatasetFolder();
    if (picked) loadDatasetFrom({ kind: 'dir', grant: picked.grant });
  };
  const p = ds.progress;
  return (
    <section className={`dataset dataset-${ds.status}`} aria-label={t('dataset.region')} data-status={ds.status}>
      {ds.status === 'ready' && ds.info && (
        <p>{t('dataset.ready', { train: ds.info.trainCount, test: ds.info.testCount, source: ds.info.source, kernel: kernelName(t, ds.info.kernel) })}</p>
      )}
      {ds.status === 'loading' && (
        <div>
          <p>
            {!p || p.phase === 'locating' ? t('dataset.locating')
              : p.phase === 'verifying' ? t('dataset.verifying')
                : p.phase === 'parsing' ? t('dataset.parsing')
                  : p.total ? t('dataset.downloading', { file: p.file ?? '', done: formatMb(p.bytes ?? 0), total: formatMb(p.total), percent: Math.floor(((p.bytes ?? 0) / p.total) * 100) })
                    : t('dataset.downloadingUnknown', { file: p.file ?? '', done: formatMb(p.bytes ?? 0) })}
          </p>
          <progress aria-label={t('dataset.progress')} max={1} value={p?.phase === 'parsing' ? 1 : p?.fraction ?? undefined} />
        </div>
      )}
      {ds.status === 'error' && ds.error && (
        <div role="alert">
          <h2>{t('dataset.errorTitle')}</h2>
          <p>{ds.error.message}</p>
          {ds.error.lookedIn.length > 0 && (
            <>
              <p>{t('dataset.lookedIn')}</p>
              <ul className="looked-in">{ds.error.lookedIn.map((place) => <li key={place}><code>{place}</code></li>)}</ul>
            </>
          )}
          <p>{t('dataset.wayOut')}</p>
          {/* The web worker's help says what wayOut says; Electron's trainer adds download instructions. */}
          {ds.error.help && window.api.platform !== 'web' && <pre className="help">{ds.error.help}</pre>}
        </div>
      )}
      {ds.status === 'error' && (
        <div className="pick">
          <label htmlFor={inputId} className="button">{t('dataset.pickFiles')}</label>
          <input id={inputId} type="file" multiple accept=".gz,application/gzip,application/octet-stream,*" className="visually-hidden-input" onChange={(e) => void onPick(e)} />
          {window.api.platform === 'electron' && <button type="button" onClick={() => void onPickFolder()}>{t('dataset.pickFolder')}</button>}
          <button type="button" onClick={() => window.api.loadDataset()}>{t('dataset.retry')}</button>
          {missing.length > 0 && <p className="reason">{t('dataset.missingFiles', { names: missing.join(', ') })}</p>}
        </div>
      )}
    </section>
  );
}
