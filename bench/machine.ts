import { cpus, totalmem } from 'node:os';

/** One line describing where a benchmark ran, printed with every result. */
export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length}× ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
}
