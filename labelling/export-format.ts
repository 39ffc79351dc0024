import { extname } from 'node:path';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';

export const exportFormats = ['jsonl', 'csv', 'label-studio'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const byExtension: Record<string, ExportFormat> = {
  '.jsonl': 'jsonl',
  '.csv': 'csv',
  '.json': 'label-studio',
};

/**
 * The format of an export to `file`: `format` when given (one of `exportFormats`), else the file's
 * extension (.jsonl, .csv, .json → Label Studio). Anything else is an `E_USAGE` error.
 */
export function exportFormatOf(file: string, format?: string): ExportFormat {
  if (format !== undefined) {
    if ((exportFormats as readonly string[]).includes(format)) return format as ExportFormat;
    throw new MlfolioError({
      code: 'E_USAGE',
      message: `--format must be one of ${exportFormats.join(', ')}; received "${format}".`,
      hint: 'Or leave --format out and name the file .jsonl, .csv or .json (Label Studio).',
      exitCode: ExitCode.usage,
    });
  }
  const found = byExtension[extname(file).toLowerCase()];
  if (found) return found;
  throw new MlfolioError({
    code: 'E_USAGE',
    message: `Cannot tell the export format of "${file}" from its extension "${extname(file)}".`,
    hint: `Name the file .jsonl, .csv or .json (Label Studio), or pass --format ${exportFormats.join('|')}.`,
    exitCode: ExitCode.usage,
  });
}
