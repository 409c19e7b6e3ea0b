import path from 'node:path';

/**
 * Turns a `file:line:col` position into annotation properties; the file is made relative to the
 * workspace, as GitHub expects for annotations on the diff.
 */
export function parseWhere(
  where: string,
  workspace = process.env.GITHUB_WORKSPACE
): { file?: string; startLine?: number; startColumn?: number } {
  const m = /^(.*?):(\d+):(\d+)$/.exec(where);
  const file = relative(m ? m[1]! : where, workspace);
  if (!m) return file ? { file } : {};
  return { file, startLine: Number(m[2]), startColumn: Number(m[3]) };
}

function relative(file: string, workspace: string | undefined): string {
  if (!workspace || !path.isAbsolute(file)) return file;
  const rel = path.relative(workspace, file);
  return rel.startsWith('..') ? file : rel;
}
