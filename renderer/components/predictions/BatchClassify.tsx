// "Classify many images": several images (dropped, chosen, or a whole folder where the browser offers it)
// classified at once with the current weights, each through the same checks and preprocessing as a single
// image. A table (sortable by any column) lists each file's predicted class and probability and whether
// the prepared image is unlike the training images; a refused file keeps its row, with its message.
// "Download CSV" saves the table as shown.

import { useEffect, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import { className, type Translate } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';
import { sortedRows, type BatchRow, type BatchSortKey } from '../../store/batch-slice';
import { batchCsv, classifyBatch, clearBatch, MAX_BATCH_FILES, showAllBatchRows, sortBatch } from '../../predictions/batch';
import { TRAINING_INK } from '../../predictions/typicality';
import { save, stamp } from '../../exports/actions';
import { inputErrorMessage } from './ClassifyImage';
import { formatProbability } from './ProbabilityBars';
import '../experiments/experiments.css';

/** The files of a dropped folder (and of the files dropped beside it), with their paths; at most `max`. */
async function filesOfEntries(entries: FileSystemEntry[], max: number): Promise<{ files: File[]; paths: string[] }> {
  const files: File[] = [];
  const paths: string[] = [];
  const walk = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    if (files.length > max) return;
    if (entry.isFile) {
      const file = await new Promise<File | null>((ok) => (entry as FileSystemFileEntry).file(ok, () => ok(null)));
      if (file) {
        files.push(file);
        paths.push(entry.fullPath.replace(/^\//, ''));
      }
    } else if (entry.isDirectory && depth < 8) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok) => reader.readEntries(ok, () => ok([])));
        if (batch.length === 0) break;
        for (const child of batch.sort((a, b) => a.fullPath.localeCompare(b.fullPath))) await walk(child, depth + 1);
      }
    }
  };
  for (const entry of entries) await walk(entry, 0);
  return { files, paths };
}

/** Takes a drop: a folder is walked (where the browser offers webkitGetAsEntry); plain files are taken as they are. */
export function dropToBatch(dt: DataTransfer): void {
  // Entries must be taken while the drop event lasts; they are read afterwards.
  const entries = Array.from(dt.items ?? []).map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  if (entries.some((e) => e?.isDirectory)) {
    void filesOfEntries(entries.filter((e): e is FileSystemEntry => e !== null), MAX_BATCH_FILES).then(({ files, paths }) => classifyBatch(files, paths));
  } else {
    void classifyBatch(Array.from(dt.files));
  }
}

/** The note of a row: why it was refused, or how unusual the prepared image is ('' when typical). */
export function batchNote(t: Translate, r: BatchRow): string {
  if (r.status === 'error') return r.error ? inputErrorMessage(t, r.error, r.name) : t('inputError.failed', { name: r.name, message: r.failure ?? '' });
  if (r.status === 'pending') return t('batch.pending');
  if (r.typicality === 'blank') return t('batch.blank');
  const ink = Math.round((r.ink ?? 0) * 100);
  const range = { ink, low: Math.round(TRAINING_INK.low * 100), high: Math.round(TRAINING_INK.high * 100) };
  if (r.typicality === 'much-ink') return t('batch.unusualMuch', range);
  if (r.typicality === 'little-ink') return t('batch.unusualLittle', range);
  return '';
}

const COLUMNS: { key: BatchSortKey; label: 'batch.file' | 'batch.class' | 'batch.probability' | 'batch.note' }[] = [
  { key: 'name', label: 'batch.file' },
  { key: 'class', label: 'batch.class' },
  { key: 'probability', label: 'batch.probability' },
  { key: 'note', label: 'batch.note' },
];

