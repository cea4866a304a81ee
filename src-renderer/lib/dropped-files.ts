/**
 * Files from a drop or a file picker, with their relative paths: a dropped folder is walked, so an image folder
 * keeps its subfolder names ("digits/3/a.png"), which the importer uses as labels.
 */
import { MAX_IMPORT_FILES } from '../../src-shared/api';

export interface PickedFile {
  file: File;
  /** Relative path, "/"-separated ("a.csv", "digits/3/a.png"). */
  path: string;
}

/** Most files one drop may bring; more is refused with a message (the import request's own limit). */
export const MAX_DROPPED_FILES = MAX_IMPORT_FILES;

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = (): void =>
      reader.readEntries((batch) => {
        if (!batch.length) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

const fileOf = (e: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => e.file(resolve, reject));

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (out.length > MAX_DROPPED_FILES) throw new Error(`the drop holds more than ${MAX_DROPPED_FILES.toLocaleString('en-US')} files`);
  if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\/+/, '') });
  else if (entry.isDirectory) for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

/**
 * Must be called synchronously inside the drop handler (the DataTransfer empties afterwards); the returned
 * promise may resolve later.
 */
export function droppedFiles(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(dt.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null);
  const files = Array.from(dt.files);
  if (!entries.some((e) => e?.isDirectory)) return Promise.resolve(files.map((f) => ({ file: f, path: f.name })));
  return (async () => {
    const out: PickedFile[] = [];
    for (const e of entries) if (e) await walk(e, out);
    return out;
  })();
}

/** Files from an <input type="file"> (with `webkitdirectory`, each has its relative path). */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return Array.from(list ?? []).map((f) => ({ file: f, path: f.webkitRelativePath || f.name }));
}
