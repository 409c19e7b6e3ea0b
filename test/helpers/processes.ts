import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every thread a zombie (a multi-threaded process's main thread turns zombie before the others exit). */
export function isZombie(pid: number): boolean {
  try {
    if (process.platform !== 'linux') {
      return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .startsWith('Z');
    }
    return readdirSync(`/proc/${pid}/task`).every(tid => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
    });
  } catch {
    return false;
  }
}

/**
 * ESRCH, or a zombie: a dead process whose new parent has not reaped it. Orphans are re-parented to
 * init, and some container inits (this one among them) never reap, so a killed orphan stays a zombie.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(pid);
}