/** The "Classify many images" region. */
export function BatchClassify() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const batch = useLab((s) => s.batch);
  const [dragging, setDragging] = useState(false);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const [folders, setFolders] = useState(false);
  useEffect(() => {
    // A folder picker where the browser has one (Chromium and Electron do): the attribute is not in React's types.
    const el = folderInput.current;
    if (el && 'webkitdirectory' in el) {
      el.setAttribute('webkitdirectory', '');
      setFolders(true);
    }
  }, []);
  const name = (k: number): string => className(lang, k);
  const rows = sortedRows(batch.rows, batch.sort, name);
  const shown = rows.slice(0, batch.limit);
  const done = batch.rows.length - batch.pending;
  const onDrop = (e: ReactDragEvent<HTMLElement>): void => {
    if (!Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault(); // the window's own drop handler (a single image) leaves it alone
    setDragging(false);
    dropToBatch(e.dataTransfer);
  };
  const pick = (files: FileList | null, input: HTMLInputElement): void => {
    const list = Array.from(files ?? []);
    input.value = ''; // choosing the same files again still fires change
    if (list.length > 0) void classifyBatch(list);
  };
  const downloadCsv = (): void => {
    void save({ format: 'csv', name: `softmax-lab-batch-${stamp()}.csv`, data: batchCsv(useLab.getState().batch, name, (r) => batchNote(t, r)) });
  };
  return (
    <section className={dragging ? 'batch dragging' : 'batch'} aria-labelledby="batch-title" data-rows={batch.rows.length} data-pending={batch.pending}
      onDragEnter={(e) => Array.from(e.dataTransfer.types).includes('Files') && setDragging(true)}
      onDragOver={(e) => {
        if (!Array.from(e.dataTransfer.types).includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}>
      <h2 id="batch-title">{t('batch.title')}</h2>
      <p className="hint">{t('batch.hint', { max: MAX_BATCH_FILES })}</p>
      <div className="pick">
        <label className="button">
          {t('batch.pick')}
          <input className="visually-hidden-input" type="file" multiple accept="image/*" onChange={(e) => pick(e.currentTarget.files, e.currentTarget)} />
        </label>
        <label className="button" hidden={!folders}>
          {t('batch.pickFolder')}
          <input ref={folderInput} className="visually-hidden-input" type="file" multiple onChange={(e) => pick(e.currentTarget.files, e.currentTarget)} />
        </label>
        {batch.rows.length > 0 && (
          <>
            <button type="button" onClick={downloadCsv} disabled={batch.pending > 0}>{t('batch.downloadCsv')}</button>
            <button type="button" onClick={clearBatch}>{t('batch.clear')}</button>
          </>
        )}
      </div>
      {batch.rows.length > 0 && (
        <p className="hint" role="status">
          {batch.pending > 0 ? t('batch.working', { done, total: batch.rows.length }) : t('batch.summary', { total: batch.rows.length, bad: batch.rows.filter((r) => r.status === 'error').length })}
          {batch.leftOut > 0 ? ` ${t('batch.leftOut', { n: batch.leftOut, max: MAX_BATCH_FILES })}` : ''}
        </p>
      )}
      {batch.madeWith?.untrained && batch.rows.length > 0 ? <p className="caution">{t('classify.untrained')}</p> : null}
      {batch.rows.length > 0 && (
        <div className="batch-table">
          <table>
            <caption>{t('batch.caption')}</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = batch.sort.key === c.key;
                  return (
                    <th key={c.key} scope="col" className={c.key === 'probability' ? 'num' : undefined} aria-sort={active ? (batch.sort.descending ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" className="sort" onClick={() => sortBatch(c.key)}>
                        {t(c.label)}<span aria-hidden="true">{active ? (batch.sort.descending ? ' ▼' : ' ▲') : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.index} className={r.status} data-status={r.status}>
                  <th scope="row" className="file">{r.name}</th>
                  <td>{r.predicted === null ? '—' : name(r.predicted)}</td>
                  <td className="num">{r.probability === null ? '—' : formatProbability(r.probability)}</td>
                  <td className={r.status === 'error' ? 'note error' : r.typicality && r.typicality !== 'typical' ? 'note caution-text' : 'note'}>{batchNote(t, r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > shown.length && <button type="button" onClick={showAllBatchRows}>{t('batch.showAll', { n: rows.length })}</button>}
        </div>
      )}
    </section>
  );
}
